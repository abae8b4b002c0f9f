#include "store/lock.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <stdexcept>
#include <string_view>

#include "store/postgres/pg_lease.hpp"
#include "store/postgres/pq.hpp"
#include "store/store.hpp"

namespace oaiharvest::store {
namespace {

// The session's application_name: how a second process learns the holder's pid.
constexpr std::string_view k_postgres_holder_prefix = "oaiharvest pid ";

// The pid the session holding the database's lock gave in its application_name; 0 when it
// cannot be read (an older oaiharvest, or a role that may not see other sessions). The pid is
// that process's on its own machine, which need not be this one.
pid_t postgres_holder(pq::Connection& conn) {
    auto r = conn.exec(
        "SELECT a.application_name FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid "
        "WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1 AND "
        "l.classid::int8 = $1 AND l.objid::int8 = $2 AND l.database = "
        "(SELECT oid FROM pg_database WHERE datname = current_database()) LIMIT 1",
        {pq::integer(k_postgres_harvest_lock >> 32),
         pq::integer(k_postgres_harvest_lock & 0xffffffff)});
    if (r.rows() == 0 || r.is_null(0, 0)) {
        return 0;
    }
    std::string_view name = r.text(0, 0);
    if (!name.starts_with(k_postgres_holder_prefix)) {
        return 0;
    }
    return static_cast<pid_t>(
        std::atol(std::string(name.substr(k_postgres_holder_prefix.size())).c_str()));
}

struct PostgresLock {
    std::shared_ptr<void> session;  // a pq::Connection; nullptr when another session holds it
    pid_t holder = 0;               // then, its pid when known
};

PostgresLock lock_postgres(const std::string& url, LockMode mode) {
    auto conn = std::make_shared<pq::Connection>(pq::Connection::open(url));
    detail::identify_session(*conn);
    auto r = conn->exec(mode == LockMode::shared ? "SELECT pg_try_advisory_lock_shared($1)"
                                                 : "SELECT pg_try_advisory_lock($1)",
                        {pq::integer(k_postgres_harvest_lock)});
    if (r.text(0, 0) != "t") {
        return {nullptr, postgres_holder(*conn)};
    }
    // Unlocked before the session closes: the server drops a closed session's locks only once
    // it has seen the end, after close has returned, and a `copy` started just after a harvest
    // ended would find the lock still held.
    std::shared_ptr<void> held(conn.get(), [conn, mode](void*) {
        try {
            conn->exec(mode == LockMode::shared ? "SELECT pg_advisory_unlock_shared($1)"
                                                : "SELECT pg_advisory_unlock($1)",
                       {pq::integer(k_postgres_harvest_lock)});
        } catch (const std::exception&) {
            // The session's end releases it all the same, only later.
        }
    });
    return {std::move(held), 0};
}

}  // namespace

std::string postgres_session_name() {
    std::string name = std::string(k_postgres_holder_prefix) + std::to_string(::getpid());
    char host[256] = {};
    if (::gethostname(host, sizeof host - 1) == 0 && host[0] != '\0') {
        name += " on ";
        name += host;
    }
    return name;
}

std::string lock_file_for(const std::string& database_path) {
    namespace fs = std::filesystem;
    // The real path, so that every name of one database takes one lock: symlinks are followed
    // in the file itself (even one to a file a first harvest is about to create, which
    // weakly_canonical would leave as it is) and then in its folders.
    std::error_code error;
    fs::path path = fs::absolute(database_path, error);
    constexpr int k_max_links = 40;  // as the kernel's ELOOP
    struct stat st {};
    for (int i = 0;
         !error && i < k_max_links && ::lstat(path.c_str(), &st) == 0 && S_ISLNK(st.st_mode); ++i) {
        fs::path target = fs::read_symlink(path, error);
        path = target.is_absolute() ? target : path.parent_path() / target;
    }
    fs::path real;
    if (!error) {
        real = fs::weakly_canonical(path, error);
    }
    if (error) {
        throw std::runtime_error("cannot resolve the database path " + database_path + ": " +
                                 error.message());
    }
    return real.string() + ".lock";
}

std::expected<HarvestLock, LockHeld> HarvestLock::acquire(const std::string& database_path,
                                                          LockMode mode) {
    if (is_postgres_url(database_path)) {
        auto [session, holder] = lock_postgres(database_path, mode);
        if (!session) {
            return std::unexpected(
                LockHeld{"a session lock in " + pq::redact_url(database_path), holder});
        }
        int placeholder = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
        if (placeholder < 0) {
            throw std::runtime_error(std::string("cannot open /dev/null: ") + std::strerror(errno));
        }
        HarvestLock lock(placeholder);
        lock.m_session = std::move(session);
        return lock;
    }
    std::string path = lock_file_for(database_path);
    int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0) {
        throw std::runtime_error("cannot create lock file " + path + ": " + std::strerror(errno));
    }
    if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
        int error = errno;
        char buf[32] = {};
        ssize_t n = ::pread(fd, buf, sizeof buf - 1, 0);
        ::close(fd);
        if (error != EWOULDBLOCK) {
            throw std::runtime_error("cannot lock " + path + ": " + std::strerror(error));
        }
        pid_t holder = n > 0 ? static_cast<pid_t>(std::atol(buf)) : 0;
        return std::unexpected(LockHeld{path, holder});
    }
    std::string pid = std::to_string(::getpid()) + "\n";
    if (::ftruncate(fd, 0) != 0 || ::pwrite(fd, pid.data(), pid.size(), 0) < 0) {
        // The lock holds regardless; only the pid shown to a second process is missing.
    }
    return HarvestLock(fd);
}

HarvestLock::~HarvestLock() {
    if (m_fd >= 0) {
        ::close(m_fd);  // releases the flock
    }
}

HarvestLock::HarvestLock(HarvestLock&& other) noexcept
    : m_fd(other.m_fd), m_session(std::move(other.m_session)) {
    other.m_fd = -1;
}

}  // namespace oaiharvest::store
