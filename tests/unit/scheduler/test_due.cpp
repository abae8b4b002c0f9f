#include <catch2/catch.hpp>

#include "scheduler/due.hpp"
#include "time_zone.hpp"

using namespace oaiharvest::scheduler;
using namespace oaiharvest::scheduler::testing;
using namespace std::chrono_literals;

TEST_CASE("an endpoint that never ran is due at once", "[scheduler][due]") {
    ScopedTimeZone zone{"UTC"};
    auto now = utc("2026-06-03T10:07:00Z");
    CHECK(next_due(schedule("0 2 * * *"), std::nullopt, now) == now);
    CHECK(next_due(schedule("@every 6h"), std::nullopt, now) == now);
}

TEST_CASE("the next time counts from the last run's start", "[scheduler][due]") {
    ScopedTimeZone zone{"UTC"};
    auto now = utc("2026-06-03T10:07:00Z");
    CHECK(next_due(schedule("0 2 * * *"), utc("2026-06-03T02:00:00Z"), now) ==
          utc("2026-06-04T02:00:00Z"));
    CHECK(next_due(schedule("@every 6h"), utc("2026-06-03T09:00:00Z"), now) ==
          utc("2026-06-03T15:00:00Z"));
}

TEST_CASE("a time that passed while the machine was down is due at once", "[scheduler][due]") {
    ScopedTimeZone zone{"UTC"};
    auto now = utc("2026-06-05T10:07:00Z");
    CHECK(next_due(schedule("0 2 * * *"), utc("2026-06-03T02:00:00Z"), now) == now);
    CHECK(next_due(schedule("@every 6h"), utc("2026-06-05T03:00:00Z"), now) == now);
}
