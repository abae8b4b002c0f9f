#include <catch2/catch.hpp>
#include <set>

#include "harness.hpp"
#include "util/time.hpp"

using namespace oaiharvest;
using test::Harness;

namespace {

std::size_t count_verb(const testing::TestOaiServer& server, const std::string& verb) {
    std::size_t n = 0;
    for (const auto& r : server.requests()) {
        n += r.verb == verb;
    }
    return n;
}

}  // namespace

TEST_CASE("A list of three pages is harvested with every record stored exactly once",
          "[integration][harvest]") {
    Harness h;
    auto result = h.harvest();
    INFO(result.err);
    REQUIRE(result.exit_code == 0);
    CHECK(count_verb(h.server, "ListRecords") == 3);

    auto records = h.exported();
    REQUIRE(records.size() == 300);
    std::set<std::string> identifiers;
    for (const auto& r : records) {
        identifiers.insert(r["identifier"].get<std::string>());
        CHECK(r["metadata_prefix"] == "mets");
    }
    CHECK(identifiers.size() == 300);
    CHECK(result.err.find("sample mets: 292 new, 0 updated, 8 deleted") != std::string::npos);

    auto status = h.status();
    REQUIRE(status.size() == 1);
    CHECK(status[0]["records"] == 300);
    CHECK(status[0]["deleted"] == 8);
    CHECK(status[0]["last_run"]["outcome"] == "ok");
    CHECK(status[0]["last_run"]["pages"] == 3);
    CHECK(status[0]["pending_token"].is_null());
    CHECK(status[0]["next_from"].is_string());
}

TEST_CASE("Resumption tokens are sent percent-encoded, alone with the verb",
          "[integration][harvest]") {
    Harness h;
    REQUIRE(h.harvest().exit_code == 0);
    bool saw_token = false;
    for (const auto& r : h.server.requests()) {
        if (r.args.count("resumptionToken")) {
            saw_token = true;
            CHECK(r.args.size() == 2);  // verb and resumptionToken
            // EPrints' token text is already URL-encoded; it must arrive as sent.
            CHECK(r.args.find("resumptionToken")->second.find("%3D") != std::string::npos);
            CHECK(r.query.find("%253D") != std::string::npos);
        }
    }
    CHECK(saw_token);
}

TEST_CASE("Deleted records are stored as deleted", "[integration][harvest]") {
    Harness h;
    REQUIRE(h.harvest().exit_code == 0);
    auto records = h.exported();
    std::size_t deleted = 0;
    for (const auto& r : records) {
        if (r["deleted"].get<bool>()) {
            ++deleted;
            CHECK(r["title"].is_null());
        }
    }
    CHECK(deleted == 8);
    auto live_only = h.run({"export", "--format", "jsonl"});
    CHECK(std::count(live_only.out.begin(), live_only.out.end(), '\n') == 292);
}

TEST_CASE("A second harvest adds and changes nothing", "[integration][harvest]") {
    Harness h;
    REQUIRE(h.harvest().exit_code == 0);
    auto before = h.exported();
    auto next_from = h.status()[0]["next_from"].get<std::string>();
    auto second = h.harvest();
    INFO(second.err);
    REQUIRE(second.exit_code == 0);
    CHECK(h.exported() == before);
    auto status = h.status();
    CHECK(status[0]["last_run"]["new"] == 0);
    CHECK(status[0]["last_run"]["updated"] == 0);
    CHECK(status[0]["last_run"]["deleted"] == 0);

    // The second list asked from the first list's responseDate less the default overlap of 5
    // minutes, at the endpoint's granularity (seconds for the sample endpoint).
    const auto last = h.server.requests().back();
    REQUIRE(last.args.count("from") == 1);
    CHECK(last.args.find("from")->second ==
          util::format_utc_seconds(*util::parse_utc(next_from) - std::chrono::minutes{5}));
}

TEST_CASE("A full re-harvest of an unchanged repository changes nothing",
          "[integration][harvest]") {
    Harness h;
    REQUIRE(h.harvest().exit_code == 0);
    auto before = h.exported();
    auto again = h.harvest({"--full"});
    REQUIRE(again.exit_code == 0);
    CHECK(again.err.find("0 new, 0 updated, 0 deleted, 300 unchanged") != std::string::npos);
    CHECK(h.exported() == before);
}

TEST_CASE("show --raw gives back the metadata XML the server sent", "[integration][harvest]") {
    Harness h;
    REQUIRE(h.harvest().exit_code == 0);
    for (std::size_t number : {1, 2, 3, 150, 299}) {
        auto source = sample::make_sample_record(number, h.generate);
        auto raw = h.run({"show", source.identifier, "--raw"});
        INFO(source.identifier << "\n" << raw.err);
        REQUIRE(raw.exit_code == 0);
        CHECK(test::canonical_xml(raw.out) == test::canonical_xml(test::standalone(source.mets)));
    }
}

TEST_CASE("show prints the normalized record of the seed", "[integration][harvest]") {
    Harness h;
    REQUIRE(h.harvest().exit_code == 0);
    auto shown = h.run({"show", "oai:sample.oaiharvest.local:1"});
    REQUIRE(shown.exit_code == 0);
    auto j = nlohmann::json::parse(shown.out);
    CHECK(j["title"] ==
          "MECHANISMS FOR DEVELOPING CULTURAL DIPLOMACY BETWEEN THE REPUBLICS OF KYRGYZSTAN AND "
          "TAJIKISTAN");
    CHECK(j["names"][0]["display"] == "Nazarova, Feruza");
    CHECK(j["mets"]["custodian"] == "Arxiv Universal Publishings");

    auto missing = h.run({"show", "oai:sample.oaiharvest.local:999999"});
    CHECK(missing.exit_code == 1);
    CHECK(missing.err.find("no record oai:sample.oaiharvest.local:999999") != std::string::npos);
}

TEST_CASE("A changed, a deleted and a new record are each picked up by the next harvest",
          "[integration][harvest]") {
    sample::GenerateOptions options;
    options.records = 120;
    Harness h(options);
    REQUIRE(h.harvest().exit_code == 0);

    auto repo = sample::make_sample_repository(options);
    auto now = util::format_utc_seconds(util::now_utc() + std::chrono::hours(1));
    for (auto& r : repo.records) {
        if (r.identifier == "oai:sample.oaiharvest.local:5") {
            r.datestamp = now;
            auto at = r.mets.find("</mods:title>");
            REQUIRE(at != std::string::npos);
            r.mets.insert(at, " (revised)");
        } else if (r.identifier == "oai:sample.oaiharvest.local:6") {
            r.datestamp = now;
            r.deleted = true;
        }
    }
    auto added = sample::make_sample_record(121, options);
    added.datestamp = now;
    repo.records.push_back(added);
    h.server.set_repository(std::move(repo));

    auto second = h.harvest();
    INFO(second.err);
    REQUIRE(second.exit_code == 0);
    CHECK(second.err.find("1 new, 1 updated, 1 deleted") != std::string::npos);
    auto shown = nlohmann::json::parse(h.run({"show", "oai:sample.oaiharvest.local:5"}).out);
    CHECK(shown["title"].get<std::string>().ends_with("(revised)"));
    auto gone = nlohmann::json::parse(h.run({"show", "oai:sample.oaiharvest.local:6"}).out);
    CHECK(gone["deleted"] == true);
    CHECK(gone["title"].is_string());  // the last known metadata stays
}
