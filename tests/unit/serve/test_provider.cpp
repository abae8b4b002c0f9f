// The data provider over a mirror (lib/serve/provider.cpp, lib/store/served.cpp): lists in
// pages whose tokens survive writes to the mirror, sets, formats, the one-copy-per-identifier
// rule, and every error condition; each response checked against the official schemas.

#include <catch2/catch.hpp>

#include "harvest/normalize.hpp"
#include "serve/form.hpp"
#include "serve/provider.hpp"
#include "support/schema_check.hpp"
#include "support/store_fixture.hpp"
#include "unit/sample/xml_doc.hpp"

using namespace oaiharvest;
using oaiharvest::test::deleted_record;
using oaiharvest::test::live_record;
using oaiharvest::testing::XmlDoc;
using Arguments = std::vector<std::pair<std::string, std::string>>;

namespace {

std::string dc(const std::string& title) {
    return "<oai_dc:dc xmlns:oai_dc=\"http://www.openarchives.org/OAI/2.0/oai_dc/\" "
           "xmlns:dc=\"http://purl.org/dc/elements/1.1/\"><dc:title>" +
           title + "</dc:title></oai_dc:dc>";
}

std::string mods(const std::string& title) {
    return "<mods xmlns=\"http://www.loc.gov/mods/v3\" version=\"3.3\"><titleInfo><title>" + title +
           "</title></titleInfo></mods>";
}

// An hour ahead of the clock: records the test puts now were changed before it.
const util::UtcTime k_now =
    std::chrono::floor<std::chrono::seconds>(util::now_utc() + std::chrono::hours{1});
const std::string k_now_text = util::format_utc_seconds(k_now);

struct Mirror {
    test::StoreFixture f;
    store::ScopeState dc_scope = f.db->scope(f.endpoint.id, "oai_dc", "");
    store::ScopeState mods_scope = f.db->scope(f.endpoint.id, "mods", "");
    serve::ProviderSettings settings;

    Mirror() { settings.page_size = 2; }

    void put(store::ScopeState& scope, const oai::Record& record) {
        auto page = f.db->begin_page(f.run, scope);
        harvest::put(page, record);
        page.commit(scope, store::PageEnd{std::nullopt, "2026-06-01T00:00:00Z"}, {});
    }
    // When the mirror last changed the record: the served datestamp.
    void changed_at(const std::string& identifier, const std::string& prefix,
                    const std::string& when) {
        f.raw().exec(("UPDATE records SET last_changed = '" + when + "' WHERE identifier = '" +
                      identifier + "' AND metadata_prefix = '" + prefix + "'")
                         .c_str());
    }
    std::string ask(const Arguments& arguments, util::UtcTime now = k_now) {
        auto xml = serve::answer_oai(*f.db, settings, "http://mirror.test/oai", arguments, now);
        auto errors = test::schema_errors(xml);
        INFO(xml);
        CHECK(errors.value_or("") == "");
        return xml;
    }
};

std::string error_code(const std::string& xml) {
    return XmlDoc(xml).string("/oai:OAI-PMH/oai:error/@code");
}

// Five oai_dc records changed a minute apart, oai:x:1 first.
void five_records(Mirror& m) {
    for (int i = 1; i <= 5; ++i) {
        auto id = "oai:x:" + std::to_string(i);
        m.put(m.dc_scope, live_record(id, dc("Title " + std::to_string(i)), "2026-01-01", {"a"}));
        m.changed_at(id, "oai_dc", "2026-11-01T10:0" + std::to_string(i) + ":00Z");
    }
}

std::vector<std::string> identifiers(const XmlDoc& doc) {
    return doc.strings("//oai:header/oai:identifier");
}

}  // namespace

