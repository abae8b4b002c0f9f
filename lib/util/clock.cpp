#include "util/clock.hpp"

#include <poll.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstdint>
#include <thread>

namespace oaiharvest::util {
namespace {

// How often a sleep without a wake descriptor looks at the stop flag.
constexpr std::chrono::milliseconds k_slice{100};

}  // namespace

UtcTime SystemClock::now() {
    return now_utc();
}

std::chrono::milliseconds SystemClock::monotonic() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
        std::chrono::steady_clock::now().time_since_epoch());
}

void SystemClock::sleep_for(std::chrono::milliseconds duration) {
    if (m_stop == nullptr) {
        std::this_thread::sleep_for(duration);
        return;
    }
    const auto end = std::chrono::steady_clock::now() + duration;
    while (!m_stop->load()) {
        auto left =
            std::chrono::ceil<std::chrono::milliseconds>(end - std::chrono::steady_clock::now());
        if (left.count() <= 0) {
            return;
        }
        if (m_wake_fd >= 0) {
            // Readable once a stop signal came; EINTR (the signal itself) just looks again.
            pollfd wake{m_wake_fd, POLLIN, 0};
            int timeout = static_cast<int>(std::min<std::int64_t>(left.count(), INT_MAX));
            if (::poll(&wake, 1, timeout) < 0 && errno != EINTR) {
                std::this_thread::sleep_for(std::min(left, k_slice));
            }
            continue;
        }
        // The flag is set from a signal handler, which cannot wake a condition variable.
        std::this_thread::sleep_for(std::min(left, k_slice));
    }
}

}  // namespace oaiharvest::util
