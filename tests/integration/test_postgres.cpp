// The real binary on a PostgreSQL mirror (issue 18): the same server harvested into SQLite and
// into PostgreSQL gives the same exports, records and status, after a first harvest and after
// an incremental one; and the config file's `database` takes a PostgreSQL URL as it is.

#include <sqlite3.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <map>
#include <memory>
#include <regex>
#include <set>

#include "harness.hpp"
#include "postgres_fixture.hpp"
#include "util/time.hpp"

using namespace oaiharvest;
using test::Harness;

namespace {

const std::string k_book = "74797065733D626F6F6B";  // types=book
// The responseDate of each harvest, fixed so that both mirrors save the same next from.
const std::string k_first_response = "2026-06-01T00:00:00Z";
const std::string k_changed_at = "2026-06-02T00:00:00Z";
const std::string k_second_response = "2026-06-03T00:00:00Z";

std::string sample_id(std::size_t number) {
    return "oai:sample.oaiharvest.local:" + std::to_string(number);
}

// Both harvests of one round into the database: two formats of every record, and a third
// format of one set.
void harvest_round(const Harness& h, const std::string& database) {
    for (std::vector<std::string> scope :
         {std::vector<std::string>{"--prefix", "mets", "--prefix", "oai_dc"},
          std::vector<std::string>{"--prefix", "mods", "--set", k_book}}) {
        std::vector<std::string> args{"harvest", "--url", h.server.base_url(), "--name", "sample"};
        args.insert(args.end(), scope.begin(), scope.end());
        auto result = h.run_on(database, args);
        INFO(database << "\n" << result.err);
        REQUIRE(result.exit_code == 0);
    }
}

// A command's standard output on the database; the command must succeed.
std::string output_of(const Harness& h, const std::string& database,
                      std::vector<std::string> args) {
    auto result = h.run_on(database, args);
    INFO(database << ": " << args.front() << "\n" << result.err);
    REQUIRE(result.exit_code == 0);
    return result.out;
}

// An XML export without the times in it: when it was written (responseDate) and when each
// record changed in the mirror (lastChanged), which is each harvest's own wall-clock time.
std::string xml_without_times(const std::string& xml) {
    static const std::regex k_times("<responseDate>[^<]*</responseDate>|lastChanged=\"[^\"]*\"");
    return std::regex_replace(xml, k_times, "");
}

// The hits of `search --json`, by identifier, without their rank: each backend ranks with its
// own formula (FTS5's bm25, PostgreSQL's ts_rank), so scores and the order of hits differ.
std::map<std::string, nlohmann::json> hits_of(const std::string& json) {
    std::map<std::string, nlohmann::json> hits;
    for (auto hit : nlohmann::json::parse(json)) {
        hit.erase("rank");
        hits[hit["identifier"].get<std::string>()] = hit;
    }
    return hits;
}

// Everything the reading commands say about the mirror, compared between the two databases.
void require_same_mirror(const Harness& h, const std::string& sqlite, const std::string& pg) {
    for (std::vector<std::string> args :
         {std::vector<std::string>{"export", "--format", "jsonl", "--include-deleted"},
          std::vector<std::string>{"export", "--format", "jsonl"},
          std::vector<std::string>{"export", "--format", "csv", "--include-deleted"},
          std::vector<std::string>{"export", "--format", "xml", "--include-deleted"}}) {
        INFO(args[2]);
        auto expected = xml_without_times(output_of(h, sqlite, args));
        REQUIRE_FALSE(expected.empty());
        CHECK(xml_without_times(output_of(h, pg, args)) == expected);
    }
    for (std::size_t number : {1, 5, 6, 37, 121}) {
        for (std::string prefix : {"mets", "oai_dc", "mods"}) {
            INFO(sample_id(number) << " " << prefix);
            std::vector<std::string> show{"show", sample_id(number), "--prefix", prefix};
            auto expected = h.run_on(sqlite, show);
            auto got = h.run_on(pg, show);
            CHECK(got.exit_code == expected.exit_code);
            CHECK(got.out == expected.out);
            show.push_back("--raw");
            CHECK(h.run_on(pg, show).out == h.run_on(sqlite, show).out);
        }
    }
    for (std::string words : {"diplomacy", "Nazarova", "cultural diplomacy", "revised"}) {
        INFO("search " << words);
        std::vector<std::string> search{"search", words, "--json", "--limit", "500"};
        CHECK(hits_of(output_of(h, pg, search)) == hits_of(output_of(h, sqlite, search)));
    }
    auto expected = nlohmann::json::parse(output_of(h, sqlite, {"status", "--json"}));
    REQUIRE(expected.size() == 3);
    CHECK(test::without_times(nlohmann::json::parse(output_of(h, pg, {"status", "--json"}))) ==
          test::without_times(expected));
}

}  // namespace

