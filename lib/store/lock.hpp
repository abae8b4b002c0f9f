#pragma once
// The harvest lock: one harvesting process per database. An advisory lock (flock) on
// "<database>.lock", which holds the holder's pid; the kernel drops it when the process dies,
// kill -9 included, so a crash never leaves a stale lock. <database> is the file's real path,
// symlinks resolved, so every symlinked name of one database takes the same lock. (Hard links
// are not resolved. The database file itself is not flocked: SQLite's POSIX locks on it would
// be dropped when this process closed any other descriptor of it.)

#include <sys/types.h>

#include <expected>
#include <string>

namespace oaiharvest::store {

// The lock file of the database at that path: its real path plus ".lock". Throws
// std::runtime_error when the path cannot be resolved (a symlink loop, say).
std::string lock_file_for(const std::string& database_path);

struct LockHeld {
    std::string lock_file;
    pid_t holder = 0;  // 0 when the pid could not be read
};

class HarvestLock {
public:
    // Takes the lock without waiting. Throws std::runtime_error when the lock file cannot be
    // created (a read-only folder, say).
    static std::expected<HarvestLock, LockHeld> acquire(const std::string& database_path);
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
};

}  // namespace oaiharvest::store
