#pragma once
// When an endpoint runs next, from its schedule and the start of its last run. Pure.

#include <optional>

#include "scheduler/schedule.hpp"

namespace oaiharvest::scheduler {

// The schedule's first time after the last run's start; `now` when that time has passed (the
// machine was down, or the last run outlasted the interval) or when the endpoint never ran.
TimePoint next_due(const Schedule& schedule, std::optional<TimePoint> last_started, TimePoint now);

}  // namespace oaiharvest::scheduler
