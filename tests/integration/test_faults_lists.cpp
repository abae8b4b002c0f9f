// List-level faults, in-process: rejected tokens, token loops, broken XML, deletions.

#include <regex>

#include "test_faults_fixture.hpp"

using namespace oaiharvest;
using namespace std::chrono_literals;
using test::InProcess;
using test::on_list_requests;

namespace {

bool contains(const std::optional<std::string>& text, const std::string& part) {
    return text && text->find(part) != std::string::npos;
}

std::vector<testing::RequestInfo> list_requests(const testing::TestOaiServer& server) {
    std::vector<testing::RequestInfo> out;
    for (const auto& r : server.requests()) {
        if (r.verb == "ListRecords") {
            out.push_back(r);
        }
    }
    return out;
}

}  // namespace

TEST_CASE("A rejected token restarts the list from the scope's saved from, counted",
          "[integration][faults][tokens]") {
    InProcess t;
    t.h.server.set_response_date("2025-01-01T00:00:00Z");  // before every record's datestamp
    REQUIRE(t.run_scope().outcome == store::Outcome::ok);
    t.h.server.set_response_date("");

    testing::Fault rejection;
    SECTION("badResumptionToken") {
        rejection = testing::oai_error(200, "badResumptionToken", "The token has expired");
    }
    SECTION("badResumptionToken with HTTP 422, as Zenodo sends it") {
        rejection = testing::oai_error(422, "badResumptionToken", "The token has expired");
    }
    SECTION("HTTP 404 on the token request") {
        rejection = testing::http_status(404, std::nullopt, "Not Found");
    }
    // The second list's second request (its first with a token) is rejected.
    t.h.server.set_script(on_list_requests({1}, rejection));
    const std::size_t before = list_requests(t.h.server).size();
    auto scope = t.run_scope();
    INFO(scope.error.value_or(""));
    REQUIRE(scope.outcome == store::Outcome::ok);
    CHECK(scope.events.token_restarts == 1);
    CHECK(scope.events.retries == 0);

    auto asked = list_requests(t.h.server);
    REQUIRE(asked.size() == before + 5);  // page 1, rejected page 2, then pages 1 to 3 again
    const auto& restarted = asked[before + 2];
    CHECK(restarted.args.count("resumptionToken") == 0);
    REQUIRE(restarted.args.count("from") == 1);
    // The saved point less the default overlap (5 minutes).
    CHECK(restarted.args.find("from")->second == "2024-12-31T23:55:00Z");
    test::require_every_record_once(t.h, 300);
    auto status = t.h.status();
    CHECK(status[0]["last_run"]["token_restarts"] == 1);
    CHECK(status[0]["pending_token"].is_null());
}

TEST_CASE("A token rejected again after the restart fails the scope",
          "[integration][faults][tokens]") {
    InProcess t;
    t.h.server.set_script(on_list_requests(
        {1, 3}, testing::oai_error(200, "badResumptionToken", "The token has expired")));
    auto scope = t.run_scope();
    CHECK(scope.outcome == store::Outcome::failed);
    CHECK(scope.events.token_restarts == 1);
    CHECK(contains(scope.error, "badResumptionToken: The token has expired"));
    test::require_every_record_once(t.h, 100);  // the first page, stored once though read twice
}

TEST_CASE("A token the server already sent in this list stops the scope, naming the token",
          "[integration][faults][tokens]") {
    InProcess t;
    test::RewritingProvider provider(t.h.generate, {}, t.h.server.base_url());
    const std::string first_page =
        provider.body({{"verb", "ListRecords"}, {"metadataPrefix", "mets"}});
    // Every token request is answered with the first page again, token and all.
    t.h.server.set_script(provider.script(
        [first_page](const testing::RequestInfo& r, std::string) -> std::optional<std::string> {
            if (r.args.count("resumptionToken") == 0) {
                return std::nullopt;
            }
            return first_page;
        }));
    auto scope = t.run_scope();
    CHECK(scope.outcome == store::Outcome::failed);
    CHECK(contains(scope.error, "resumption token loop"));
    CHECK(contains(scope.error, "\"metadataPrefix%3Dmets%26offset%3D101\""));
    CHECK(test::count_requests(t.h.server, "ListRecords") == 2);
    test::require_every_record_once(t.h, 100);
}

