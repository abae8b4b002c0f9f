#include "http/shared_gate.hpp"

#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <ctime>
#include <stdexcept>
#include <thread>

namespace oaiharvest::http {
namespace {

constexpr int k_slots = 1024;
constexpr off_t k_slot_size = sizeof(std::int64_t);

[[noreturn]] void fail(const char* what) {
    throw std::runtime_error(std::string(what) + ": " + std::strerror(errno));
}

std::int64_t monotonic_ns() {
    timespec now{};
    ::clock_gettime(CLOCK_MONOTONIC, &now);
    return std::int64_t{now.tv_sec} * 1'000'000'000 + now.tv_nsec;
}

}  // namespace

SharedGateFile::SharedGateFile() {
    m_fd = ::memfd_create("oaiharvest-hosts", MFD_CLOEXEC);
    if (m_fd < 0) {
        fail("cannot create the host gate file");
    }
    if (::ftruncate(m_fd, k_slots * k_slot_size) != 0) {  // zeros: every host is free
        int error = errno;
        ::close(m_fd);
        errno = error;
        fail("cannot size the host gate file");
    }
}

SharedGateFile::~SharedGateFile() {
    ::close(m_fd);
}

int SharedGateFile::slot_for(const std::string& host) {
    auto [it, added] = m_slots.try_emplace(host, static_cast<int>(m_slots.size()));
    return std::min(it->second, k_slots - 1);
}

SharedGateFetcher::SharedGateFetcher(Fetcher& inner, int file_fd, int slot,
                                     std::chrono::milliseconds request_interval)
    : m_inner(inner), m_slot(std::clamp(slot, 0, k_slots - 1)), m_interval(request_interval) {
    // A description of our own: the inherited one is shared with every other child, and a lock
    // held through it would not keep them out.
    std::string path = "/proc/self/fd/" + std::to_string(file_fd);
    m_fd = ::open(path.c_str(), O_RDWR | O_CLOEXEC);
    if (m_fd < 0) {
        fail("cannot open the host gate file");
    }
}

SharedGateFetcher::~SharedGateFetcher() {
    ::close(m_fd);
}

void SharedGateFetcher::lock(short type) {
    struct flock range {};
    range.l_type = type;
    range.l_whence = SEEK_SET;
    range.l_start = m_slot * k_slot_size;
    range.l_len = k_slot_size;
    // A signal (SIGTERM: stop after this page) only interrupts the wait; the holder's request
    // ends on its own.
    while (::fcntl(m_fd, F_OFD_SETLKW, &range) != 0) {
        if (errno != EINTR) {
            fail("cannot lock the host gate file");
        }
    }
}

std::expected<Completed, TransportFailure> SharedGateFetcher::get(const std::string& url,
                                                                  BodySink& sink,
                                                                  const Conditions& conditions) {
    lock(F_WRLCK);
    struct Leave {
        SharedGateFetcher& gate;
        ~Leave() {
            std::int64_t free_at =
                monotonic_ns() +
                std::chrono::duration_cast<std::chrono::nanoseconds>(gate.m_interval).count();
            // Unwritten, the next request merely comes without the interval.
            [[maybe_unused]] auto n =
                ::pwrite(gate.m_fd, &free_at, sizeof free_at, gate.m_slot * k_slot_size);
            struct flock range {};
            range.l_type = F_UNLCK;
            range.l_whence = SEEK_SET;
            range.l_start = gate.m_slot * k_slot_size;
            range.l_len = k_slot_size;
            ::fcntl(gate.m_fd, F_OFD_SETLK, &range);
        }
    } leave{*this};
    std::int64_t free_at = 0;
    if (::pread(m_fd, &free_at, sizeof free_at, m_slot * k_slot_size) !=
        static_cast<ssize_t>(sizeof free_at)) {
        free_at = 0;  // unreadable: ask at once rather than fail the request
    }
    if (auto wait = free_at - monotonic_ns(); wait > 0) {
        std::this_thread::sleep_for(std::chrono::nanoseconds{wait});
    }
    return m_inner.get(url, sink, conditions);
}

}  // namespace oaiharvest::http
