#pragma once
// The harvest lock: who may write to a database. On PostgreSQL, a session advisory lock on the
// database, given back when the HarvestLock is destroyed and dropped by the server when the
// holder's connection ends (a killed holder's, once the server sees it): harvesters (daemon,
// harvest, reconcile) take it shared, so that several, on one machine or several, harvest one
// mirror at once, each endpoint under its lease (lease.hpp); `copy` takes it exclusive. Its
// fd() is then a placeholder that the daemon's children inherit, while the daemon's session
// holds the lock for them.
// On SQLite: an advisory lock (flock) on "<database>.lock", which holds the holder's pid; the
// kernel drops it when the process dies, kill -9 included, so a crash never leaves a stale lock.
// <database> is the file's real path, symlinks resolved, so every symlinked name of one database
// takes the same lock. (Hard links are not resolved. The database file itself is not flocked:
// SQLite's POSIX locks on it would be dropped when this process closed any other descriptor of it.)

#include <sys/types.h>

#include <cstdint>
#include <expected>
#include <memory>
#include <string>

namespace oaiharvest::store {

// The key of the harvest lock of a PostgreSQL database (pg_advisory_lock): "oaihv" in ASCII.
inline constexpr std::int64_t k_postgres_harvest_lock = 0x6f61696876;

// The lock file of the database at that path: its real path plus ".lock". Throws
// std::runtime_error when the path cannot be resolved (a symlink loop, say).
std::string lock_file_for(const std::string& database_path);

// Whether other harvesters may hold the lock too (PostgreSQL only: a SQLite mirror has one
// harvesting process, whatever it asks).
enum class LockMode { exclusive, shared };

// How this process names its PostgreSQL sessions (application_name), so that another process
// can say who holds a lock or a lease: "oaiharvest pid 1234 on host".
std::string postgres_session_name();

struct LockHeld {
    std::string lock_file;
    pid_t holder = 0;  // 0 when the pid could not be read
};

class HarvestLock {
public:
    // Takes the lock without waiting. Throws std::runtime_error when the lock file cannot be
    // created (a read-only folder, say).
    static std::expected<HarvestLock, LockHeld> acquire(const std::string& database_path,
                                                        LockMode mode = LockMode::exclusive);
    ~HarvestLock();
    HarvestLock(HarvestLock&& other) noexcept;
    HarvestLock& operator=(HarvestLock&&) = delete;
    HarvestLock(const HarvestLock&) = delete;
    HarvestLock& operator=(const HarvestLock&) = delete;

    // The locked descriptor: the daemon's harvest children inherit it, and so hold the lock
    // with the daemon (daemon/child.hpp).
    int fd() const { return m_fd; }

private:
    explicit HarvestLock(int fd) : m_fd(fd) {}
    int m_fd = -1;
    // On PostgreSQL: the session that holds the database's lock (a pq::Connection).
    std::shared_ptr<void> m_session;
};

}  // namespace oaiharvest::store
