#pragma once
// When an endpoint runs next, from its schedule and the start of its last run. Pure.

#include <chrono>
#include <optional>

#include "scheduler/schedule.hpp"

namespace oaiharvest::scheduler {

// The schedule's first time after the last run's start; `now` when that time has passed (the
// machine was down, or the last run outlasted the interval) or when the endpoint never ran.
TimePoint next_due(const Schedule& schedule, std::optional<TimePoint> last_started, TimePoint now);

// The wait before retrying an endpoint whose last `failures` runs in a row failed or died
// (failures >= 1): 1 min, doubling each time, at most a day.
std::chrono::milliseconds retry_delay(int failures);

// When such an endpoint is tried again: after retry_delay, but never later than its schedule
// would run it anyway (next_due), so the backoff is capped at the schedule's interval.
TimePoint retry_due(const Schedule& schedule, TimePoint last_started, TimePoint now, int failures);

}  // namespace oaiharvest::scheduler
