#pragma once
// The seam for time: harvests ask a Clock for "now" and to wait, so tests can run retries,
// backoff and Retry-After on a fake clock instead of wall time.
// SystemClock is thread-safe. A Clock is owned by whoever builds the harvest (daemon/ or a test).

#include <chrono>

#include "util/time.hpp"

namespace oaiharvest::util {

class Clock {
public:
    virtual ~Clock() = default;
    virtual UtcTime now() = 0;
    // Monotonic time since an arbitrary start, for spacing and timing requests.
    virtual std::chrono::milliseconds monotonic() = 0;
    // Waits for the duration, or less when the process is asked to stop (stop_requested()).
    virtual void sleep_for(std::chrono::milliseconds duration) = 0;
};

class SystemClock final : public Clock {
public:
    UtcTime now() override;
    std::chrono::milliseconds monotonic() override;
    void sleep_for(std::chrono::milliseconds duration) override;
};

}  // namespace oaiharvest::util
