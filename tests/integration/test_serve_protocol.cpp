// `oaiharvest serve`'s OAI-PMH over real HTTP (issue 14): the six verbs by GET and by POST,
// lists in pages of 7 followed to their end, every error code of the protocol, an empty mirror,
// and a list read while a harvest writes to the mirror. Every response must be valid against
// the official schemas (support/schema_check), payloads included.

#include <algorithm>
#include <catch2/catch.hpp>
#include <functional>
#include <map>
#include <memory>
#include <regex>
#include <set>

#include "harness.hpp"
#include "serve_fixture.hpp"
#include "store/store.hpp"
#include "support/schema_check.hpp"
#include "unit/sample/xml_doc.hpp"

using namespace oaiharvest;
using test::Arguments;
using test::Method;
using testing::XmlDoc;

namespace {

constexpr const char* k_headers = "//oai:header/oai:identifier";
constexpr const char* k_set_specs = "//oai:set/oai:setSpec";
const std::string k_status_pub = "7374617475733D707562";  // EPrints' hex for status=pub

const char* method_name(Method method) {
    return method == Method::get ? "GET" : "POST";
}

// The schema's complaints about a response but one: EPrints' METS for a record without a file
// has an empty <mets:fileSec/>, which METS 1.12.1 forbids (tests/fixtures/schemas/SOURCES.md).
// The mirror serves what it harvested byte for byte, so the complaint comes with the payload;
// the rest of the response must be valid.
std::string schema_errors_but_eprints_file_sec(const std::string& xml) {
    static const std::regex k_eprints_file_sec(
        R"(line \d+: Element '\{http://www.loc.gov/METS/\}fileSec': Missing child element\(s\)\. )"
        R"(Expected is \( \{http://www.loc.gov/METS/\}fileGrp \)\.\n)");
    return std::regex_replace(test::schema_errors(xml).value_or(""), k_eprints_file_sec, "");
}

// The response to one request, which must be a schema-valid OAI-PMH document sent as XML.
std::string ask(const test::ServeProcess& server, Method method, const Arguments& arguments) {
    auto reply = test::oai_request(server, method, arguments);
    INFO(method_name(method) << " " << test::encode_form(arguments) << "\n"
                             << reply.body.substr(0, 3000));
    REQUIRE(reply.status == 200);
    CHECK(reply.content_type.starts_with("text/xml"));
    CHECK(schema_errors_but_eprints_file_sec(reply.body) == "");
    return reply.body;
}

std::string error_code(const std::string& xml) {
    return XmlDoc(xml).string("/oai:OAI-PMH/oai:error/@code");
}

// What a test reads of one page of a list.
struct Page {
    std::string xml;
    std::vector<std::string> items;  // header identifiers, or setSpecs for ListSets
    std::set<std::string> deleted;
    std::set<std::string> header_sets;
    std::size_t metadata = 0;  // <metadata> elements
    std::string response_date;
    bool has_token = false;  // a resumptionToken element, empty or not
    std::string token, cursor, complete_list_size, expiration;
};

Page page_of(std::string xml, const char* items) {
    XmlDoc doc(xml);
    Page page;
    page.items = doc.strings(items);
    auto deleted = doc.strings("//oai:header[@status='deleted']/oai:identifier");
    page.deleted = {deleted.begin(), deleted.end()};
    auto sets = doc.strings("//oai:header/oai:setSpec");
    page.header_sets = {sets.begin(), sets.end()};
    page.metadata = doc.count("//oai:record/oai:metadata");
    page.response_date = doc.string("/oai:OAI-PMH/oai:responseDate");
    page.has_token = doc.count("//oai:resumptionToken") == 1;
    page.token = doc.string("//oai:resumptionToken");
    page.cursor = doc.string("//oai:resumptionToken/@cursor");
    page.complete_list_size = doc.string("//oai:resumptionToken/@completeListSize");
    page.expiration = doc.string("//oai:resumptionToken/@expirationDate");
    page.xml = std::move(xml);
    return page;
}

// A list followed to its end, each page asked by `method`. `after_first` runs between the
// first page and the second (a test writes to the mirror there).
std::vector<Page> walk(const test::ServeProcess& server, Method method, const Arguments& first,
                       const char* items,
                       const std::function<void(const Page&)>& after_first = nullptr) {
    std::vector<Page> pages;
    Arguments arguments = first;
    while (true) {
        pages.push_back(page_of(ask(server, method, arguments), items));
        INFO(pages.back().xml.substr(0, 2000));
        REQUIRE(error_code(pages.back().xml).empty());
        REQUIRE(!pages.back().items.empty());
        if (pages.back().token.empty()) {
            return pages;
        }
        REQUIRE(pages.size() < 100);
        if (pages.size() == 1 && after_first) {
            after_first(pages.front());
        }
        arguments = {first.front(), {"resumptionToken", pages.back().token}};
    }
}

// Each page's cursor counts the items before it, each gives the list's completeListSize, each
// but the last a token that expires, and the last an empty token.
void check_pages(const std::vector<Page>& pages, std::size_t complete_list_size) {
    REQUIRE(pages.size() > 1);
    std::size_t sent = 0;
    for (std::size_t i = 0; i < pages.size(); ++i) {
        INFO("page " << i);
        CHECK(pages[i].has_token);
        CHECK(pages[i].cursor == std::to_string(sent));
        CHECK(pages[i].complete_list_size == std::to_string(complete_list_size));
        CHECK(pages[i].expiration.empty() == (i + 1 == pages.size()));
        sent += pages[i].items.size();
    }
    CHECK(pages.back().token.empty());
}

std::vector<std::string> all_items(const std::vector<Page>& pages) {
    std::vector<std::string> out;
    for (const auto& page : pages) {
        out.insert(out.end(), page.items.begin(), page.items.end());
    }
    return out;
}

std::set<std::string> as_set(const std::vector<std::string>& items) {
    return {items.begin(), items.end()};
}

// The identifiers mirror A holds in mets (all: live and deleted), and the deleted ones.
struct Held {
    std::set<std::string> all;
    std::set<std::string> deleted;
};

Held held(const std::string& db) {
    Held out;
    for (const auto& [key, row] : test::mirror_rows(db)) {
        if (key.second == "mets") {
            out.all.insert(key.first);
            if (row.deleted) {
                out.deleted.insert(key.first);
            }
        }
    }
    return out;
}

// The body without what changes from one second to the next: the dates, and the tokens, which
// carry the second their list began in.
std::string timeless(const std::string& xml) {
    // A token, and the request's echo of it, holds the second its list began in.
    static const std::regex k_dates(
        R"(<responseDate>[^<]*</responseDate>|expirationDate="[^"]*"|resumptionToken="[^"]*")");
    static const std::regex k_token(R"((<resumptionToken[^>]*>)[^<]*</resumptionToken>)");
    return std::regex_replace(std::regex_replace(xml, k_dates, ""), k_token,
                              "$1</resumptionToken>");
}

}  // namespace

