#include <catch2/catch.hpp>

#include "util/time.hpp"

using namespace oaiharvest::util;

TEST_CASE("parse_utc reads both OAI-PMH granularities", "[util][time]") {
    auto day = parse_utc("2026-06-03");
    REQUIRE(day);
    CHECK(format_utc_seconds(*day) == "2026-06-03T00:00:00Z");
    auto second = parse_utc("2026-06-03T02:27:02Z");
    REQUIRE(second);
    CHECK(format_utc_seconds(*second) == "2026-06-03T02:27:02Z");
    CHECK(format_utc_day(*second) == "2026-06-03");
}

TEST_CASE("parse_utc folds offsets and fractions into UTC", "[util][time]") {
    CHECK(format_utc_seconds(*parse_utc("2026-06-03T02:27:02.123Z")) == "2026-06-03T02:27:02Z");
    CHECK(format_utc_seconds(*parse_utc("2026-06-03T02:27:02+02:00")) == "2026-06-03T00:27:02Z");
    CHECK(format_utc_seconds(*parse_utc("2026-06-03T23:30:00-01:00")) == "2026-06-04T00:30:00Z");
}

TEST_CASE("parse_utc rejects what is not a datestamp", "[util][time]") {
    CHECK_FALSE(parse_utc(""));
    CHECK_FALSE(parse_utc("2026-13-01"));
    CHECK_FALSE(parse_utc("2026-02-30"));
    CHECK_FALSE(parse_utc("2026-06-03T25:00:00Z"));
    CHECK_FALSE(parse_utc("2026-06-03 02:27:02"));
    CHECK_FALSE(parse_utc("yesterday"));
}
