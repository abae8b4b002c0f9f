#include <catch2/catch.hpp>

#include "time_zone.hpp"

using namespace oaiharvest::scheduler;
using namespace oaiharvest::scheduler::testing;
using namespace std::chrono_literals;

TEST_CASE("Schedule keeps the text as written", "[scheduler][parse]") {
    CHECK(schedule("0 2 * * *").text() == "0 2 * * *");
    CHECK(schedule("@every 6h").text() == "@every 6h");
    CHECK(schedule(" @Daily ").text() == " @Daily ");
}

TEST_CASE("Schedule equality follows fields and text", "[scheduler][parse]") {
    CHECK(schedule("0 12 * * 0") == schedule("0 12 * * 0"));
    CHECK_FALSE(schedule("0 12 * * 0") == schedule("0 13 * * 0"));
}

TEST_CASE("interval is set for @every only", "[scheduler][parse]") {
    CHECK(schedule("@every 90s").interval() == 90s);
    CHECK(schedule("@every 1h30m").interval() == 90min);
    CHECK_FALSE(schedule("@hourly").interval());
    CHECK_FALSE(schedule("*/5 * * * *").interval());
}

TEST_CASE("parse accepts every documented form", "[scheduler][parse]") {
    for (const auto* text :
         {"* * * * *",        "*/15 * * * *",    "10-50/20 * * * *", "5/20 * * * *",
          "1,3,5 0-23 * * *", "0 2 * * *",       "0 0 1 jan,Jul *",  "0 12 * * sun",
          "0 12 * * 7",       "0 9 * * MON-FRI", "0 9 * * FRI-SUN",  "0 0 31 * *",
          "0 0 29 2 *",       "0 0 30 2 MON",    "0 0 13 * FRI",     "\t0  2 * * *\n",
          "@hourly",          "@daily",          "@midnight",        "@weekly",
          "@monthly",         "@yearly",         "@annually",        "@DAILY",
          "@every 1s",        "@every 6h",       "@every   90s"}) {
        INFO(text);
        CHECK(parse_error(text).empty());
    }
}

TEST_CASE("an empty schedule is rejected", "[scheduler][parse][error]") {
    CHECK(parse_error("") == "empty schedule");
    CHECK(parse_error("   ") == "empty schedule");
}

TEST_CASE("the wrong number of fields is rejected", "[scheduler][parse][error]") {
    CHECK(parse_error("0 2 * *") ==
          "expected 5 fields (minute hour day-of-month month day-of-week), got 4");
    CHECK(parse_error("0 0 2 * * *") ==
          "expected 5 fields (minute hour day-of-month month day-of-week), got 6");
}

TEST_CASE("a value out of its field's range is rejected", "[scheduler][parse][error]") {
    CHECK(parse_error("60 * * * *") == "minute 60 is out of range 0-59");
    CHECK(parse_error("0 25 * * *") == "hour 25 is out of range 0-23");
    CHECK(parse_error("0 0 0 * *") == "day-of-month 0 is out of range 1-31");
    CHECK(parse_error("0 0 32 * *") == "day-of-month 32 is out of range 1-31");
    CHECK(parse_error("0 0 * 13 *") == "month 13 is out of range 1-12");
    CHECK(parse_error("0 0 * 0 *") == "month 0 is out of range 1-12");
    CHECK(parse_error("0 0 * * 8") == "day-of-week 8 is out of range 0-7");
    CHECK(parse_error("0 0-24 * * *") == "hour 24 is out of range 0-23");
}

TEST_CASE("a value that is not a number or name is rejected", "[scheduler][parse][error]") {
    CHECK(parse_error("x * * * *") == "minute 'x' is not a number");
    CHECK(parse_error("-5 * * * *") == "minute '-5' is not a number");
    CHECK(parse_error("0 2a * * *") == "hour '2a' is not a number");
    CHECK(parse_error("0 0 * FOO *") == "month 'FOO' is not a number 1-12 or a name JAN-DEC");
    CHECK(parse_error("0 0 * * MONDAY") ==
          "day-of-week 'MONDAY' is not a number 0-7 or a name SUN-SAT");
    CHECK(parse_error("0 0 * * 1-") == "day-of-week '' is not a number");
}

TEST_CASE("a step past the field's end keeps the first value", "[scheduler][parse]") {
    const auto t = utc("2026-06-03T10:07:00Z");
    CHECK(schedule("5/100 * * * *").next_after(t) == schedule("5 * * * *").next_after(t));
    CHECK(parse_error("*/2147483647 * * * *").empty());
    CHECK(parse_error("*/99999999999 * * * *") == "minute step '99999999999' is not a number");
}

TEST_CASE("a bad step is rejected", "[scheduler][parse][error]") {
    CHECK(parse_error("*/0 * * * *") == "minute step '0' must be at least 1");
    CHECK(parse_error("*/x * * * *") == "minute step 'x' is not a number");
    CHECK(parse_error("0 */ * * *") == "hour step '' is not a number");
}

TEST_CASE("a range running backwards is rejected", "[scheduler][parse][error]") {
    CHECK(parse_error("30-10 * * * *") == "minute range '30-10' runs backwards");
    CHECK(parse_error("0 0 * DEC-JAN *") == "month range 'DEC-JAN' runs backwards");
}

TEST_CASE("an empty list item is rejected", "[scheduler][parse][error]") {
    CHECK(parse_error("1,,2 * * * *") == "minute '1,,2' has an empty list item");
    CHECK(parse_error("0 0 1, * *") == "day-of-month '1,' has an empty list item");
}

TEST_CASE("an expression that can never run is rejected", "[scheduler][parse][error]") {
    CHECK(parse_error("0 0 30 2 *") == "never runs: day 30 does not occur in FEB");
    CHECK(parse_error("0 0 31 4,6,9,11 *") ==
          "never runs: day 31 does not occur in APR, JUN, SEP, NOV");
    CHECK(parse_error("0 0 30,31 FEB *") == "never runs: days 30,31 do not occur in FEB");
    // Day-of-week restricted too: it runs on those weekdays (the OR rule).
    CHECK(parse_error("0 0 30 2 MON").empty());
}

TEST_CASE("an unknown @ name is rejected", "[scheduler][parse][error]") {
    const std::string usage =
        "': use 5 cron fields, @hourly, @daily, @midnight, @weekly, @monthly, @yearly, "
        "@annually or @every DURATION";
    CHECK(parse_error("@reboot") == "unknown schedule '@reboot" + usage);
    CHECK(parse_error("@daily 5") == "unknown schedule '@daily 5" + usage);
}

TEST_CASE("@every needs a duration from 1s to 366d", "[scheduler][parse][error]") {
    CHECK(parse_error("@every") == "@every needs a duration, e.g. \"@every 6h\"");
    CHECK(parse_error("@every 6 hours") ==
          "@every '6 hours' is not a duration (e.g. 90s, 6h, 1h30m)");
    CHECK(parse_error("@every -1h") == "@every '-1h' is not a duration (e.g. 90s, 6h, 1h30m)");
    CHECK(parse_error("@every 500ms") == "@every 500ms is shorter than the minimum 1s");
    CHECK(parse_error("@every 0s") == "@every 0s is shorter than the minimum 1s");
    CHECK(parse_error("@every 367d") == "@every 367d is longer than the maximum 366d");
    CHECK(parse_error("@every 366d").empty());
}
