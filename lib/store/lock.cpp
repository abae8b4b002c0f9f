#include "store/lock.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace oaiharvest::store {

std::expected<HarvestLock, LockHeld> HarvestLock::acquire(const std::string& database_path) {
    std::string path = database_path + ".lock";
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

HarvestLock::HarvestLock(HarvestLock&& other) noexcept : m_fd(other.m_fd) {
    other.m_fd = -1;
}

}  // namespace oaiharvest::store