TEST_CASE("Identify, ListMetadataFormats and GetRecord answer alike by GET and by POST",
          "[integration][serve]") {
    test::ServedSample s;
    std::map<Method, std::vector<std::string>> bodies;
    for (auto method : {Method::get, Method::post}) {
        INFO(method_name(method));
        auto& out = bodies[method];
        XmlDoc identify(out.emplace_back(ask(*s.server, method, {{"verb", "Identify"}})));
        CHECK(identify.string("//oai:Identify/oai:baseURL") == s.server->oai_url());
        CHECK(identify.string("//oai:Identify/oai:granularity") == "YYYY-MM-DDThh:mm:ssZ");
        CHECK(identify.string("//oai:Identify/oai:deletedRecord") == "persistent");
        const auto earliest = identify.string("//oai:Identify/oai:earliestDatestamp");
        CHECK(!earliest.empty());
        CHECK(earliest < identify.string("/oai:OAI-PMH/oai:responseDate"));

        const std::vector<std::string> formats{"oai_dc", "mets"};
        XmlDoc all(out.emplace_back(ask(*s.server, method, {{"verb", "ListMetadataFormats"}})));
        CHECK(all.strings("//oai:metadataPrefix") == formats);
        XmlDoc one(out.emplace_back(ask(
            *s.server, method,
            {{"verb", "ListMetadataFormats"}, {"identifier", "oai:sample.oaiharvest.local:2"}})));
        CHECK(one.strings("//oai:metadataPrefix") == formats);

        for (const auto& prefix : formats) {
            XmlDoc record(out.emplace_back(ask(*s.server, method,
                                               {{"verb", "GetRecord"},
                                                {"identifier", "oai:sample.oaiharvest.local:2"},
                                                {"metadataPrefix", prefix}})));
            CHECK(record.string("//oai:header/oai:identifier") == "oai:sample.oaiharvest.local:2");
            CHECK(record.count("//oai:metadata/mets:mets") == (prefix == "mets" ? 1u : 0u));
            CHECK(record.count("//oai:metadata/oai_dc:dc") == (prefix == "oai_dc" ? 1u : 0u));
            CHECK(record.strings("//oai:header/oai:setSpec").front() == "sample");

            XmlDoc gone(out.emplace_back(ask(*s.server, method,
                                             {{"verb", "GetRecord"},
                                              {"identifier", "oai:sample.oaiharvest.local:37"},
                                              {"metadataPrefix", prefix}})));
            CHECK(gone.string("//oai:header/@status") == "deleted");
            CHECK(gone.count("//oai:metadata") == 0);
        }
    }
    REQUIRE(bodies[Method::get].size() == bodies[Method::post].size());
    for (std::size_t i = 0; i < bodies[Method::get].size(); ++i) {
        CHECK(timeless(bodies[Method::get][i]) == timeless(bodies[Method::post][i]));
    }
}

