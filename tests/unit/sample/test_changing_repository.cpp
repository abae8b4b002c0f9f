#include <httplib.h>

#include <catch2/catch.hpp>
#include <chrono>

#include "sample/detail/text.hpp"
#include "support/changing_repository.hpp"
#include "support/oai_server.hpp"
#include "xml_doc.hpp"

using namespace oaiharvest;
using namespace oaiharvest::testing;

namespace {

ServedRecord record(std::string identifier, std::string datestamp,
                    std::vector<std::string> sets = {}) {
    return {identifier,
            std::move(datestamp),
            std::move(sets),
            false,
            {{"oai_dc", "DC " + identifier}, {"mods", "MODS " + identifier}}};
}

XmlDoc ask(ChangingRepository& repository, sample::QueryArgs args) {
    return XmlDoc(repository.answer(args));
}

XmlDoc list(ChangingRepository& repository, sample::QueryArgs args) {
    args.emplace("verb", "ListIdentifiers");
    return ask(repository, std::move(args));
}

// Every identifier of a whole list, following its tokens.
std::vector<std::string> list_all(ChangingRepository& repository, sample::QueryArgs args) {
    std::vector<std::string> identifiers;
    XmlDoc page = list(repository, args);
    for (int pages = 0; pages < 100; ++pages) {
        REQUIRE(page.ok());
        for (auto& identifier : page.strings("//oai:header/oai:identifier")) {
            identifiers.push_back(identifier);
        }
        const std::string token = page.string("//oai:resumptionToken");
        if (token.empty()) {
            break;
        }
        page = list(repository, {{"resumptionToken", token}});
    }
    return identifiers;
}

std::string error_code(const XmlDoc& doc) {
    return doc.string("//oai:error/@code");
}

}  // namespace

TEST_CASE("a changing repository pages its list with tokens, completeListSize and cursor",
          "[sample][changing]") {
    ChangingRepository repository({}, "http://127.0.0.1:1/cgi/oai2");
    for (int i = 1; i <= 7; ++i) {
        repository.put(
            record("oai:x:" + std::to_string(i), "2026-01-01T00:00:0" + std::to_string(i) + "Z"));
    }
    XmlDoc first = list(repository, {{"metadataPrefix", "oai_dc"}});
    REQUIRE(first.ok());
    CHECK(first.strings("//oai:identifier") ==
          std::vector<std::string>{"oai:x:1", "oai:x:2", "oai:x:3"});
    CHECK(first.string("//oai:resumptionToken/@completeListSize") == "7");
    CHECK(first.string("//oai:resumptionToken/@cursor") == "0");
    CHECK(first.string("//oai:request") == "http://127.0.0.1:1/cgi/oai2");
    CHECK(first.string("//oai:request/@metadataPrefix") == "oai_dc");

    XmlDoc last = list(repository, {{"resumptionToken", "offset=6&page=2&metadataPrefix=oai_dc"}});
    CHECK(last.strings("//oai:identifier") == std::vector<std::string>{"oai:x:7"});
    CHECK(last.count("//oai:resumptionToken") == 0);

    CHECK(error_code(list(repository, {{"resumptionToken", "junk"}})) == "badResumptionToken");
    CHECK(error_code(list(repository, {{"metadataPrefix", "mets"}})) == "cannotDisseminateFormat");
    CHECK(error_code(list(repository, {{"metadataPrefix", "oai_dc"}, {"set", "none"}})) ==
          "noRecordsMatch");
    CHECK(error_code(list(repository, {{"resumptionToken", "offset=3&page=1&metadataPrefix=oai_dc"},
                                       {"metadataPrefix", "oai_dc"}})) == "badArgument");
}

