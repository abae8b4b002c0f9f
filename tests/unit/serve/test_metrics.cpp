// /metrics (lib/serve/metrics, over lib/store/scope_metrics): the Prometheus text of a mirror
// harvested by runs that succeeded and failed, read back line by line.

#include <catch2/catch.hpp>
#include <map>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "harvest/normalize.hpp"
#include "serve/metrics.hpp"
#include "store/store.hpp"
#include "support/store_fixture.hpp"
#include "support/temp_dir.hpp"
#include "util/time.hpp"

using namespace oaiharvest;
using test::deleted_record;
using test::live_record;

namespace {

util::UtcTime at(const char* text) {
    return *util::parse_utc(text);
}

struct Mirror {
    test::TempDir dir;
    std::unique_ptr<store::Store> db = store::Store::open(dir.file("mirror.db"));

    // A harvest run of `scope` from `start` to `end`, committing one page per entry of
    // `pages`; end nullptr leaves it running.
    store::RunId run(store::ScopeState& scope, const char* start, const char* end,
                     store::Outcome outcome,
                     const std::vector<std::vector<oai::Record>>& pages = {}) {
        const auto id = db->begin_run(scope, at(start), std::nullopt, std::nullopt, false);
        for (std::size_t i = 0; i < pages.size(); ++i) {
            auto page = db->begin_page(id, scope);
            for (const auto& record : pages[i]) {
                harvest::put(page, record);
            }
            std::optional<store::ListPosition> next;
            if (i + 1 < pages.size()) {
                next = store::ListPosition{"token" + std::to_string(i), std::nullopt, std::nullopt};
            }
            page.commit(scope, store::PageEnd{next, start, std::nullopt, std::nullopt}, {});
        }
        if (end != nullptr) {
            db->finish_run(id, outcome, at(end), {},
                           outcome == store::Outcome::ok ? std::nullopt
                                                         : std::optional<std::string>("HTTP 503"));
        }
        return id;
    }

    // What a scrape gets: the text, from a read-only Store as `serve` opens one.
    std::string scrape() {
        const auto reader = store::Store::open_read_only(dir.file("mirror.db"));
        return serve::metrics_text(*reader);
    }
};

// The value of the sample whose name and labels are `series`, or nullopt when there is none.
std::optional<std::string> value_of(const std::string& text, const std::string& series) {
    std::istringstream lines(text);
    for (std::string line; std::getline(lines, line);) {
        if (line.starts_with(series + " ")) {
            return line.substr(series.size() + 1);
        }
    }
    return std::nullopt;
}

const std::string k_dc = R"(endpoint="sample",metadata_prefix="oai_dc",set="")";

// A mirror whose oai_dc scope had a run that succeeded (two pages, three records, one of them
// deleted), then two that failed; its mods scope was never harvested.
void harvest_ok_failed_failed(Mirror& m) {
    auto endpoint = m.db->endpoint("sample", "http://127.0.0.1:1/oai");
    auto dc = m.db->scope(endpoint.id, "oai_dc", "");
    m.db->scope(endpoint.id, "mods", "");
    m.run(dc, "2026-01-01T00:00:00Z", "2026-01-01T00:00:30Z", store::Outcome::ok,
          {{live_record("oai:x:1", "<a>1</a>"), live_record("oai:x:2", "<a>2</a>")},
           {deleted_record("oai:x:3", "2026-01-01T00:00:00Z")}});
    m.run(dc, "2026-01-02T00:00:00Z", "2026-01-02T00:01:00Z", store::Outcome::failed);
    m.run(dc, "2026-01-03T00:00:00Z", "2026-01-03T00:00:05Z", store::Outcome::failed);
}

// The labels of one sample line, unescaped as a Prometheus scraper reads them; nullopt when
// the line does not follow the format.
std::optional<std::map<std::string, std::string>> parse_labels(const std::string& line) {
    std::map<std::string, std::string> labels;
    std::size_t i = line.find('{');
    if (i == std::string::npos) {
        return std::nullopt;
    }
    ++i;
    while (i < line.size() && line[i] != '}') {
        const auto equals = line.find("=\"", i);
        if (equals == std::string::npos) {
            return std::nullopt;
        }
        const std::string name = line.substr(i, equals - i);
        std::string value;
        for (i = equals + 2; i < line.size() && line[i] != '"'; ++i) {
            if (line[i] != '\\') {
                value += line[i];
                continue;
            }
            const char next = ++i < line.size() ? line[i] : '\0';
            if (next != '\\' && next != '"' && next != 'n') {
                return std::nullopt;
            }
            value += next == 'n' ? '\n' : next;
        }
        if (i == line.size()) {
            return std::nullopt;
        }
        labels[name] = value;
        ++i;  // the closing quote
        if (i < line.size() && line[i] == ',') {
            ++i;
        }
    }
    return labels;
}

}  // namespace