TEST_CASE(
    "ListRecords, ListIdentifiers and ListSets run in pages to their end by GET and by POST, "
    "each record once",
    "[integration][serve]") {
    test::ServedSample s;
    const auto mirror = held(s.h.db);
    REQUIRE(mirror.all.size() == 60);
    REQUIRE(mirror.deleted == std::set<std::string>{"oai:sample.oaiharvest.local:37"});
    std::set<std::string> published;
    for (const auto& record : s.h.exported()) {
        const auto& sets = record["sets"];
        if (std::find(sets.begin(), sets.end(), k_status_pub) != sets.end()) {
            published.insert(record["identifier"].get<std::string>());
        }
    }
    REQUIRE(!published.empty());

    std::map<Method, std::vector<std::string>> bodies;
    for (auto method : {Method::get, Method::post}) {
        INFO(method_name(method));
        std::set<std::string> sets_on_headers;
        auto keep = [&](const std::vector<Page>& pages) {
            for (const auto& page : pages) {
                bodies[method].push_back(page.xml);
                sets_on_headers.insert(page.header_sets.begin(), page.header_sets.end());
            }
        };
        for (const std::string verb : {"ListRecords", "ListIdentifiers"}) {
            for (const std::string prefix : {"mets", "oai_dc"}) {
                INFO(verb << " " << prefix);
                auto pages = walk(*s.server, method, {{"verb", verb}, {"metadataPrefix", prefix}},
                                  k_headers);
                check_pages(pages, 60);
                auto items = all_items(pages);
                CHECK(items.size() == 60);
                CHECK(as_set(items) == mirror.all);
                std::set<std::string> deleted;
                std::size_t metadata = 0;
                for (const auto& page : pages) {
                    deleted.insert(page.deleted.begin(), page.deleted.end());
                    metadata += page.metadata;
                }
                CHECK(deleted == mirror.deleted);
                CHECK(metadata == (verb == "ListRecords" ? 59u : 0u));
                keep(pages);
            }
        }
        // The endpoint's name is a set holding all its records; its own sets are beneath it.
        auto whole =
            walk(*s.server, method,
                 {{"verb", "ListIdentifiers"}, {"metadataPrefix", "mets"}, {"set", "sample"}},
                 k_headers);
        CHECK(as_set(all_items(whole)) == mirror.all);
        auto pub = walk(*s.server, method,
                        {{"verb", "ListIdentifiers"},
                         {"metadataPrefix", "oai_dc"},
                         {"set", "sample:" + k_status_pub}},
                        k_headers);
        check_pages(pub, published.size());
        CHECK(as_set(all_items(pub)) == published);
        keep(whole);
        keep(pub);

        auto sets = walk(*s.server, method, {{"verb", "ListSets"}}, k_set_specs);
        check_pages(sets, all_items(sets).size());
        auto specs = all_items(sets);
        CHECK(as_set(specs).size() == specs.size());
        CHECK(specs.front() == "sample");
        for (const auto& spec : specs) {
            CHECK((spec == "sample" || spec.starts_with("sample:")));
        }
        for (const auto& spec : sets_on_headers) {
            INFO(spec << " is on a header but not in ListSets");
            CHECK(as_set(specs).count(spec) == 1);
        }
        keep(sets);
    }
    REQUIRE(bodies[Method::get].size() == bodies[Method::post].size());
    for (std::size_t i = 0; i < bodies[Method::get].size(); ++i) {
        CHECK(timeless(bodies[Method::get][i]) == timeless(bodies[Method::post][i]));
    }
}

