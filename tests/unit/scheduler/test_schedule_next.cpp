#include <catch2/catch.hpp>

#include "time_zone.hpp"

using namespace oaiharvest::scheduler;
using namespace oaiharvest::scheduler::testing;
using namespace std::chrono_literals;

// Calendar arithmetic in UTC, where local time is UTC: 2026-06-03 is a Wednesday.

TEST_CASE("next_after is strictly after, at the start of a minute", "[scheduler][next]") {
    ScopedTimeZone zone{"UTC"};
    CHECK(next("*/15 * * * *", "2026-06-03T10:07:00Z") == "2026-06-03 10:15 +0000");
    CHECK(next("*/15 * * * *", "2026-06-03T10:15:00Z") == "2026-06-03 10:30 +0000");
    CHECK(next("*/15 * * * *", "2026-06-03T10:45:30Z") == "2026-06-03 11:00 +0000");
    const auto just_before = utc("2026-06-03T10:14:59Z") + 999ms;
    CHECK(schedule("*/15 * * * *").next_after(just_before) == utc("2026-06-03T10:15:00Z"));
    CHECK(schedule("* * * * *").next_after(utc("2026-06-03T10:15:00Z") + 1ms) ==
          utc("2026-06-03T10:16:00Z"));
}

TEST_CASE("a daily time runs today if still ahead, else tomorrow", "[scheduler][next]") {
    ScopedTimeZone zone{"UTC"};
    CHECK(next("0 2 * * *", "2026-06-03T01:59:00Z") == "2026-06-03 02:00 +0000");
    CHECK(next("0 2 * * *", "2026-06-03T02:00:00Z") == "2026-06-04 02:00 +0000");
    CHECK(next("0 2 * * *", "2026-06-03T02:27:02Z") == "2026-06-04 02:00 +0000");
}

TEST_CASE("lists, ranges and steps", "[scheduler][next]") {
    ScopedTimeZone zone{"UTC"};
    CHECK(next("5,10,50 * * * *", "2026-06-03T10:05:00Z") == "2026-06-03 10:10 +0000");
    CHECK(next("5,10,50 * * * *", "2026-06-03T10:50:00Z") == "2026-06-03 11:05 +0000");
    CHECK(next("10-50/20 * * * *", "2026-06-03T10:10:00Z") == "2026-06-03 10:30 +0000");
    CHECK(next("10-50/20 * * * *", "2026-06-03T10:30:00Z") == "2026-06-03 10:50 +0000");
    CHECK(next("10-50/20 * * * *", "2026-06-03T10:50:00Z") == "2026-06-03 11:10 +0000");
    CHECK(next("5/20 * * * *", "2026-06-03T10:25:00Z") == "2026-06-03 10:45 +0000");
    CHECK(next("0 */6 * * *", "2026-06-03T13:00:00Z") == "2026-06-03 18:00 +0000");
    CHECK(next("30 9-17 * * *", "2026-06-03T17:30:00Z") == "2026-06-04 09:30 +0000");
}

TEST_CASE("weekday ranges skip the weekend", "[scheduler][next]") {
    ScopedTimeZone zone{"UTC"};
    // Friday 2026-06-05 after the last run -> Monday 2026-06-08.
    CHECK(next("0 9-17 * * MON-FRI", "2026-06-05T17:30:00Z") == "2026-06-08 09:00 +0000");
    CHECK(next("0 9-17 * * 1-5", "2026-06-05T17:30:00Z") == "2026-06-08 09:00 +0000");
    CHECK(next("0 10 * * FRI-SUN", "2026-06-03T12:00:00Z") == "2026-06-05 10:00 +0000");
    CHECK(next("0 10 * * FRI-SUN", "2026-06-06T12:00:00Z") == "2026-06-07 10:00 +0000");
    CHECK(next("0 10 * * FRI-SUN", "2026-06-07T12:00:00Z") == "2026-06-12 10:00 +0000");
}

TEST_CASE("day and month names in any case", "[scheduler][next]") {
    ScopedTimeZone zone{"UTC"};
    CHECK(next("0 0 1 jan,Jul *", "2026-06-03T00:00:00Z") == "2026-07-01 00:00 +0000");
    CHECK(next("0 0 1 jan,Jul *", "2026-07-01T00:00:00Z") == "2027-01-01 00:00 +0000");
    CHECK(next("0 12 * * sun", "2026-06-03T00:00:00Z") == "2026-06-07 12:00 +0000");
}

TEST_CASE("0 and 7 are both Sunday", "[scheduler][next]") {
    ScopedTimeZone zone{"UTC"};
    CHECK(next("0 12 * * 0", "2026-06-03T00:00:00Z") == "2026-06-07 12:00 +0000");
    CHECK(next("0 12 * * 7", "2026-06-03T00:00:00Z") == "2026-06-07 12:00 +0000");
    CHECK(schedule("0 12 * * 7").next_after(utc("2026-06-07T12:00:00Z")) ==
          utc("2026-06-14T12:00:00Z"));
}

