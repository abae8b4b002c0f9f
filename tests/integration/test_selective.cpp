#include <catch2/catch.hpp>

#include "harness.hpp"

using namespace oaiharvest;
using test::Harness;

TEST_CASE("A set-restricted harvest stores only that set's records", "[integration][selective]") {
    Harness h;
    const std::string book = "74797065733D626F6F6B";  // types=book
    auto result = h.harvest({"--set", book});
    INFO(result.err);
    REQUIRE(result.exit_code == 0);
    auto records = h.exported();
    REQUIRE_FALSE(records.empty());
    CHECK(records.size() < 300);
    std::size_t in_set = 0;
    for (const auto& r : records) {
        if (r["deleted"].get<bool>()) {
            continue;  // EPrints' deleted headers carry no setSpec
        }
        auto sets = r["sets"].get<std::vector<std::string>>();
        CHECK(std::find(sets.begin(), sets.end(), book) != sets.end());
        ++in_set;
    }
    for (const auto& request : h.server.requests()) {
        if (request.verb == "ListRecords" && !request.args.count("resumptionToken")) {
            CHECK(request.args.find("set")->second == book);
        }
    }
    auto status = h.status();
    REQUIRE(status.size() == 1);
    CHECK(status[0]["set"] == book);
    // A set scope counts the records whose sets hold it; tombstones carry no sets.
    CHECK(status[0]["records"] == in_set);
}

TEST_CASE("A from-restricted harvest asks from that date and stores what the server sends",
          "[integration][selective]") {
    Harness h;
    auto cut = sample::make_sample_record(200, h.generate).datestamp;
    auto result = h.harvest({"--from", cut});
    INFO(result.err);
    REQUIRE(result.exit_code == 0);
    auto records = h.exported();
    REQUIRE_FALSE(records.empty());
    for (const auto& r : records) {
        CHECK(r["datestamp"].get<std::string>() >= cut);
    }
    CHECK(records.size() < 300);
    bool asked = false;
    for (const auto& request : h.server.requests()) {
        if (request.verb == "ListRecords" && request.args.count("from")) {
            asked = true;
            CHECK(request.args.find("from")->second == cut);
        }
    }
    CHECK(asked);
}

TEST_CASE("noRecordsMatch is a complete, empty list, not a failure", "[integration][selective]") {
    Harness h;
    auto result = h.harvest({"--from", "2099-01-01"});
    INFO(result.err);
    REQUIRE(result.exit_code == 0);
    CHECK(h.exported().empty());
    auto status = h.status();
    CHECK(status[0]["last_run"]["outcome"] == "ok");
    CHECK(status[0]["records"] == 0);
}

TEST_CASE("Several prefixes are separate scopes", "[integration][selective]") {
    sample::GenerateOptions options;
    options.records = 40;
    Harness h(options);
    auto result = h.harvest({"--prefix", "mods", "--prefix", "oai_dc"});
    INFO(result.err);
    REQUIRE(result.exit_code == 0);
    auto status = h.status();
    REQUIRE(status.size() == 2);
    CHECK(status[0]["metadata_prefix"] == "mods");
    CHECK(status[1]["metadata_prefix"] == "oai_dc");
    CHECK(status[0]["records"] == 40);
    CHECK(status[1]["records"] == 40);
    auto seed = nlohmann::json::parse(
        h.run({"show", "oai:sample.oaiharvest.local:1", "--prefix", "oai_dc"}).out);
    CHECK(seed["metadata_prefix"] == "oai_dc");
    CHECK(seed["mets"].is_null());
}

TEST_CASE("Without a prefix, mets is chosen when offered", "[integration][selective]") {
    sample::GenerateOptions options;
    options.records = 10;
    Harness h(options);
    REQUIRE(h.harvest().exit_code == 0);
    bool listed_formats = false;
    for (const auto& request : h.server.requests()) {
        listed_formats = listed_formats || request.verb == "ListMetadataFormats";
    }
    CHECK(listed_formats);
    CHECK(h.status()[0]["metadata_prefix"] == "mets");
}