TEST_CASE("Metrics of a scope with runs ok, failed, failed, and of one never harvested",
          "[serve][metrics]") {
    Mirror m;
    harvest_ok_failed_failed(m);
    const std::string mods = R"(endpoint="sample",metadata_prefix="mods",set="")";
    const std::string expected =
        "# HELP oaiharvest_records Records of the scope held in the mirror, live and deleted.\n"
        "# TYPE oaiharvest_records gauge\n"
        "oaiharvest_records{" +
        mods +
        "} 0\n"
        "oaiharvest_records{" +
        k_dc +
        "} 3\n"
        "# HELP oaiharvest_records_deleted Records of the scope held as deleted.\n"
        "# TYPE oaiharvest_records_deleted gauge\n"
        "oaiharvest_records_deleted{" +
        mods +
        "} 0\n"
        "oaiharvest_records_deleted{" +
        k_dc +
        "} 1\n"
        "# HELP oaiharvest_last_success_timestamp_seconds When the scope's latest harvest run "
        "that ended ok finished, in Unix seconds.\n"
        "# TYPE oaiharvest_last_success_timestamp_seconds gauge\n"
        "oaiharvest_last_success_timestamp_seconds{" +
        k_dc +
        "} 1767225630\n"
        "# HELP oaiharvest_consecutive_failed_runs Harvest runs of the scope that failed or died "
        "since its last one that ended ok.\n"
        "# TYPE oaiharvest_consecutive_failed_runs gauge\n"
        "oaiharvest_consecutive_failed_runs{" +
        mods +
        "} 0\n"
        "oaiharvest_consecutive_failed_runs{" +
        k_dc +
        "} 2\n"
        "# HELP oaiharvest_last_run_duration_seconds How long the scope's latest finished "
        "harvest run took, in seconds.\n"
        "# TYPE oaiharvest_last_run_duration_seconds gauge\n"
        "oaiharvest_last_run_duration_seconds{" +
        k_dc +
        "} 5\n"
        "# HELP oaiharvest_pages_total Pages of OAI-PMH lists committed by the scope's runs.\n"
        "# TYPE oaiharvest_pages_total counter\n"
        "oaiharvest_pages_total{" +
        mods +
        "} 0\n"
        "oaiharvest_pages_total{" +
        k_dc +
        "} 2\n"
        "# HELP oaiharvest_runs_total Runs of the scope, by kind (harvest, reconcile) and "
        "outcome.\n"
        "# TYPE oaiharvest_runs_total counter\n"
        "oaiharvest_runs_total{" +
        k_dc +
        ",kind=\"harvest\",outcome=\"failed\"} 2\n"
        "oaiharvest_runs_total{" +
        k_dc + ",kind=\"harvest\",outcome=\"ok\"} 1\n";
    CHECK(m.scrape() == expected);
}