TEST_CASE("Every error code of the protocol is answered by GET and by POST",
          "[integration][serve]") {
    test::ServedSample s;
    const std::string id = "oai:sample.oaiharvest.local:2";
    const std::string token_of_identifiers =
        page_of(ask(*s.server, Method::get,
                    {{"verb", "ListIdentifiers"}, {"metadataPrefix", "oai_dc"}}),
                k_headers)
            .token;
    REQUIRE(!token_of_identifiers.empty());
    struct Case {
        Arguments arguments;
        std::string code;
    };
    const std::vector<Case> cases{
        {{}, "badVerb"},
        {{{"verb", "ListEverything"}}, "badVerb"},
        {{{"verb", "Identify"}, {"verb", "Identify"}}, "badVerb"},
        {{{"verb", "ListRecords"}}, "badArgument"},
        {{{"verb", "Identify"}, {"metadataPrefix", "oai_dc"}}, "badArgument"},
        {{{"verb", "GetRecord"}, {"identifier", id}}, "badArgument"},
        // Repeated, the same value twice (which a query parser could merge away) and two values.
        {{{"verb", "ListRecords"}, {"metadataPrefix", "oai_dc"}, {"metadataPrefix", "oai_dc"}},
         "badArgument"},
        {{{"verb", "ListRecords"}, {"metadataPrefix", "oai_dc"}, {"metadataPrefix", "mets"}},
         "badArgument"},
        {{{"verb", "ListIdentifiers"}, {"metadataPrefix", "oai_dc"}, {"from", "2026-01-01T00:00"}},
         "badArgument"},
        {{{"verb", "ListIdentifiers"},
          {"metadataPrefix", "oai_dc"},
          {"from", "2026-01-01"},
          {"until", "2026-02-01T00:00:00Z"}},
         "badArgument"},
        {{{"verb", "ListIdentifiers"},
          {"metadataPrefix", "oai_dc"},
          {"from", "2027-01-01"},
          {"until", "2026-01-01"}},
         "badArgument"},
        {{{"verb", "ListIdentifiers"},
          {"resumptionToken", token_of_identifiers},
          {"metadataPrefix", "oai_dc"}},
         "badArgument"},
        {{{"verb", "ListRecords"}, {"resumptionToken", "no-such-token"}}, "badResumptionToken"},
        {{{"verb", "ListRecords"}, {"resumptionToken", token_of_identifiers}},
         "badResumptionToken"},
        {{{"verb", "ListSets"}, {"resumptionToken", token_of_identifiers}}, "badResumptionToken"},
        {{{"verb", "ListRecords"}, {"metadataPrefix", "marcxml"}}, "cannotDisseminateFormat"},
        {{{"verb", "GetRecord"}, {"identifier", id}, {"metadataPrefix", "mods"}},
         "cannotDisseminateFormat"},
        {{{"verb", "GetRecord"}, {"identifier", "oai:nowhere:1"}, {"metadataPrefix", "oai_dc"}},
         "idDoesNotExist"},
        {{{"verb", "ListMetadataFormats"}, {"identifier", "oai:nowhere:1"}}, "idDoesNotExist"},
        {{{"verb", "ListRecords"}, {"metadataPrefix", "mets"}, {"from", "2099-01-01"}},
         "noRecordsMatch"},
        {{{"verb", "ListIdentifiers"}, {"metadataPrefix", "oai_dc"}, {"set", "nowhere"}},
         "noRecordsMatch"},
        {{{"verb", "ListIdentifiers"}, {"metadataPrefix", "oai_dc"}, {"set", "sample:zz"}},
         "noRecordsMatch"},
    };
    for (auto method : {Method::get, Method::post}) {
        for (const auto& c : cases) {
            auto xml = ask(*s.server, method, c.arguments);
            INFO(method_name(method) << " " << test::encode_form(c.arguments) << "\n" << xml);
            CHECK(error_code(xml) == c.code);
            // OAI-PMH 2.0 section 3.2: <request> echoes no argument of a badVerb or badArgument.
            if (c.code == "badVerb" || c.code == "badArgument") {
                CHECK(XmlDoc(xml).count("/oai:OAI-PMH/oai:request/@*") == 0);
            } else {
                CHECK(XmlDoc(xml).string("/oai:OAI-PMH/oai:request/@verb") ==
                      c.arguments.front().second);
            }
        }
    }
}

