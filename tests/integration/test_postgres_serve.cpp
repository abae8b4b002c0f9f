// `oaiharvest serve` on a PostgreSQL mirror (issue 18): the same repository harvested into
// SQLite and into PostgreSQL, both served, answer every OAI-PMH request alike, and the web
// pages with them.

#include <sqlite3.h>

#include <catch2/catch.hpp>
#include <memory>
#include <regex>

#include "postgres_fixture.hpp"
#include "serve_fixture.hpp"

using namespace oaiharvest;
using test::Arguments;
using test::Method;

namespace {

std::string sample_id(int number) {
    return "oai:sample.oaiharvest.local:" + std::to_string(number);
}

// The response without what differs between two servers of the same mirror: when it was
// answered (responseDate), where (the port in the base URL), and the resumption token (as given
// and as echoed in the request), which holds the list's first second and expires from the time
// it was made.
std::string comparable(const std::string& body, int port) {
    static const std::regex k_differs(
        "<responseDate>[^<]*</responseDate>| expirationDate=\"[^\"]*\"|>[^<]+</resumptionToken>| "
        "resumptionToken=\"[^\"]*\"");
    std::string out = std::regex_replace(body, k_differs, "");
    const std::string host = "127.0.0.1:" + std::to_string(port);
    for (auto at = out.find(host); at != std::string::npos; at = out.find(host, at)) {
        out.replace(at, host.size(), "HOST");
    }
    return out;
}

std::optional<std::string> token_of(const std::string& body) {
    static const std::regex k_token("<resumptionToken[^>]*>([^<]+)</resumptionToken>");
    std::smatch match;
    return std::regex_search(body, match, k_token) ? std::optional(match[1].str()) : std::nullopt;
}

// Each page of the request's list (one page for a request that is not a list), followed by
// its own tokens, comparable().
std::vector<std::string> pages_of(const test::ServeProcess& server, Arguments request) {
    std::vector<std::string> pages;
    for (int n = 0; n < 100; ++n) {
        auto reply = test::oai_request(server, Method::get, request);
        REQUIRE(reply.status == 200);
        pages.push_back(comparable(reply.body, server.port()));
        auto token = token_of(reply.body);
        if (!token) {
            return pages;
        }
        request = {{"verb", request.front().second}, {"resumptionToken", *token}};
    }
    FAIL("the list never ends");
    return pages;
}

// Both harvests changed the records at their own times: the served datestamps are made the
// same, several records to a second, so that lists order them by row id too.
constexpr const char* k_same_times =
    "UPDATE records SET last_changed = '2026-05-0' || (id % 5 + 1) || 'T00:00:00Z'";

}  // namespace

