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

TEST_CASE("a failed or died endpoint is retried after 1 min, doubling, at most a day",
          "[scheduler][due]") {
    CHECK(retry_delay(1) == 1min);
    CHECK(retry_delay(2) == 2min);
    CHECK(retry_delay(5) == 16min);
    CHECK(retry_delay(11) == 1024min);
    CHECK(retry_delay(12) == 24h);
    CHECK(retry_delay(1000) == 24h);
}

TEST_CASE("a retry never comes later than the schedule's own next time", "[scheduler][due]") {
    ScopedTimeZone zone{"UTC"};
    auto started = utc("2026-06-03T02:00:00Z");
    auto now = utc("2026-06-03T02:10:00Z");
    // Daily: the backoff decides.
    CHECK(retry_due(schedule("0 2 * * *"), started, now, 1) == utc("2026-06-03T02:11:00Z"));
    CHECK(retry_due(schedule("0 2 * * *"), started, now, 4) == utc("2026-06-03T02:18:00Z"));
    // Every 15 min: after 16 min of backoff the schedule comes first.
    CHECK(retry_due(schedule("@every 15m"), started, now, 5) == utc("2026-06-03T02:15:00Z"));
    // Every second: at once, as the schedule says.
    CHECK(retry_due(schedule("@every 1s"), started, now, 3) == now);
}