TEST_CASE("A list runs in pages whose tokens carry cursor and size, each record once",
          "[serve][provider]") {
    Mirror m;
    five_records(m);
    std::vector<std::string> seen;
    Arguments args{{"verb", "ListRecords"}, {"metadataPrefix", "oai_dc"}};
    for (int page = 0; page < 3; ++page) {
        XmlDoc doc(m.ask(args));
        auto ids = identifiers(doc);
        seen.insert(seen.end(), ids.begin(), ids.end());
        CHECK(doc.string("//oai:resumptionToken/@completeListSize") == "5");
        CHECK(doc.string("//oai:resumptionToken/@cursor") == std::to_string(page * 2));
        auto token = doc.string("//oai:resumptionToken");
        if (page < 2) {
            REQUIRE(!token.empty());
            CHECK(doc.string("//oai:resumptionToken/@expirationDate") ==
                  util::format_utc_seconds(k_now + std::chrono::hours{24}));
        } else {
            CHECK(token.empty());
        }
        args = {{"verb", "ListRecords"}, {"resumptionToken", token}};
    }
    CHECK(seen == std::vector<std::string>{"oai:x:1", "oai:x:2", "oai:x:3", "oai:x:4", "oai:x:5"});
}

TEST_CASE(
    "A record changed while a list is read is neither repeated nor lost to the next "
    "incremental harvest",
    "[serve][provider]") {
    Mirror m;
    five_records(m);
    XmlDoc first(m.ask({{"verb", "ListIdentifiers"}, {"metadataPrefix", "oai_dc"}}));
    CHECK(identifiers(first) == std::vector<std::string>{"oai:x:1", "oai:x:2"});
    // A harvest writes to the mirror between two pages: one record already sent changes, and one
    // not yet sent.
    m.changed_at("oai:x:1", "oai_dc", k_now_text);
    m.changed_at("oai:x:4", "oai_dc", k_now_text);
    std::vector<std::string> rest;
    std::string token = first.string("//oai:resumptionToken");
    while (!token.empty()) {
        XmlDoc doc(m.ask({{"verb", "ListIdentifiers"}, {"resumptionToken", token}},
                         k_now + std::chrono::minutes{1}));
        auto ids = identifiers(doc);
        rest.insert(rest.end(), ids.begin(), ids.end());
        token = doc.string("//oai:resumptionToken");
    }
    CHECK(rest == std::vector<std::string>{"oai:x:3", "oai:x:5"});
    // The next incremental harvest, from the list's first responseDate, gets both.
    XmlDoc next(
        m.ask({{"verb", "ListIdentifiers"}, {"metadataPrefix", "oai_dc"}, {"from", k_now_text}},
              k_now + std::chrono::minutes{2}));
    CHECK(identifiers(next) == std::vector<std::string>{"oai:x:1", "oai:x:4"});
    CHECK(next.string("//oai:header/oai:datestamp") == k_now_text);
}

TEST_CASE("Records changed in the response's own second wait for the next harvest",
          "[serve][provider]") {
    Mirror m;
    five_records(m);
    m.changed_at("oai:x:5", "oai_dc", k_now_text);
    XmlDoc doc(
        m.ask({{"verb", "ListIdentifiers"}, {"metadataPrefix", "oai_dc"}, {"set", "sample"}}));
    CHECK(doc.string("//oai:resumptionToken/@completeListSize") == "4");
}