TEST_CASE("an edit between pages of a datestamp-ordered list shifts the pages and skips a record",
          "[sample][changing]") {
    ChangingRepository repository({.page_size = 2, .order = ServerBehaviour::Order::datestamp});
    for (int i = 1; i <= 4; ++i) {
        repository.put(
            record("oai:x:" + std::to_string(i), "2026-01-0" + std::to_string(i) + "T00:00:00Z"));
    }
    std::vector<std::pair<std::size_t, std::size_t>> hook_calls;  // page index, records seen
    repository.on_list_page([&](std::size_t page, ChangingRepository& repo) {
        hook_calls.emplace_back(page, repo.records().size());
        if (page == 1) {
            // oai:x:1, already listed, is edited: it moves to the end and oai:x:3 to the
            // first page, which the harvester has already read.
            repo.put(record("oai:x:1", "2026-02-01T00:00:00Z"));
        }
    });
    CHECK(list_all(repository, {{"metadataPrefix", "mods"}}) ==
          std::vector<std::string>{"oai:x:1", "oai:x:2", "oai:x:4", "oai:x:1"});
    CHECK(hook_calls == std::vector<std::pair<std::size_t, std::size_t>>{{0, 4}, {1, 4}});
    CHECK(repository.records().back().datestamp == "2026-02-01T00:00:00Z");
}

TEST_CASE("the list hook runs before its page is answered", "[sample][changing]") {
    ChangingRepository repository({.page_size = 1});
    repository.put(record("oai:x:1", "2026-01-01T00:00:00Z"));
    repository.put(record("oai:x:2", "2026-01-02T00:00:00Z"));
    repository.on_list_page([](std::size_t page, ChangingRepository& repo) {
        if (page == 1) {
            repo.remove("oai:x:2");
        }
    });
    XmlDoc first = list(repository, {{"metadataPrefix", "oai_dc"}});
    XmlDoc second = list(repository, {{"resumptionToken", first.string("//oai:resumptionToken")}});
    REQUIRE(second.ok());
    CHECK(second.count("//oai:header") == 0);  // past the end now: an empty list, no token
    CHECK(second.count("//oai:ListIdentifiers") == 1);
    CHECK(second.count("//oai:resumptionToken") == 0);
}

TEST_CASE("from selects datestamps from it on, or after it on a from-exclusive server",
          "[sample][changing]") {
    ChangingRepository repository;
    repository.put(record("oai:x:1", "2026-01-01T10:00:00Z"));
    repository.put(record("oai:x:2", "2026-01-01T12:00:00Z"));
    const sample::QueryArgs args{{"metadataPrefix", "oai_dc"}, {"from", "2026-01-01T10:00:00Z"}};
    CHECK(list_all(repository, args) == std::vector<std::string>{"oai:x:1", "oai:x:2"});
    repository.set_behaviour({.from_exclusive = true});
    CHECK(list_all(repository, args) == std::vector<std::string>{"oai:x:2"});
    CHECK(list_all(repository, {{"metadataPrefix", "oai_dc"}, {"until", "2026-01-01T11:00:00Z"}}) ==
          std::vector<std::string>{"oai:x:1"});
    // A day stands for the whole day in a seconds repository.
    CHECK(list_all(repository, {{"metadataPrefix", "oai_dc"}, {"until", "2026-01-01"}}).size() ==
          2);
}

TEST_CASE("a day-granularity repository filters by day and rejects seconds", "[sample][changing]") {
    ChangingRepository repository({.day_granularity = true});
    repository.put(record("oai:x:1", "2026-01-01"));
    repository.put(record("oai:x:2", "2026-01-02"));
    repository.put(record("oai:x:3", "2026-01-03"));
    CHECK(ask(repository, {{"verb", "Identify"}}).string("//oai:granularity") == "YYYY-MM-DD");
    CHECK(ask(repository, {{"verb", "Identify"}}).string("//oai:earliestDatestamp") ==
          "2026-01-01");
    CHECK(list_all(repository, {{"metadataPrefix", "oai_dc"},
                                {"from", "2026-01-02"},
                                {"until", "2026-01-02"}}) == std::vector<std::string>{"oai:x:2"});
    CHECK(error_code(list(repository, {{"metadataPrefix", "oai_dc"},
                                       {"from", "2026-01-02T00:00:00Z"}})) == "badArgument");
}