TEST_CASE("the 31st runs only in long months", "[scheduler][next]") {
    ScopedTimeZone zone{"UTC"};
    CHECK(next("0 0 31 * *", "2026-01-31T00:00:00Z") == "2026-03-31 00:00 +0000");
    CHECK(next("0 0 31 * *", "2026-03-31T00:00:00Z") == "2026-05-31 00:00 +0000");
    CHECK(next("0 0 31 * *", "2026-07-31T00:00:00Z") == "2026-08-31 00:00 +0000");
    CHECK(next("0 0 30 * *", "2026-01-30T00:00:00Z") == "2026-03-30 00:00 +0000");
}

TEST_CASE("February 29th waits for a leap year", "[scheduler][next]") {
    ScopedTimeZone zone{"UTC"};
    CHECK(next("0 0 29 2 *", "2024-03-01T00:00:00Z") == "2028-02-29 00:00 +0000");
    CHECK(next("0 0 29 2 *", "2028-02-28T23:59:00Z") == "2028-02-29 00:00 +0000");
    // 2100 is not a leap year: the longest wait, eight years.
    CHECK(next("0 0 29 2 *", "2096-03-01T00:00:00Z") == "2104-02-29 00:00 +0000");
}

TEST_CASE("the year rolls over", "[scheduler][next]") {
    ScopedTimeZone zone{"UTC"};
    CHECK(next("0 0 1 1 *", "2026-12-31T23:59:30Z") == "2027-01-01 00:00 +0000");
    CHECK(next("59 23 31 12 *", "2026-12-31T23:59:00Z") == "2027-12-31 23:59 +0000");
}

TEST_CASE("both day fields restricted: either one matches", "[scheduler][next]") {
    ScopedTimeZone zone{"UTC"};
    // The 13th, or any Friday: from Wednesday 2026-06-03 the Friday comes first...
    CHECK(next("0 0 13 * FRI", "2026-06-03T00:00:00Z") == "2026-06-05 00:00 +0000");
    // ...and after Friday the 12th comes the 13th (a Saturday), then Friday the 19th.
    CHECK(next("0 0 13 * FRI", "2026-06-12T00:00:00Z") == "2026-06-13 00:00 +0000");
    CHECK(next("0 0 13 * FRI", "2026-06-13T00:00:00Z") == "2026-06-19 00:00 +0000");
    // February 30th never occurs, but Mondays do.
    CHECK(next("0 0 30 2 MON", "2026-06-03T00:00:00Z") == "2027-02-01 00:00 +0000");
}

TEST_CASE("one day field restricted: only it counts", "[scheduler][next]") {
    ScopedTimeZone zone{"UTC"};
    CHECK(next("0 0 * * FRI", "2026-06-05T00:00:00Z") == "2026-06-12 00:00 +0000");
    CHECK(next("0 0 13 * *", "2026-06-05T00:00:00Z") == "2026-06-13 00:00 +0000");
    // A step is a restriction, not "*": the OR rule applies.
    CHECK(next("0 0 */10 * MON", "2026-06-02T00:00:00Z") == "2026-06-08 00:00 +0000");
    CHECK(next("0 0 */10 * MON", "2026-06-08T00:00:00Z") == "2026-06-11 00:00 +0000");
}

TEST_CASE("the @ names", "[scheduler][next]") {
    ScopedTimeZone zone{"UTC"};
    CHECK(next("@hourly", "2026-06-03T10:07:00Z") == "2026-06-03 11:00 +0000");
    CHECK(next("@daily", "2026-06-03T10:07:00Z") == "2026-06-04 00:00 +0000");
    CHECK(next("@midnight", "2026-06-03T10:07:00Z") == "2026-06-04 00:00 +0000");
    CHECK(next("@weekly", "2026-06-03T10:07:00Z") == "2026-06-07 00:00 +0000");
    CHECK(next("@monthly", "2026-06-03T10:07:00Z") == "2026-07-01 00:00 +0000");
    CHECK(next("@yearly", "2026-06-03T10:07:00Z") == "2027-01-01 00:00 +0000");
    CHECK(next("@annually", "2026-06-03T10:07:00Z") == "2027-01-01 00:00 +0000");
}

TEST_CASE("@every counts from the time given", "[scheduler][next]") {
    ScopedTimeZone zone{"UTC"};
    const auto last_run = utc("2026-06-03T10:07:13Z") + 250ms;
    CHECK(schedule("@every 6h").next_after(last_run) == last_run + 6h);
    CHECK(schedule("@every 90s").next_after(last_run) == last_run + 90s);
    CHECK(schedule("@every 1d").next_after(last_run) == last_run + 24h);
}

TEST_CASE("a rare schedule is found quickly", "[scheduler][next]") {
    ScopedTimeZone zone{"UTC"};
    // Fifty leap days on (system_clock ends in 2262): found field by field, not minute by minute.
    auto when = utc("2026-06-03T00:00:00Z");
    const auto rare = schedule("0 0 29 2 *");
    for (int i = 0; i < 50; ++i) {
        when = rare.next_after(when);
    }
    CHECK(local(when) == "2232-02-29 00:00 +0000");
}
