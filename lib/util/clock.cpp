#include "util/clock.hpp"

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
    std::this_thread::sleep_for(duration);
}

}  // namespace oaiharvest::util