TEST_CASE("Sets are the endpoints with their own sets beneath them", "[serve][provider]") {
    Mirror m;
    m.put(m.dc_scope, live_record("oai:x:1", dc("One"), "2026-01-01", {"a"}));
    m.put(m.dc_scope, live_record("oai:x:2", dc("Two"), "2026-01-01", {"a:b"}));
    m.put(m.dc_scope, live_record("oai:x:3", dc("Three"), "2026-01-01", {"c"}));
    auto other = m.f.db->endpoint("other", "http://127.0.0.1:1/other");
    auto other_scope = m.f.db->scope(other.id, "oai_dc", "");
    m.put(other_scope, live_record("oai:y:1", dc("Four"), "2026-01-01", {"a"}));
    m.settings.page_size = 100;

    XmlDoc sets(m.ask({{"verb", "ListSets"}}));
    CHECK(sets.strings("//oai:set/oai:setSpec") ==
          std::vector<std::string>{"other", "other:a", "sample", "sample:a", "sample:a:b",
                                   "sample:c"});
    auto in = [&](const std::string& set) {
        return identifiers(XmlDoc(
            m.ask({{"verb", "ListIdentifiers"}, {"metadataPrefix", "oai_dc"}, {"set", set}})));
    };
    CHECK(in("sample:a") == std::vector<std::string>{"oai:x:1", "oai:x:2"});
    CHECK(in("sample:a:b") == std::vector<std::string>{"oai:x:2"});
    CHECK(in("other") == std::vector<std::string>{"oai:y:1"});
    XmlDoc record(
        m.ask({{"verb", "GetRecord"}, {"metadataPrefix", "oai_dc"}, {"identifier", "oai:x:2"}}));
    CHECK(record.strings("//oai:header/oai:setSpec") ==
          std::vector<std::string>{"sample", "sample:a:b"});
    CHECK(error_code(m.ask(
              {{"verb", "ListIdentifiers"}, {"metadataPrefix", "oai_dc"}, {"set", "sample:zz"}})) ==
          "noRecordsMatch");
    CHECK(error_code(m.ask(
              {{"verb", "ListIdentifiers"}, {"metadataPrefix", "oai_dc"}, {"set", "nowhere"}})) ==
          "noRecordsMatch");
}

TEST_CASE("oai_dc is the harvested copy when it is the newest, else made from the newest copy",
          "[serve][provider]") {
    Mirror m;
    m.put(m.dc_scope, live_record("oai:x:1", dc("As harvested"), "2026-01-01T00:00:00Z"));
    m.put(m.mods_scope, live_record("oai:x:1", mods("Older MODS"), "2025-01-01T00:00:00Z"));
    m.put(m.dc_scope, live_record("oai:x:2", dc("Older DC"), "2025-01-01T00:00:00Z"));
    m.put(m.mods_scope, live_record("oai:x:2", mods("Newer MODS"), "2026-01-01T00:00:00Z"));
    auto get = [&](const std::string& id, const std::string& prefix) {
        return m.ask({{"verb", "GetRecord"}, {"metadataPrefix", prefix}, {"identifier", id}});
    };
    auto first = get("oai:x:1", "oai_dc");
    CHECK(first.find(dc("As harvested")) != std::string::npos);
    XmlDoc second(get("oai:x:2", "oai_dc"));
    CHECK(second.string("//oai:metadata/oai_dc:dc/dc:title") == "Newer MODS");
    // Each harvested format byte for byte.
    CHECK(get("oai:x:1", "mods").find(mods("Older MODS")) != std::string::npos);
    CHECK(error_code(get("oai:x:1", "mets")) == "cannotDisseminateFormat");
    CHECK(error_code(get("oai:nope", "oai_dc")) == "idDoesNotExist");

    XmlDoc formats(m.ask({{"verb", "ListMetadataFormats"}, {"identifier", "oai:x:1"}}));
    CHECK(formats.strings("//oai:metadataPrefix") == std::vector<std::string>{"oai_dc", "mods"});
    CHECK(formats.string("//oai:metadataFormat[oai:metadataPrefix='mods']/oai:metadataNamespace") ==
          "http://www.loc.gov/mods/v3");
    CHECK(error_code(m.ask({{"verb", "ListMetadataFormats"}, {"identifier", "oai:nope"}})) ==
          "idDoesNotExist");
}

TEST_CASE("A deletion is served as a deleted header without metadata", "[serve][provider]") {
    Mirror m;
    m.put(m.dc_scope, live_record("oai:x:1", dc("Gone soon"), "2026-01-01T00:00:00Z"));
    m.put(m.dc_scope, deleted_record("oai:x:1", "2026-02-01T00:00:00Z"));
    XmlDoc doc(m.ask({{"verb", "ListRecords"}, {"metadataPrefix", "oai_dc"}}));
    CHECK(doc.string("//oai:record/oai:header/@status") == "deleted");
    CHECK(doc.count("//oai:record/oai:metadata") == 0);
    XmlDoc identify(m.ask({{"verb", "Identify"}}));
    CHECK(identify.string("//oai:deletedRecord") == "persistent");
    CHECK(identify.string("//oai:granularity") == "YYYY-MM-DDThh:mm:ssZ");
}