TEST_CASE("A run in progress hides no figure, a success ends the failures and a death counts",
          "[serve][metrics]") {
    Mirror m;
    harvest_ok_failed_failed(m);
    auto dc = m.db->scope(m.db->find_endpoint("sample")->id, "oai_dc", "");

    const auto running = m.run(dc, "2026-01-04T00:00:00Z", nullptr, store::Outcome::ok);
    std::string text = m.scrape();
    CHECK(value_of(text, "oaiharvest_last_run_duration_seconds{" + k_dc + "}") == "5");
    CHECK(value_of(text, "oaiharvest_consecutive_failed_runs{" + k_dc + "}") == "2");
    CHECK(value_of(text, "oaiharvest_runs_total{" + k_dc +
                             R"(,kind="harvest",outcome="running"})") == "1");

    m.db->finish_run(running, store::Outcome::ok, at("2026-01-04T00:02:00Z"), {}, std::nullopt);
    text = m.scrape();
    CHECK(value_of(text, "oaiharvest_last_success_timestamp_seconds{" + k_dc + "}") ==
          "1767484920");
    CHECK(value_of(text, "oaiharvest_consecutive_failed_runs{" + k_dc + "}") == "0");
    CHECK(value_of(text, "oaiharvest_last_run_duration_seconds{" + k_dc + "}") == "120");
    CHECK_FALSE(
        value_of(text, "oaiharvest_runs_total{" + k_dc + R"(,kind="harvest",outcome="running"})"));

    // A stop (interrupted) is no failure and does not end the streak; a death is one.
    m.run(dc, "2026-01-05T00:00:00Z", "2026-01-05T00:00:10Z", store::Outcome::died);
    m.run(dc, "2026-01-06T00:00:00Z", "2026-01-06T00:00:01Z", store::Outcome::interrupted);
    m.run(dc, "2026-01-07T00:00:00Z", "2026-01-07T00:00:03Z", store::Outcome::failed);
    text = m.scrape();
    CHECK(value_of(text, "oaiharvest_consecutive_failed_runs{" + k_dc + "}") == "2");
    CHECK(value_of(text, "oaiharvest_last_run_duration_seconds{" + k_dc + "}") == "3");
    CHECK(value_of(text, "oaiharvest_last_success_timestamp_seconds{" + k_dc + "}") ==
          "1767484920");
    CHECK(value_of(text, "oaiharvest_runs_total{" + k_dc + R"(,kind="harvest",outcome="died"})") ==
          "1");
}

TEST_CASE("A hostile endpoint name and set spec are escaped in label values", "[serve][metrics]") {
    Mirror m;
    const std::string endpoint = "ev\"il\\\nname} 1\n";
    const std::string set = "set:\"x\"\\n\xFF";
    auto facts = m.db->endpoint(endpoint, "http://127.0.0.1:1/oai");
    auto scope = m.db->scope(facts.id, "oai_dc", set);
    m.run(scope, "2026-01-01T00:00:00Z", "2026-01-01T00:00:01Z", store::Outcome::ok,
          {{live_record("oai:x:1", "<a>1</a>")}});  // in no set: the set scope counts 0

    const std::string text = m.scrape();
    INFO(text);
    CHECK(value_of(text, R"(oaiharvest_records{endpoint="ev\"il\\\nname} 1\n",)"
                         R"(metadata_prefix="oai_dc",set="set:\"x\"\\n)"
                         "\xEF\xBF\xBD\"}") == "0");
    std::istringstream lines(text);
    int samples = 0;
    for (std::string line; std::getline(lines, line);) {
        if (line.starts_with("#")) {
            continue;
        }
        INFO(line);
        const auto labels = parse_labels(line);
        REQUIRE(labels);
        CHECK(labels->at("endpoint") == endpoint);
        CHECK(labels->at("set") == "set:\"x\"\\n\xEF\xBF\xBD");  // not UTF-8: U+FFFD
        ++samples;
    }
    CHECK(samples == 7);  // the 6 figures of the scope and its 1 run count
}