TEST_CASE("A list running far past its completeListSize stops the scope, naming the token",
          "[integration][faults][tokens]") {
    sample::GenerateOptions generate;
    generate.records = 1'150;  // 12 pages: the check trips after page 11
    InProcess t(generate);
    test::RewritingProvider provider(generate, {}, t.h.server.base_url());
    t.h.server.set_script(provider.script(
        [](const testing::RequestInfo& r, std::string body) -> std::optional<std::string> {
            if (r.verb != "ListRecords") {
                return std::nullopt;
            }
            return test::replace_spans(body, "completeListSize=\"", "\"", "completeListSize=\"1\"");
        }));
    auto scope = t.run_scope();
    CHECK(scope.outcome == store::Outcome::failed);
    INFO(scope.pages << " pages: " << scope.error.value_or(""));
    CHECK(contains(scope.error, "far past its completeListSize 1"));
    CHECK(contains(scope.error, "\"metadataPrefix%3Dmets%26offset%3D1101\""));
    CHECK(scope.pages == 11);
}

TEST_CASE("An empty resumptionToken element ends the list", "[integration][faults][tokens]") {
    InProcess t;
    test::RewritingProvider provider(t.h.generate, {}, t.h.server.base_url());
    std::string empty_token;
    SECTION("self-closing") {
        empty_token = R"(<resumptionToken completeListSize="300"/>)";
    }
    SECTION("with attributes and no text") {
        empty_token = R"(<resumptionToken completeListSize="300" cursor="201"></resumptionToken>)";
    }
    t.h.server.set_script(
        provider.script([empty_token](const testing::RequestInfo& r,
                                      std::string body) -> std::optional<std::string> {
            auto token = r.args.find("resumptionToken");
            if (token == r.args.end() || !token->second.ends_with("offset%3D201")) {
                return std::nullopt;
            }
            body.insert(body.find("</ListRecords>"), empty_token);
            return body;
        }));
    auto scope = t.run_scope();
    INFO(scope.error.value_or(""));
    REQUIRE(scope.outcome == store::Outcome::ok);
    CHECK(scope.pages == 3);
    CHECK(test::count_requests(t.h.server, "ListRecords") == 3);
    auto status = t.h.status();
    CHECK(status[0]["pending_token"].is_null());
    CHECK(status[0]["next_from"].is_string());
}

TEST_CASE("Control characters and invalid UTF-8 are repaired as they stream in, and counted",
          "[integration][faults][xml]") {
    InProcess t;
    t.h.server.set_script(on_list_requests(
        [](std::size_t i) { return i <= 1; },
        [](std::size_t i) {
            return testing::InjectBytes{i == 0 ? "\x0B" : "\xC3\x28", 0, "<mods:title>"};
        }));
    auto scope = t.run_scope();
    INFO(scope.error.value_or(""));
    REQUIRE(scope.outcome == store::Outcome::ok);
    CHECK(scope.events.retries == 0);
    CHECK(scope.events.repaired_characters == 2);
    test::require_every_record_once(t.h, 300);
    CHECK(t.h.status()[0]["last_run"]["repaired_characters"] == 2);
}

TEST_CASE(
    "A page still not well-formed after the retries fails the scope with line and column, and "
    "earlier pages stay",
    "[integration][faults][xml]") {
    InProcess t;
    t.policy.retries = 2;
    t.h.server.set_script(
        on_list_requests([](std::size_t i) { return i >= 1; },
                         [](std::size_t) {
                             return testing::InjectBytes{"</oops>", 0, "<mods:title>"};
                         }));
    auto scope = t.run_scope();
    CHECK(scope.outcome == store::Outcome::failed);
    CHECK(scope.events.retries == 2);
    REQUIRE(scope.error);
    CHECK(std::regex_search(*scope.error, std::regex("malformed XML from http://127\\.0\\.0\\.1:"
                                                     "[0-9]+/cgi/oai2\\?\\S+ at line [0-9]+, "
                                                     "column [0-9]+")));
    auto status = t.h.status();
    CHECK(status[0]["records"] == 100);
    CHECK(status[0]["pending_token"].is_string());
    CHECK(status[0]["last_run"]["error"].get<std::string>() == *scope.error);
}