TEST_CASE(
    "A harvest into PostgreSQL exports, shows and reports what the same harvest into SQLite "
    "does, first and incremental",
    "[integration][postgres]") {
    sample::GenerateOptions options;
    options.records = 120;  // records 37, 74 and 111 deleted
    sample::ProviderOptions provider;
    provider.page_size = 25;
    Harness h(options, provider);
    h.use_config("[http]\nrequest_interval = \"0s\"\n");
    const std::string sqlite = h.db;
    const std::string pg = test::new_mirror_url();

    h.server.set_response_date(k_first_response);
    harvest_round(h, sqlite);
    harvest_round(h, pg);
    require_same_mirror(h, sqlite, pg);
    // Two formats of 120 records, and the book set's in a third.
    const auto stored = test::sql(pg, "SELECT count(*) FROM records");
    REQUIRE(stored.size() == 1);
    CHECK(std::stoul(stored[0]) > 240);

    // The first harvest's changes are dated long ago, so that `export --since` tells them apart
    // from the second's whatever second each ran in.
    test::sql(pg, "UPDATE records SET last_changed = '2020-01-01T00:00:00Z'");
    {
        sqlite3* handle = nullptr;
        REQUIRE(sqlite3_open(sqlite.c_str(), &handle) == SQLITE_OK);
        std::unique_ptr<sqlite3, decltype(&sqlite3_close)> closer(handle, sqlite3_close);
        REQUIRE(sqlite3_exec(handle, "UPDATE records SET last_changed = '2020-01-01T00:00:00Z'",
                             nullptr, nullptr, nullptr) == SQLITE_OK);
    }

    // Record 5 is revised, 6 withdrawn, 121 new, and 7 leaves every set.
    auto repo = sample::make_sample_repository(options);
    for (auto& r : repo.records) {
        if (r.identifier == sample_id(5)) {
            r.datestamp = k_changed_at;
            REQUIRE(r.mets.find("</mods:title>") != std::string::npos);
            REQUIRE(r.oai_dc.find("</dc:title>") != std::string::npos);
            r.mets.insert(r.mets.find("</mods:title>"), " (revised)");
            r.oai_dc.insert(r.oai_dc.find("</dc:title>"), " (revised)");
        } else if (r.identifier == sample_id(6)) {
            r.datestamp = k_changed_at;
            r.deleted = true;
        } else if (r.identifier == sample_id(7)) {
            r.datestamp = k_changed_at;
            r.sets.clear();
        }
    }
    auto added = sample::make_sample_record(121, options);
    added.datestamp = k_changed_at;
    added.sets.push_back(k_book);
    repo.records.push_back(added);
    h.server.set_repository(std::move(repo));
    h.server.set_response_date(k_second_response);

    const std::string before_second = util::format_utc_seconds(util::now_utc());
    harvest_round(h, sqlite);
    harvest_round(h, pg);
    require_same_mirror(h, sqlite, pg);

    for (std::vector<std::string> args :
         {std::vector<std::string>{"export", "--since", before_second, "--include-deleted"},
          std::vector<std::string>{"export", "--since", before_second, "--format", "csv"},
          std::vector<std::string>{"export", "--since", "2020-01-01T00:00:01Z"},
          std::vector<std::string>{"export", "--since", "2020-01-01", "--include-deleted"}}) {
        INFO(args[2]);
        CHECK(output_of(h, pg, args) == output_of(h, sqlite, args));
    }
    // The second harvest changed 5, 6, 7 and 121 (in mets and oai_dc, and 121 in mods too).
    std::set<std::string> changed;
    std::size_t changed_rows = 0;
    for (const auto& line : test::lines_of(
             output_of(h, pg, {"export", "--since", before_second, "--include-deleted"}))) {
        changed.insert(nlohmann::json::parse(line)["identifier"].get<std::string>());
        ++changed_rows;
    }
    CHECK(changed ==
          std::set<std::string>{sample_id(5), sample_id(6), sample_id(7), sample_id(121)});
    CHECK(changed_rows >= 9);
    auto revised = nlohmann::json::parse(output_of(h, pg, {"show", sample_id(5)}));
    CHECK(revised["title"].get<std::string>().ends_with("(revised)"));
    auto status = nlohmann::json::parse(output_of(h, pg, {"status", "--json"}));
    CHECK(status[0]["last_run"]["outcome"] == "ok");
    CHECK(status[0]["next_from"] == k_second_response);
}

TEST_CASE("The config file's database takes a PostgreSQL URL as it is, not as a file path",
          "[integration][postgres]") {
    sample::GenerateOptions options;
    options.records = 30;
    Harness h(options);
    const std::string pg = test::new_mirror_url();
    h.use_config("database = \"" + pg + "\"\n[http]\nrequest_interval = \"0s\"\n");
    auto harvested = test::run_oaiharvest(
        {"-c", *h.config, "harvest", "--url", h.server.base_url(), "--name", "sample"});
    INFO(harvested.err);
    REQUIRE(harvested.exit_code == 0);
    CHECK(test::sql(pg, "SELECT count(*) FROM records") == std::vector<std::string>{"30"});
    auto status = test::run_oaiharvest({"-c", *h.config, "status", "--json"});
    INFO(status.err);
    REQUIRE(status.exit_code == 0);
    CHECK(nlohmann::json::parse(status.out)[0]["records"] == 30);
    // Nothing was made next to the config: no "postgresql:" folder, no database file.
    std::size_t entries = 0;
    for (const auto& entry : std::filesystem::directory_iterator(h.dir.path())) {
        INFO(entry.path());
        CHECK(entry.path().filename() == "oaiharvest.toml");
        ++entries;
    }
    CHECK(entries == 1);
    auto checked = test::run_oaiharvest({"-c", *h.config, "config", "check"});
    INFO(checked.err);
    CHECK(checked.exit_code == 0);
    CHECK(checked.out.find("database = \"" + pg + "\"") != std::string::npos);
}

TEST_CASE("The help says --db takes a PostgreSQL database", "[integration][postgres]") {
    auto help = test::run_oaiharvest({"--help"});
    REQUIRE(help.exit_code == 0);
    CHECK(help.out.find("postgresql://") != std::string::npos);
}
