#pragma once
// The seam for time: harvests ask a Clock for "now" and to wait, so tests can run retries,
// backoff and Retry-After on a fake clock instead of wall time.
// SystemClock is thread-safe. A Clock is owned by whoever builds the harvest (daemon/ or a test).

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
    // backoff or Retry-After wait.
    explicit SystemClock(const std::atomic<bool>* stop) : m_stop(stop) {}
    UtcTime now() override;
    std::chrono::milliseconds monotonic() override;
    void sleep_for(std::chrono::milliseconds duration) override;

private:
    const std::atomic<bool>* m_stop = nullptr;
};

}  // namespace oaiharvest::util