TEST_CASE("responseDate is now, a fixed text, or left out", "[sample][changing]") {
    ChangingRepository repository;
    CHECK(sample::detail::parse_utc_seconds(
        ask(repository, {{"verb", "Identify"}}).string("//oai:responseDate")));
    repository.set_behaviour({.response_date = "2026-01-01T03:00:00+05:00"});
    CHECK(ask(repository, {{"verb", "Identify"}}).string("//oai:responseDate") ==
          "2026-01-01T03:00:00+05:00");
    repository.set_behaviour({.response_date = ""});
    XmlDoc without = ask(repository, {{"verb", "Identify"}});
    REQUIRE(without.ok());
    CHECK(without.count("//oai:responseDate") == 0);
    CHECK(without.string("//oai:deletedRecord") == "persistent");
}

TEST_CASE("deleted headers without setSpecs are left out of set-scoped lists",
          "[sample][changing]") {
    ChangingRepository repository;
    repository.put(record("oai:x:1", "2026-01-01T00:00:00Z", {"A:B"}));
    ServedRecord gone = record("oai:x:2", "2026-01-02T00:00:00Z", {"A"});
    gone.deleted = true;
    repository.put(gone);
    const sample::QueryArgs in_a{{"metadataPrefix", "oai_dc"}, {"set", "A"}};
    CHECK(list_all(repository, in_a) == std::vector<std::string>{"oai:x:1", "oai:x:2"});
    CHECK(list(repository, in_a).strings("//oai:header[@status='deleted']/oai:setSpec") ==
          std::vector<std::string>{"A"});

    repository.set_behaviour({.deleted_headers_carry_sets = false});
    CHECK(list_all(repository, in_a) == std::vector<std::string>{"oai:x:1"});
    XmlDoc whole = list(repository, {{"metadataPrefix", "oai_dc"}});
    CHECK(whole.count("//oai:header[@status='deleted']") == 1);
    CHECK(whole.count("//oai:header[@status='deleted']/oai:setSpec") == 0);
    CHECK(ask(repository, {{"verb", "ListSets"}}).strings("//oai:setSpec") ==
          std::vector<std::string>{"A", "A:B"});

    // The mirror of set A must still learn of the deletion.
    auto view = repository.expected_view("oai_dc", {"A"});
    REQUIRE(view.size() == 2);
    CHECK(view.at("oai:x:2").status == Expected::Status::deleted);
    CHECK(view.at("oai:x:1").sets == std::vector<std::string>{"A:B"});
}

TEST_CASE("a record added twice is listed twice and expected as its newest copy",
          "[sample][changing]") {
    ChangingRepository repository;
    repository.put(record("oai:x:1", "2026-01-02T00:00:00Z"));
    ServedRecord older = record("oai:x:1", "2026-01-01T00:00:00Z");
    older.titles["oai_dc"] = "old title";
    repository.add_duplicate(older);
    CHECK(list_all(repository, {{"metadataPrefix", "oai_dc"}}) ==
          std::vector<std::string>{"oai:x:1", "oai:x:1"});
    auto view = repository.expected_view("oai_dc");
    REQUIRE(view.size() == 1);
    CHECK(view.at("oai:x:1").datestamp == "2026-01-02T00:00:00Z");
    CHECK(view.at("oai:x:1").title == "DC oai:x:1");
    repository.put(older);  // replaces both copies
    CHECK(repository.records().size() == 1);
}

