#include "scheduler/due.hpp"

#include <algorithm>

namespace oaiharvest::scheduler {

namespace {

constexpr std::chrono::milliseconds k_first_retry = std::chrono::minutes{1};
constexpr std::chrono::milliseconds k_longest_retry = std::chrono::hours{24};

}  // namespace

TimePoint next_due(const Schedule& schedule, std::optional<TimePoint> last_started, TimePoint now) {
    if (!last_started) {
        return now;
    }
    return std::max(schedule.next_after(*last_started), now);
}

std::chrono::milliseconds retry_delay(int failures) {
    auto delay = k_first_retry;
    for (int i = 1; i < failures && delay < k_longest_retry; ++i) {
        delay *= 2;
    }
    return std::min(delay, k_longest_retry);
}

TimePoint retry_due(const Schedule& schedule, TimePoint last_started, TimePoint now, int failures) {
    auto retry = now + std::chrono::duration_cast<TimePoint::duration>(retry_delay(failures));
    return std::min(retry, next_due(schedule, last_started, now));
}

}  // namespace oaiharvest::scheduler
