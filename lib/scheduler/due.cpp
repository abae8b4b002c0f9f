#include "scheduler/due.hpp"

#include <algorithm>

namespace oaiharvest::scheduler {

TimePoint next_due(const Schedule& schedule, std::optional<TimePoint> last_started, TimePoint now) {
    if (!last_started) {
        return now;
    }
    return std::max(schedule.next_after(*last_started), now);
}

}  // namespace oaiharvest::scheduler
