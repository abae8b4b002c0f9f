#include <catch2/catch.hpp>

#include "util/units.hpp"

using namespace oaiharvest::util;
using namespace std::chrono_literals;

TEST_CASE("parse_duration reads each unit", "[util][units]") {
    CHECK(parse_duration("500ms") == 500ms);
    CHECK(parse_duration("30s") == 30s);
    CHECK(parse_duration("5m") == 5min);
    CHECK(parse_duration("2h") == 2h);
    CHECK(parse_duration("1d") == 24h);
    CHECK(parse_duration("0s") == 0ms);
}

TEST_CASE("parse_duration reads combinations, largest unit first", "[util][units]") {
    CHECK(parse_duration("1h30m") == 90min);
    CHECK(parse_duration("1m30s") == 90s);
    CHECK(parse_duration("1d12h") == 36h);
    CHECK(parse_duration("1s500ms") == 1500ms);
    CHECK(parse_duration("2d3h4m5s6ms") == 2 * 24h + 3h + 4min + 5s + 6ms);
}

TEST_CASE("parse_duration rejects what is not a duration", "[util][units]") {
    for (const auto* text :
         {"", "30", "s", "-5s", "+5s", "1.5h", "30 s", " 30s", "30s ", "5x", "5sec", "5M", "30m1h",
          "1h1h", "1m1m", "1h30", "ms", "99999999999999999999s", "9999999999999999d"}) {
        INFO(text);
        CHECK_FALSE(parse_duration(text));
    }
}

TEST_CASE("format_duration writes the shortest text read back alike", "[util][units]") {
    CHECK(format_duration(0ms) == "0s");
    CHECK(format_duration(500ms) == "500ms");
    CHECK(format_duration(60s) == "1m");
    CHECK(format_duration(90min) == "1h30m");
    CHECK(format_duration(24h) == "1d");
    CHECK(format_duration(1500ms) == "1s500ms");
    for (const std::chrono::milliseconds duration : {1ms, 999ms, 61000ms, 3601000ms}) {
        CHECK(parse_duration(format_duration(duration)) == duration);
    }
    CHECK(parse_duration(format_duration(25h + 1ms)) == 25h + 1ms);
    CHECK(parse_duration(format_duration(400 * 24h)) == 400 * 24h);
}

TEST_CASE("parse_size reads bytes and decimal and binary units", "[util][units]") {
    CHECK(parse_size("4096") == 4096u);
    CHECK(parse_size("100B") == 100u);
    CHECK(parse_size("512KB") == 512'000u);
    CHECK(parse_size("200MB") == 200'000'000u);
    CHECK(parse_size("2GB") == 2'000'000'000u);
    CHECK(parse_size("1TB") == 1'000'000'000'000u);
    CHECK(parse_size("1KiB") == 1024u);
    CHECK(parse_size("10MiB") == 10u << 20);
    CHECK(parse_size("1GiB") == 1ULL << 30);
    CHECK(parse_size("2TiB") == 2ULL << 40);
    CHECK(parse_size("512 mb") == 512'000'000u);
    CHECK(parse_size("1gib") == 1ULL << 30);
}

TEST_CASE("parse_size rejects what is not a size", "[util][units]") {
    for (const auto* text : {"", "MB", "-1MB", "1.5GB", "12XB", "1 2MB", "1  MB", "1MB ",
                             "99999999999999999999", "20000000TiB"}) {
        INFO(text);
        CHECK_FALSE(parse_size(text));
    }
}

TEST_CASE("format_size writes the shortest exact text", "[util][units]") {
    CHECK(format_size(0) == "0B");
    CHECK(format_size(1500) == "1500B");
    CHECK(format_size(1000) == "1KB");
    CHECK(format_size(1024) == "1KiB");
    CHECK(format_size(512'000'000) == "512MB");
    CHECK(format_size(1ULL << 30) == "1GiB");
    CHECK(format_size(10ULL << 20) == "10MiB");
    for (const std::uint64_t bytes : {1ULL, 1023ULL, 1025ULL, 123'456'789ULL, 3ULL << 40}) {
        CHECK(parse_size(format_size(bytes)) == bytes);
    }
}