TEST_CASE(
    "serve answers every OAI-PMH request on a PostgreSQL mirror as on a SQLite mirror of the "
    "same harvest, and its web pages",
    "[integration][postgres][serve]") {
    test::Harness h(test::sixty_records());
    h.use_config(test::k_serve_config);
    const std::string sqlite = h.db;
    const std::string pg = test::new_mirror_url();
    for (const auto& database : {sqlite, pg}) {
        auto result = h.run_on(database, {"harvest", "--url", h.server.base_url(), "--name",
                                          "sample", "--prefix", "mets", "--prefix", "oai_dc"});
        INFO(result.err);
        REQUIRE(result.exit_code == 0);
    }
    test::sql(pg, k_same_times);
    {
        sqlite3* handle = nullptr;
        REQUIRE(sqlite3_open(sqlite.c_str(), &handle) == SQLITE_OK);
        std::unique_ptr<sqlite3, decltype(&sqlite3_close)> closer(handle, sqlite3_close);
        REQUIRE(sqlite3_exec(handle, k_same_times, nullptr, nullptr, nullptr) == SQLITE_OK);
    }
    test::ServeProcess on_sqlite(sqlite, h.config);
    test::ServeProcess on_pg(pg, h.config);

    const auto sets = pages_of(on_sqlite, {{"verb", "ListSets"}});
    std::vector<std::string> specs;
    static const std::regex k_spec("<setSpec>([^<]+)</setSpec>");
    for (std::sregex_iterator it(sets.front().begin(), sets.front().end(), k_spec), end; it != end;
         ++it) {
        specs.push_back((*it)[1].str());
    }
    REQUIRE(specs.size() >= 2);
    CHECK(specs.front() == "sample");

    std::vector<Arguments> requests{
        {{"verb", "Identify"}},
        {{"verb", "ListMetadataFormats"}},
        {{"verb", "ListMetadataFormats"}, {"identifier", sample_id(1)}},
        {{"verb", "ListSets"}},
        {{"verb", "GetRecord"}, {"identifier", sample_id(1)}, {"metadataPrefix", "oai_dc"}},
        {{"verb", "GetRecord"}, {"identifier", sample_id(2)}, {"metadataPrefix", "mets"}},
        {{"verb", "GetRecord"}, {"identifier", sample_id(37)}, {"metadataPrefix", "mets"}},
        {{"verb", "GetRecord"}, {"identifier", sample_id(37)}, {"metadataPrefix", "oai_dc"}},
        {{"verb", "GetRecord"}, {"identifier", sample_id(3)}, {"metadataPrefix", "mods"}},
        {{"verb", "GetRecord"}, {"identifier", "oai:nowhere:1"}, {"metadataPrefix", "oai_dc"}},
        {{"verb", "ListRecords"},
         {"metadataPrefix", "oai_dc"},
         {"from", "2026-05-02"},
         {"until", "2026-05-04T00:00:00Z"}},
        {{"verb", "ListRecords"}, {"metadataPrefix", "mods"}},
    };
    for (const char* verb : {"ListIdentifiers", "ListRecords"}) {
        for (const char* prefix : {"oai_dc", "mets"}) {
            requests.push_back({{"verb", verb}, {"metadataPrefix", prefix}});
            for (std::size_t i = 0; i < specs.size() && i < 4; ++i) {
                requests.push_back({{"verb", verb}, {"metadataPrefix", prefix}, {"set", specs[i]}});
            }
        }
    }
    std::size_t lists = 0;
    for (const auto& request : requests) {
        INFO(test::encode_form(request));
        const auto expected = pages_of(on_sqlite, request);
        CHECK(pages_of(on_pg, request) == expected);
        lists += expected.size() > 1 ? 1 : 0;
    }
    // Pages of 7: the whole lists need tokens.
    CHECK(lists >= 8);

    for (const std::string target :
         {"/", "/endpoint?endpoint=sample", "/sets?endpoint=sample", "/years?endpoint=sample",
          "/authors?endpoint=sample",
          "/record?endpoint=sample&id=oai%3Asample.oaiharvest.local%3A1",
          "/record?endpoint=sample&id=oai%3Asample.oaiharvest.local%3A5&format=mets",
          "/search?q=diplomacy"}) {
        INFO(target);
        const auto expected = test::http_get(on_sqlite.port(), target);
        const auto got = test::http_get(on_pg.port(), target);
        CHECK(expected.status == 200);
        CHECK(got.status == 200);
        if (target.starts_with("/search")) {
            continue;  // each backend ranks its hits by its own formula (docs/scaling.md)
        }
        CHECK(got.body == expected.body);
    }
    const auto home = test::http_get(on_pg.port(), "/");
    CHECK(home.body.find(">sample<") != std::string::npos);
    const auto metrics = test::http_get(on_pg.port(), "/metrics");
    CHECK(metrics.status == 200);
    CHECK(metrics.body.find("metadata_prefix=\"mets\"") != std::string::npos);
    CHECK(test::http_get(on_pg.port(), "/healthz").status == 200);

    auto stopped = on_pg.stop();
    CHECK(stopped.exit_code == 0);
    CHECK(stopped.err.find(test::k_password) == std::string::npos);
}

TEST_CASE(
    "serve on a PostgreSQL mirror answers 503 to a request whose query outlasts request_timeout, "
    "and the next request as before",
    "[integration][postgres][serve]") {
    using namespace std::chrono_literals;
    test::Harness h(test::sixty_records());
    h.db = test::new_mirror_url();
    h.use_config(std::string(test::k_serve_config) + "request_timeout = \"1s\"\n");
    REQUIRE(h.harvest({"--prefix", "mets"}).exit_code == 0);
    REQUIRE(test::wait_past_second(util::now_utc()));
    test::ServeProcess server(h.db, h.config);
    const std::string list = "/oai?verb=ListIdentifiers&metadataPrefix=mets";
    REQUIRE(test::http_get(server.port(), list).status == 200);
    {
        // Another session holds the records table: the provider's query waits for it.
        auto blocker = store::pq::Connection::open(h.db);
        store::pq::Transaction hold(blocker);
        blocker.exec("LOCK TABLE records IN ACCESS EXCLUSIVE MODE");
        const auto started = std::chrono::steady_clock::now();
        const auto reply = test::http_get(server.port(), list);
        const auto took = std::chrono::steady_clock::now() - started;
        CHECK(reply.status == 503);
        CHECK(reply.body.find("took too long") != std::string::npos);
        CHECK(took >= 900ms);
        CHECK(took < 5s);
    }
    for (int i = 0; i < 3; ++i) {
        CHECK(test::http_get(server.port(), list).status == 200);
    }
    auto stopped = server.stop();
    INFO(stopped.err);
    CHECK(stopped.exit_code == 0);
    CHECK(stopped.err.find("stopped after 1000 ms") != std::string::npos);
}