TEST_CASE(
    "A set or metadataPrefix of illegal syntax is answered badArgument, in a response valid "
    "against the schema",
    "[integration][serve]") {
    test::ServedSample s;
    const std::vector<Arguments> requests{
        {{"verb", "ListRecords"}, {"metadataPrefix", "oai_dc"}, {"set", ""}},
        {{"verb", "ListIdentifiers"}, {"metadataPrefix", "oai_dc"}, {"set", "a b"}},
        {{"verb", "ListIdentifiers"}, {"metadataPrefix", "oai_dc"}, {"set", "sample:\xC3\xA9"}},
        {{"verb", "ListRecords"}, {"metadataPrefix", ""}},
        {{"verb", "ListIdentifiers"}, {"metadataPrefix", "a b"}},
        {{"verb", "GetRecord"},
         {"identifier", "oai:sample.oaiharvest.local:2"},
         {"metadataPrefix", ""}},
    };
    for (const auto& arguments : requests) {
        // ask() checks the schema: OAI-PMH.xsd gives setSpec and metadataPrefix a pattern, so
        // <request> may echo no such value; section 3.6 calls a value of illegal syntax
        // badArgument, whose <request> echoes no argument at all.
        auto xml = ask(*s.server, Method::get, arguments);
        INFO(xml);
        CHECK(error_code(xml) == "badArgument");
        CHECK(XmlDoc(xml).count("/oai:OAI-PMH/oai:request/@*") == 0);
    }
}

TEST_CASE("A set-selective incremental harvest of the served mirror gets a record deleted in it",
          "[integration][serve]") {
    test::ServedSample s;
    const std::string set = "sample:" + k_status_pub;
    const std::string deleted = "oai:sample.oaiharvest.local:6";
    // The record is in the set before its deletion.
    auto before =
        walk(*s.server, Method::get,
             {{"verb", "ListIdentifiers"}, {"metadataPrefix", "oai_dc"}, {"set", set}}, k_headers);
    REQUIRE(as_set(all_items(before)).count(deleted) == 1);
    const auto since = before.front().response_date;

    auto repository = sample::make_sample_repository(s.h.generate);
    for (auto& r : repository.records) {
        if (r.identifier == deleted) {
            r.datestamp = util::format_utc_seconds(util::now_utc() + std::chrono::hours{1});
            r.deleted = true;
        }
    }
    s.h.server.set_repository(std::move(repository));
    s.harvest_source();

    // OAI-PMH 2.0 section 2.5.1: a selective harvest whose set and dates include a deleted
    // record gives its header, status="deleted"; an aggregator that harvests the set keeps
    // the record live forever otherwise.
    for (const std::string prefix : {"oai_dc", "mets"}) {
        INFO(prefix);
        auto xml = ask(*s.server, Method::get,
                       {{"verb", "ListIdentifiers"},
                        {"metadataPrefix", prefix},
                        {"set", set},
                        {"from", since}});
        INFO(xml);
        XmlDoc doc(xml);
        CHECK(doc.strings("//oai:header[@status='deleted']/oai:identifier") ==
              std::vector<std::string>{deleted});
    }
    // Without the set, the deletion is listed.
    XmlDoc all(ask(*s.server, Method::get,
                   {{"verb", "ListIdentifiers"}, {"metadataPrefix", "oai_dc"}, {"from", since}}));
    CHECK(all.strings("//oai:header[@status='deleted']/oai:identifier") ==
          std::vector<std::string>{deleted});
}