TEST_CASE("a record lacking the format is left out, or listed header-only by a buggy server",
          "[sample][changing]") {
    ChangingRepository repository;
    repository.put(record("oai:x:1", "2026-01-01T00:00:00Z"));
    repository.put({"oai:x:2", "2026-01-01T00:00:00Z", {}, false, {{"oai_dc", "only DC"}}});
    const sample::QueryArgs mods{{"verb", "ListRecords"}, {"metadataPrefix", "mods"}};
    XmlDoc plain = ask(repository, mods);
    CHECK(plain.strings("//oai:identifier") == std::vector<std::string>{"oai:x:1"});
    CHECK(plain.string("//oai:metadata/mods:mods/mods:titleInfo/mods:title") == "MODS oai:x:1");

    repository.set_behaviour({.header_only_for_missing_format = true});
    XmlDoc buggy = ask(repository, mods);
    CHECK(buggy.strings("//oai:identifier") == std::vector<std::string>{"oai:x:1", "oai:x:2"});
    CHECK(buggy.count("//oai:record[oai:header/oai:identifier='oai:x:2']/oai:metadata") == 0);
    CHECK(repository.expected_view("mods").size() == 1);
    CHECK(repository.expected_view("oai_dc").at("oai:x:2").title == "only DC");
}

TEST_CASE("GetRecord answers a record, its tombstone, or the right error", "[sample][changing]") {
    ChangingRepository repository;
    repository.put({"oai:x:1", "2026-01-01T00:00:00Z", {}, false, {{"oai_dc", "A & <B>"}}});
    repository.put({"oai:x:2", "2026-01-01T00:00:00Z", {}, true, {}});
    auto get = [&](std::string identifier, std::string prefix) {
        return ask(repository,
                   {{"verb", "GetRecord"}, {"identifier", identifier}, {"metadataPrefix", prefix}});
    };
    XmlDoc live = get("oai:x:1", "oai_dc");
    CHECK(live.string("//oai_dc:dc/dc:title") == "A & <B>");
    CHECK(live.string("//oai_dc:dc/dc:identifier") == "oai:x:1");
    CHECK(get("oai:x:2", "mods").string("//oai:header/@status") == "deleted");
    CHECK(error_code(get("oai:x:3", "oai_dc")) == "idDoesNotExist");
    CHECK(error_code(get("oai:x:1", "mods")) == "cannotDisseminateFormat");
    CHECK(error_code(get("oai:x:1", "mets")) == "cannotDisseminateFormat");
    CHECK(error_code(ask(repository, {{"verb", "GetRecord"}, {"identifier", "oai:x:1"}})) ==
          "badArgument");
    CHECK(error_code(ask(repository, {{"verb", "Nonsense"}})) == "badVerb");
    CHECK(ask(repository, {{"verb", "ListMetadataFormats"}, {"identifier", "oai:x:1"}})
              .strings("//oai:metadataPrefix") == std::vector<std::string>{"oai_dc"});
}

TEST_CASE("a removed record is expected gone, with what it last was", "[sample][changing]") {
    ChangingRepository repository;
    repository.put(record("oai:x:1", "2026-01-01T00:00:00Z", {"A"}));
    repository.remove("oai:x:1");
    CHECK(repository.records().empty());
    auto view = repository.expected_view("mods", {"A"});
    REQUIRE(view.size() == 1);
    CHECK(view.at("oai:x:1").status == Expected::Status::gone);
    CHECK(view.at("oai:x:1").title == "MODS oai:x:1");
    repository.put(record("oai:x:1", "2026-01-03T00:00:00Z", {"B"}));
    CHECK(repository.expected_view("mods", {"A"}).empty());
    CHECK(repository.expected_view("mods").at("oai:x:1").status == Expected::Status::live);
}

TEST_CASE("the test server answers every request from the changing repository",
          "[sample][changing][server]") {
    TestOaiServer server(sample::Repository{});
    ChangingRepository repository({}, server.base_url());
    repository.put(record("oai:x:1", "2026-01-01T00:00:00Z"));
    server.set_script(repository.script());
    httplib::Client client("127.0.0.1", server.port());
    client.set_read_timeout(std::chrono::seconds(10));
    auto response = client.Get("/cgi/oai2?verb=ListRecords&metadataPrefix=oai_dc");
    REQUIRE(response);
    CHECK(response->status == 200);
    XmlDoc page(response->body);
    CHECK(page.string("//oai:request") == server.base_url());
    CHECK(page.string("//oai_dc:dc/dc:title") == "DC oai:x:1");
}
