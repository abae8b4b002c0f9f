#pragma once
// The seam for time: harvests and the daemon's scheduling loop (scheduler::Loop) ask a Clock
// for "now" and to wait, so tests can run retries, backoff, Retry-After and schedules on a fake
// clock (tests/support/fake_clock.hpp) instead of wall time.
// SystemClock is thread-safe. A Clock is owned by whoever builds the harvest or the loop
// (daemon/ or a test).

#include <atomic>
#include <chrono>

#include "util/time.hpp"

namespace oaiharvest::util {

class Clock {
public:
    virtual ~Clock() = default;
    virtual UtcTime now() = 0;
    // Monotonic time since an arbitrary start, for spacing and timing requests.
    virtual std::chrono::milliseconds monotonic() = 0;
    // Waits for the duration, or less when the process is asked to stop.
    virtual void sleep_for(std::chrono::milliseconds duration) = 0;
};

class SystemClock final : public Clock {
public:
    SystemClock() = default;
    // Sleeps end early once *stop is set, so that a stop signal is not held up by a long
    // backoff or Retry-After wait. wake_fd, when not -1, is a descriptor that turns readable
    // when stop is set and stays so (the read end of a signal handler's self-pipe, not owned
    // here): a sleep waits on it and ends at once; without it the flag is looked at every tenth
    // of a second.
    explicit SystemClock(const std::atomic<bool>* stop, int wake_fd = -1)
        : m_stop(stop), m_wake_fd(wake_fd) {}
    UtcTime now() override;
    std::chrono::milliseconds monotonic() override;
    void sleep_for(std::chrono::milliseconds duration) override;

private:
    const std::atomic<bool>* m_stop = nullptr;
    int m_wake_fd = -1;
};

}  // namespace oaiharvest::util