TEST_CASE("An empty mirror answers noSetHierarchy to ListSets and noRecordsMatch to lists",
          "[integration][serve]") {
    test::TempDir dir;
    const auto db = dir.file("empty.db");
    {
        auto created = store::Store::open(db);  // a mirror with its tables and no endpoint yet
    }
    test::ServeProcess server(db);
    for (auto method : {Method::get, Method::post}) {
        INFO(method_name(method));
        CHECK(error_code(ask(server, method, {{"verb", "ListSets"}})) == "noSetHierarchy");
        CHECK(error_code(
                  ask(server, method, {{"verb", "ListRecords"}, {"metadataPrefix", "oai_dc"}})) ==
              "noRecordsMatch");
        CHECK(error_code(ask(server, method,
                             {{"verb", "ListIdentifiers"}, {"metadataPrefix", "oai_dc"}})) ==
              "noRecordsMatch");
        CHECK(error_code(ask(server, method, {{"verb", "Identify"}})).empty());
        XmlDoc formats(ask(server, method, {{"verb", "ListMetadataFormats"}}));
        CHECK(formats.strings("//oai:metadataPrefix") == std::vector<std::string>{"oai_dc"});
    }
}

TEST_CASE(
    "A list read while a harvest writes to the mirror repeats no record, and the next "
    "incremental harvest gets the ones it left out",
    "[integration][serve]") {
    test::ServedSample s;
    const auto before = held(s.h.db);
    std::string sent_then_changed;
    std::string changed_before_sent;
    const std::string added = "oai:sample.oaiharvest.local:61";
    std::string harvest_log;
    // Between the first page and the second, the source changes a record of the first page and
    // one of a later page and adds one, and a harvest takes the three into the served mirror.
    auto write_between_pages = [&](const Page& first) {
        sent_then_changed = first.items.front();
        for (const auto& identifier : before.all) {
            if (!as_set(first.items).count(identifier) && !before.deleted.count(identifier)) {
                changed_before_sent = identifier;
                break;
            }
        }
        REQUIRE(!changed_before_sent.empty());
        auto repository = sample::make_sample_repository(s.h.generate);
        const auto later = util::format_utc_seconds(util::now_utc() + std::chrono::hours{1});
        for (auto& r : repository.records) {
            if (r.identifier == sent_then_changed || r.identifier == changed_before_sent) {
                r.datestamp = later;
                auto at = r.mets.find("</mods:title>");
                REQUIRE(at != std::string::npos);
                r.mets.insert(at, " (revised)");
            }
        }
        auto extra = sample::make_sample_record(61, s.h.generate);
        extra.datestamp = later;
        repository.records.push_back(extra);
        s.h.server.set_repository(std::move(repository));
        harvest_log = s.harvest_source();
    };
    auto pages = walk(*s.server, Method::get, {{"verb", "ListRecords"}, {"metadataPrefix", "mets"}},
                      k_headers, write_between_pages);
    INFO(harvest_log);
    REQUIRE(harvest_log.find("sample mets: 1 new, 2 updated, 0 deleted") != std::string::npos);
    // The list keeps its first page's completeListSize and cursors; it ends without the record
    // changed before it was sent, whose new copy is later than the list's end.
    check_pages(pages, 60);
    auto listed = all_items(pages);
    CHECK(as_set(listed).size() == listed.size());
    auto expected = before.all;
    expected.erase(changed_before_sent);
    CHECK(as_set(listed) == expected);

    // An incremental harvest from the list's first responseDate gets what changed since.
    REQUIRE(test::wait_past_second(util::now_utc()));
    auto since = walk(*s.server, Method::get,
                      {{"verb", "ListRecords"},
                       {"metadataPrefix", "mets"},
                       {"from", pages.front().response_date}},
                      k_headers);
    CHECK(as_set(all_items(since)) ==
          std::set<std::string>{sent_then_changed, changed_before_sent, added});
    std::size_t revised = 0;
    for (const auto& page : since) {
        for (auto at = page.xml.find(" (revised)</mods:title>"); at != std::string::npos;
             at = page.xml.find(" (revised)</mods:title>", at + 1)) {
            ++revised;
        }
    }
    CHECK(revised == 2);
}
