#include "util/clock.hpp"

#include <thread>

namespace oaiharvest::util {

UtcTime SystemClock::now() { return now_utc(); }

void SystemClock::sleep_for(std::chrono::milliseconds duration) {
    std::this_thread::sleep_for(duration);
}

}  // namespace oaiharvest::util