TEST_CASE("An identifier two endpoints hold is served from the one harvested first",
          "[serve][provider]") {
    Mirror m;
    m.put(m.dc_scope, live_record("oai:same:1", dc("First endpoint"), "2026-01-01"));
    auto other = m.f.db->endpoint("other", "http://127.0.0.1:1/other");
    auto other_scope = m.f.db->scope(other.id, "oai_dc", "");
    m.put(other_scope, live_record("oai:same:1", dc("Second endpoint"), "2026-05-01"));
    XmlDoc list(m.ask({{"verb", "ListRecords"}, {"metadataPrefix", "oai_dc"}}));
    CHECK(identifiers(list) == std::vector<std::string>{"oai:same:1"});
    CHECK(list.string("//dc:title") == "First endpoint");
    CHECK(list.string("//oai:resumptionToken") == "");
}

TEST_CASE("Every error condition of the protocol is answered with its code", "[serve][provider]") {
    {
        test::TempDir dir;
        auto empty = store::Store::open(dir.file("empty.db"));
        auto xml =
            serve::answer_oai(*empty, {}, "http://mirror.test/oai", {{"verb", "ListSets"}}, k_now);
        CHECK(error_code(xml) == "noSetHierarchy");
        CHECK(test::schema_errors(xml).value_or("") == "");
    }
    Mirror m;
    five_records(m);
    CHECK(error_code(m.ask({{"verb", "Nope"}})) == "badVerb");
    // A repeated verb is a badVerb (OAI-PMH 2.0, 3.6), any other repeated argument a badArgument.
    CHECK(error_code(m.ask({{"verb", "Identify"}, {"verb", "Identify"}})) == "badVerb");
    CHECK(error_code(m.ask({{"verb", "ListRecords"},
                            {"metadataPrefix", "oai_dc"},
                            {"metadataPrefix", "oai_dc"}})) == "badArgument");
    CHECK(error_code(m.ask({{"verb", "ListRecords"}})) == "badArgument");
    CHECK(error_code(m.ask({{"verb", "ListRecords"}, {"resumptionToken", "1,R,x"}})) ==
          "badResumptionToken");
    CHECK(error_code(m.ask({{"verb", "ListRecords"}, {"metadataPrefix", "marc"}})) ==
          "cannotDisseminateFormat");
    CHECK(error_code(m.ask({{"verb", "ListRecords"},
                            {"metadataPrefix", "oai_dc"},
                            {"from", "2026-11-30"},
                            {"until", "2026-11-30"}})) == "noRecordsMatch");
    // A token of ListIdentifiers is not one of ListRecords.
    XmlDoc ids(m.ask({{"verb", "ListIdentifiers"}, {"metadataPrefix", "oai_dc"}}));
    CHECK(error_code(m.ask({{"verb", "ListRecords"},
                            {"resumptionToken", ids.string("//oai:resumptionToken")}})) ==
          "badResumptionToken");
    // Control characters and bytes that are not UTF-8 in what is echoed keep the response
    // well-formed (ask() validates it).
    CHECK(error_code(m.ask({{"verb", "GetRecord"},
                            {"metadataPrefix", "oai_dc"},
                            {"identifier", std::string("oai:\x01\xff\0x", 8)}})) ==
          "idDoesNotExist");
}

TEST_CASE("A query or form decodes in order with repeats kept", "[serve][form]") {
    CHECK(serve::decode_form("verb=Identify&verb=Identify") ==
          Arguments{{"verb", "Identify"}, {"verb", "Identify"}});
    CHECK(serve::decode_form("a=1+2&&b=%41%zz%4&c") ==
          Arguments{{"a", "1 2"}, {"b", "A%zz%4"}, {"c", ""}});
    CHECK(serve::decode_form("identifier=oai%3Ax%3A1%26y") ==
          Arguments{{"identifier", "oai:x:1&y"}});
    CHECK(serve::decode_form("").empty());
}
