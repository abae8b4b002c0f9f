#include <catch2/catch.hpp>

#include "harvest/scope_run.hpp"

using namespace oaiharvest::harvest::detail;

TEST_CASE("Identify's granularity decides how from is written", "[unit][harvest][window]") {
    CHECK(granularity_of(std::string("YYYY-MM-DDThh:mm:ssZ")) == Granularity::second);
    CHECK(granularity_of(std::string("YYYY-MM-DD")) == Granularity::day);
    // No Identify (it failed): days, which every endpoint understands.
    CHECK(granularity_of(std::nullopt) == Granularity::day);
}

TEST_CASE("A datestamp is cut to the endpoint's granularity", "[unit][harvest][window]") {
    CHECK(at_granularity("2026-06-03T02:27:02Z", Granularity::second) == "2026-06-03T02:27:02Z");
    CHECK(at_granularity("2026-06-03T02:27:02Z", Granularity::day) == "2026-06-03");
    CHECK(at_granularity("2026-06-03", Granularity::day) == "2026-06-03");
    CHECK(at_granularity("2026-06-03", Granularity::second) == "2026-06-03T00:00:00Z");
    CHECK_FALSE(at_granularity("yesterday", Granularity::day));
}
