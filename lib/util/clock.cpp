#include "util/clock.hpp"

#include <algorithm>
#include <thread>

namespace oaiharvest::util {

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
    // The flag is set from a signal handler, which cannot wake a condition variable: look at it
    // every tenth of a second.
    constexpr std::chrono::milliseconds k_slice{100};
    auto end = std::chrono::steady_clock::now() + duration;
    while (!m_stop->load()) {
        auto left = end - std::chrono::steady_clock::now();
        if (left <= std::chrono::steady_clock::duration::zero()) {
            return;
        }
        std::this_thread::sleep_for(std::min<std::chrono::steady_clock::duration>(left, k_slice));
    }
}

}  // namespace oaiharvest::util