TEST_CASE("A deleted record keeps its metadata, comes back live, and tombstones are kept",
          "[integration][faults][deleted]") {
    sample::GenerateOptions generate;
    generate.records = 120;
    InProcess t(generate);
    REQUIRE(t.run_scope().outcome == store::Outcome::ok);
    // Never seen live: a tombstone (records 37 and 74 are deleted in the sample).
    auto tombstone = nlohmann::json::parse(t.h.run({"show", "oai:sample.oaiharvest.local:37"}).out);
    CHECK(tombstone["deleted"] == true);
    CHECK(tombstone["title"].is_null());
    auto status = t.h.status();
    CHECK(status[0]["deleted_record"] == "persistent");
    CHECK(status[0]["deleted"] == 3);

    auto repository = sample::make_sample_repository(generate);
    auto* record = repository.find("oai:sample.oaiharvest.local:5");
    record->datestamp = util::format_utc_seconds(util::now_utc() + 1h);
    record->deleted = true;
    t.h.server.set_repository(repository);
    auto deleting = t.run_scope();
    REQUIRE(deleting.outcome == store::Outcome::ok);
    CHECK(deleting.counts.records_deleted == 1);
    auto gone = nlohmann::json::parse(t.h.run({"show", "oai:sample.oaiharvest.local:5"}).out);
    CHECK(gone["deleted"] == true);
    CHECK(gone["title"].is_string());  // the last known metadata stays

    record->datestamp = util::format_utc_seconds(util::now_utc() + 2h);
    record->deleted = false;
    t.h.server.set_repository(repository);
    auto back = t.run_scope();
    REQUIRE(back.outcome == store::Outcome::ok);
    CHECK(back.counts.records_updated == 1);
    auto live = nlohmann::json::parse(t.h.run({"show", "oai:sample.oaiharvest.local:5"}).out);
    CHECK(live["deleted"] == false);
    CHECK(live["title"].is_string());
    CHECK(t.h.status()[0]["deleted"] == 3);
}

TEST_CASE("A server sending the same records with a new token on every page fails the list at once",
          "[integration][faults][tokens]") {
    InProcess t;
    test::RewritingProvider provider(t.h.generate, {}, t.h.server.base_url());
    const std::string first_page =
        provider.body({{"verb", "ListRecords"}, {"metadataPrefix", "mets"}});
    // Every answer is the first page, its token made new each time and its completeListSize
    // dropped: nothing but the records tells that the list goes nowhere.
    t.h.server.set_script(provider.script(
        [first_page](const testing::RequestInfo& r, std::string) -> std::optional<std::string> {
            if (r.verb != "ListRecords") {
                return std::nullopt;
            }
            return test::replace_spans(
                first_page, "<resumptionToken", "</resumptionToken>",
                "<resumptionToken>t" + std::to_string(r.index) + "</resumptionToken>");
        }));
    auto scope = t.run_scope();
    INFO(scope.pages << " pages: " << scope.error.value_or(""));
    CHECK(scope.outcome == store::Outcome::failed);
    CHECK(contains(scope.error, "sample mets: the list makes no progress"));
    CHECK(contains(scope.error, "page 2 holds the same 100 records as page 1"));
    CHECK(test::count_requests(t.h.server, "ListRecords") == 2);
    test::require_every_record_once(t.h, 100);
    CHECK(t.h.status()[0]["next_from"].is_null());
}

TEST_CASE("A list with more pages than its completeListSize allows fails, saying so",
          "[integration][faults][tokens]") {
    sample::ProviderOptions small_pages;
    small_pages.page_size = 5;  // 60 pages of 300 records
    InProcess t({}, small_pages);
    test::RewritingProvider provider(t.h.generate, small_pages, t.h.server.base_url());
    t.h.server.set_script(provider.script([](const testing::RequestInfo& r,
                                             std::string body) -> std::optional<std::string> {
        if (r.verb != "ListRecords") {
            return std::nullopt;
        }
        return test::replace_spans(body, "completeListSize=\"", "\"", "completeListSize=\"20\"");
    }));
    auto scope = t.run_scope();
    INFO(scope.pages << " pages: " << scope.error.value_or(""));
    CHECK(scope.outcome == store::Outcome::failed);
    CHECK(
        contains(scope.error, "sample mets: the list has more pages than its completeListSize 20"));
    CHECK(scope.pages == 31);
    CHECK(test::count_requests(t.h.server, "ListRecords") == 31);
}

TEST_CASE("A list longer than the page cap fails at the cap, naming it",
          "[integration][faults][tokens]") {
    sample::ProviderOptions small_pages;
    small_pages.page_size = 10;  // 30 pages
    InProcess t({}, small_pages);
    t.policy.max_list_pages = 5;
    auto scope = t.run_scope();
    INFO(scope.pages << " pages: " << scope.error.value_or(""));
    CHECK(scope.outcome == store::Outcome::failed);
    CHECK(contains(scope.error, "sample mets: the list passes max_pages (5)"));
    CHECK(scope.pages == 5);
    CHECK(test::count_requests(t.h.server, "ListRecords") == 5);
    test::require_every_record_once(t.h, 50);
}
