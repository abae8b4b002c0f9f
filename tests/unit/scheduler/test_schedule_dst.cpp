#include <catch2/catch.hpp>
#include <filesystem>

#include "time_zone.hpp"

using namespace oaiharvest::scheduler;
using namespace oaiharvest::scheduler::testing;
using namespace std::chrono_literals;

// Europe/Berlin in 2026: clocks jump 02:00 CET -> 03:00 CEST on March 29th (01:00 UTC) and fall
// back 03:00 CEST -> 02:00 CET on October 25th (01:00 UTC), so 02:00-02:59 happens twice.

namespace {

bool have_zone(const char* zone) {
    return std::filesystem::exists(std::filesystem::path{"/usr/share/zoneinfo"} / zone);
}

}  // namespace

TEST_CASE("a local time skipped by the spring gap runs at the jump", "[scheduler][dst]") {
    if (!have_zone("Europe/Berlin")) {
        WARN("no tzdata for Europe/Berlin: skipped");
        return;
    }
    ScopedTimeZone zone{"Europe/Berlin"};
    CHECK(next("30 2 * * *", "2026-03-28T12:00:00Z") == "2026-03-29 03:00 +0200");
    CHECK(schedule("30 2 * * *").next_after(utc("2026-03-28T12:00:00Z")) ==
          utc("2026-03-29T01:00:00Z"));
    CHECK(next("30 2 * * *", "2026-03-29T01:00:00Z") == "2026-03-30 02:30 +0200");
    // The day before and after keep their local time.
    CHECK(next("30 2 * * *", "2026-03-27T12:00:00Z") == "2026-03-28 02:30 +0100");
}

TEST_CASE("several times in the gap run once, at the jump", "[scheduler][dst]") {
    if (!have_zone("Europe/Berlin")) {
        WARN("no tzdata for Europe/Berlin: skipped");
        return;
    }
    ScopedTimeZone zone{"Europe/Berlin"};
    CHECK(next("*/15 * * * *", "2026-03-29T00:40:00Z") == "2026-03-29 01:45 +0100");
    CHECK(next("*/15 * * * *", "2026-03-29T00:59:00Z") == "2026-03-29 03:00 +0200");
    CHECK(next("*/15 * * * *", "2026-03-29T01:00:00Z") == "2026-03-29 03:15 +0200");
    CHECK(next("@hourly", "2026-03-29T00:30:00Z") == "2026-03-29 03:00 +0200");
    CHECK(next("@hourly", "2026-03-29T01:00:00Z") == "2026-03-29 04:00 +0200");
}

TEST_CASE("a local time repeated by the autumn fold runs once", "[scheduler][dst]") {
    if (!have_zone("Europe/Berlin")) {
        WARN("no tzdata for Europe/Berlin: skipped");
        return;
    }
    ScopedTimeZone zone{"Europe/Berlin"};
    CHECK(next("30 2 * * *", "2026-10-24T12:00:00Z") == "2026-10-25 02:30 +0200");
    CHECK(schedule("30 2 * * *").next_after(utc("2026-10-24T12:00:00Z")) ==
          utc("2026-10-25T00:30:00Z"));
    // Not again at 02:30 CET, an hour later.
    CHECK(next("30 2 * * *", "2026-10-25T00:30:00Z") == "2026-10-26 02:30 +0100");
    // Asked during the second 02:xx, the first has passed.
    CHECK(next("30 2 * * *", "2026-10-25T01:10:00Z") == "2026-10-26 02:30 +0100");
    CHECK(next("*/30 * * * *", "2026-10-25T00:30:00Z") == "2026-10-25 03:00 +0100");
    CHECK(next("*/30 * * * *", "2026-10-25T01:10:00Z") == "2026-10-25 03:00 +0100");
    CHECK(next("0 3 * * *", "2026-10-24T12:00:00Z") == "2026-10-25 03:00 +0100");
}

TEST_CASE("@every ignores DST: it counts elapsed time", "[scheduler][dst]") {
    if (!have_zone("Europe/Berlin")) {
        WARN("no tzdata for Europe/Berlin: skipped");
        return;
    }
    ScopedTimeZone zone{"Europe/Berlin"};
    CHECK(next("@every 1h", "2026-03-29T00:30:00Z") == "2026-03-29 03:30 +0200");
    CHECK(next("@every 1h", "2026-10-25T00:30:00Z") == "2026-10-25 02:30 +0100");
}

TEST_CASE("a zone without DST keeps its offset", "[scheduler][dst]") {
    if (!have_zone("Asia/Tashkent")) {
        WARN("no tzdata for Asia/Tashkent: skipped");
        return;
    }
    ScopedTimeZone zone{"Asia/Tashkent"};
    CHECK(next("0 2 * * *", "2026-06-03T00:00:00Z") == "2026-06-04 02:00 +0500");
    CHECK(schedule("0 2 * * *").next_after(utc("2026-06-03T00:00:00Z")) ==
          utc("2026-06-03T21:00:00Z"));
    CHECK(next("0 2 * * *", "2026-03-29T00:00:00Z") == "2026-03-30 02:00 +0500");
}

TEST_CASE("a negative offset crosses the UTC day", "[scheduler][dst]") {
    if (!have_zone("America/New_York")) {
        WARN("no tzdata for America/New_York: skipped");
        return;
    }
    ScopedTimeZone zone{"America/New_York"};
    // 2026-06-03T02:00Z is 22:00 EDT on June 2nd.
    CHECK(next("0 23 * * *", "2026-06-03T02:00:00Z") == "2026-06-02 23:00 -0400");
    // US spring gap 2026-03-08 02:00 EST -> 03:00 EDT.
    CHECK(next("30 2 * * *", "2026-03-08T05:00:00Z") == "2026-03-08 03:00 -0400");
}
