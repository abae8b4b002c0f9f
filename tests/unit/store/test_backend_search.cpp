// Search on both backends: the same records found for the same query, in Latin and Cyrillic,
// words, prefixes and phrases (compared as sets: the backends rank alike, ties aside).
// Each test runs once on SQLite and once on PostgreSQL (support/backend_fixture.hpp), with the
// same expectations: what the store promises whichever database holds the mirror (issue 18).

#include <algorithm>
#include <catch2/catch.hpp>
#include <stdexcept>

#include "store/queries.hpp"
#include "store/store.hpp"
#include "support/backend_fixture.hpp"

using namespace oaiharvest;
using oaiharvest::test::deleted_record;
using oaiharvest::test::live_record;

namespace {

using Fixture = test::BackendFixture;

// A MODS record of what search reads.
struct Mods {
    std::string title;
    std::string subtitle;
    std::vector<std::pair<std::string, std::string>> names;  // family, given
    std::string abstract;
    std::vector<std::string> subjects;
    std::string issued;
};
std::string mods(const Mods& m) {
    std::string xml =
        "<mods:mods xmlns:mods=\"http://www.loc.gov/mods/v3\"><mods:titleInfo><mods:title>" +
        m.title + "</mods:title>";
    if (!m.subtitle.empty()) {
        xml += "<mods:subTitle>" + m.subtitle + "</mods:subTitle>";
    }
    xml += "</mods:titleInfo>";
    for (const auto& [family, given] : m.names) {
        xml += "<mods:name type=\"personal\"><mods:namePart type=\"family\">" + family +
               "</mods:namePart><mods:namePart type=\"given\">" + given +
               "</mods:namePart></mods:name>";
    }
    if (!m.abstract.empty()) {
        xml += "<mods:abstract>" + m.abstract + "</mods:abstract>";
    }
    for (const auto& subject : m.subjects) {
        xml += "<mods:subject><mods:topic>" + subject + "</mods:topic></mods:subject>";
    }
    if (!m.issued.empty()) {
        xml += "<mods:originInfo><mods:dateIssued>" + m.issued +
               "</mods:dateIssued></mods:originInfo>";
    }
    return xml + "</mods:mods>";
}
std::string mods(const std::string& title) {
    return mods(Mods{.title = title});
}

// The identifiers a query finds, sorted: the backends rank alike but need not order ties alike.
std::vector<std::string> found(store::Store& mirror, const std::string& query,
                               search::QuerySyntax syntax = search::QuerySyntax::words) {
    auto hits = store::search(mirror, query, 20, syntax);
    if (!hits) {
        throw std::runtime_error("search for " + query + ": " + hits.error());
    }
    std::vector<std::string> out;
    for (const auto& hit : *hits) {
        out.push_back(hit.identifier);
    }
    std::sort(out.begin(), out.end());
    return out;
}

}  // namespace

TEST_CASE("Search finds the same records in Latin and Cyrillic Uzbek", "[store][backends]") {
    auto backend = GENERATE(test::Backend::sqlite, test::Backend::postgres);
    INFO(test::name_of(backend));
    Fixture f(backend);
    f.put({live_record("oai:latin", mods("Oʻzbekiston tarixi")),
           live_record("oai:cyrillic", mods("Ўзбекистон тарихи")),
           live_record("oai:other", mods("Qoraqalpoq adabiyoti")),
           live_record("oai:gone", mods("Oʻzbekiston tarixi, eski nashr"))});
    f.put({deleted_record("oai:gone", "2026-02-01T00:00:00Z")});
    using Ids = std::vector<std::string>;
    const Ids both{"oai:cyrillic", "oai:latin"};
    for (const char* query :
         {"O'zbekiston", "Oʻzbekiston", "Ўзбекистон", "ozbekiston", "tarix*", "Тарих*",
          "\"Oʻzbekiston tarixi\"", "\"ўзбекистон тарихи\"", "ozbekiston tarixi"}) {
        INFO("query " << query);
        CHECK(found(*f.db, query) == both);
    }
    CHECK(found(*f.db, "adabiyot*") == Ids{"oai:other"});
    CHECK(found(*f.db, "Қорақалпоқ") == Ids{"oai:other"});
    // A phrase is its words in order.
    CHECK(found(*f.db, "\"tarixi ozbekiston\"").empty());
    CHECK(found(*f.db, "ozbekiston adabiyoti").empty());
    CHECK(found(*f.db, "nashr").empty());  // deleted: not found

    // Hits say what they are.
    auto hits = store::search(*f.db, "Қорақалпоқ", 20);
    REQUIRE(hits);
    REQUIRE(hits->size() == 1);
    CHECK((*hits)[0].endpoint == "sample");
    CHECK((*hits)[0].title == "Qoraqalpoq adabiyoti");
    CHECK_FALSE((*hits)[0].in_full_text);

    // The script typed ranks first.
    hits = store::search(*f.db, "Ўзбекистон", 20);
    REQUIRE(hits);
    REQUIRE(hits->size() == 2);
    CHECK((*hits)[0].identifier == "oai:cyrillic");
    hits = store::search(*f.db, "ozbekiston", 20);
    REQUIRE(hits);
    REQUIRE(hits->size() == 2);
    CHECK((*hits)[0].identifier == "oai:latin");
    // limit
    hits = store::search(*f.db, "tarix*", 1);
    REQUIRE(hits);
    CHECK(hits->size() == 1);

    auto no_words = store::search(*f.db, "*** ,", 20);
    REQUIRE_FALSE(no_words);
    CHECK_THAT(no_words.error(), Catch::Contains("no words"));

    // A reader of the mirror finds the same.
    CHECK(found(*f.reopen_read_only(), "ozbekiston") == both);
}

TEST_CASE("FTS5 query syntax is searched on SQLite and refused with a message on PostgreSQL",
          "[store][backends]") {
    auto backend = GENERATE(test::Backend::sqlite, test::Backend::postgres);
    INFO(test::name_of(backend));
    Fixture f(backend);
    f.put({live_record("oai:latin", mods("Oʻzbekiston tarixi"))});
    std::expected<std::vector<store::SearchHit>, std::string> hits;
    REQUIRE_NOTHROW(hits =
                        store::search(*f.db, "tarix* OR adabiyot", 20, search::QuerySyntax::fts5));
    if (backend == test::Backend::sqlite) {
        REQUIRE(hits);
        CHECK(hits->size() == 1);
    } else {
        REQUIRE_FALSE(hits);
        CHECK_THAT(hits.error(), Catch::Contains("plain words"));
    }
}

TEST_CASE("A searched phrase is matched within one field, never across two", "[store][backends]") {
    auto backend = GENERATE(test::Backend::sqlite, test::Backend::postgres);
    INFO(test::name_of(backend));
    Fixture f(backend);
    f.put({live_record("oai:subtitle",
                       mods(Mods{.title = "Tarix", .subtitle = "Oʻzbekiston xalqlari"})),
           live_record("oai:abstract",
                       mods(Mods{.title = "Adabiyot", .abstract = "Tarixi va bugungi kuni"})),
           live_record("oai:names", mods(Mods{.title = "Sheʼriyat",
                                              .names = {{"Karimova", "Nodira"}},
                                              .subjects = {"Sheʼriyat tarixi", "Navoiy"}}))});
    using Ids = std::vector<std::string>;
    // Within a field: found.
    CHECK(found(*f.db, "\"ozbekiston xalqlari\"") == Ids{"oai:subtitle"});
    CHECK(found(*f.db, "\"tarixi va\"") == Ids{"oai:abstract"});
    // Several subjects are one field, as several names are.
    CHECK(found(*f.db, "\"tarixi navoiy\"") == Ids{"oai:names"});
    // The words of two fields next to each other are no phrase.
    CHECK(found(*f.db, "\"tarix ozbekiston\"").empty());
    CHECK(found(*f.db, "\"adabiyot tarixi\"").empty());
    CHECK(found(*f.db, "\"sheriyat nodira\"").empty());
    CHECK(found(*f.db, "\"sheriyat karimova\"").empty());
    // As words, they are found wherever they are.
    CHECK(found(*f.db, "adabiyot tarixi") == Ids{"oai:abstract"});
}

TEST_CASE("A search hit carries the current copy's title, year and first three names",
          "[store][backends]") {
    auto backend = GENERATE(test::Backend::sqlite, test::Backend::postgres);
    INFO(test::name_of(backend));
    Fixture f(backend);
    store::ScopeState dc = f.db->scope(f.endpoint.id, "oai_dc", "");
    f.put({live_record("oai:x:1", mods(Mods{.title = "Eski sarlavha tarixi"}),
                       "2026-01-01T00:00:00Z"),
           live_record("oai:x:2", mods(Mods{.title = "Navoiy tarixi",
                                            .names = {{"Karimova", "Nodira"},
                                                      {"Aliyev", "Bobur"},
                                                      {"Qodirova", "Dilnoza"},
                                                      {"Rahimov", "Erkin"}},
                                            .issued = "2019-05-01"}))});
    // x:1 changed since, harvested in another format: only that copy is searched.
    f.put({live_record("oai:x:1", mods(Mods{.title = "Yangi sarlavha tarixi"}),
                       "2026-02-01T00:00:00Z")},
          dc, f.run);
    using Ids = std::vector<std::string>;
    CHECK(found(*f.db, "eski").empty());
    CHECK(found(*f.db, "yangi") == Ids{"oai:x:1"});
    CHECK(found(*f.db, "tarixi") == Ids{"oai:x:1", "oai:x:2"});
    auto hits = store::search(*f.db, "sarlavha", 20);
    REQUIRE(hits);
    REQUIRE(hits->size() == 1);
    CHECK((*hits)[0].title == "Yangi sarlavha tarixi");
    CHECK_FALSE((*hits)[0].year);

    hits = store::search(*f.db, "navoiy", 20);
    REQUIRE(hits);
    REQUIRE(hits->size() == 1);
    const auto& hit = (*hits)[0];
    CHECK(hit.endpoint == "sample");
    CHECK(hit.identifier == "oai:x:2");
    CHECK(hit.year == 2019);
    REQUIRE(hit.names.size() == 3);
    CHECK(hit.names[0].find("Karimova") != std::string::npos);
    CHECK(hit.names[1].find("Aliyev") != std::string::npos);
    CHECK(hit.names[2].find("Qodirova") != std::string::npos);
    // Found through a name.
    CHECK(found(*f.db, "rahimov") == Ids{"oai:x:2"});
}

TEST_CASE("A Cyrillic word with a letter the Latin table does not know is found as typed",
          "[store][backends]") {
    auto backend = GENERATE(test::Backend::sqlite, test::Backend::postgres);
    INFO(test::name_of(backend));
    Fixture f(backend);
    // Serbian њ, љ and ђ have no Uzbek Latin: their keys keep them.
    f.put({live_record("oai:njegos", mods("Горски вијенац: Његош")),
           live_record("oai:ljubljana", mods("Љубљана и Ђаковица"))});
    using Ids = std::vector<std::string>;
    CHECK(found(*f.db, "Његош") == Ids{"oai:njegos"});
    CHECK(found(*f.db, "његош") == Ids{"oai:njegos"});
    CHECK(found(*f.db, "Љубљана") == Ids{"oai:ljubljana"});
    CHECK(found(*f.db, "Ђаков*") == Ids{"oai:ljubljana"});
    CHECK(found(*f.db, "\"вијенац његош\"") == Ids{"oai:njegos"});
    CHECK(found(*f.db, "gorski") == Ids{"oai:njegos"});
}

TEST_CASE("A word in a title ranks above the same word in an abstract", "[store][backends]") {
    auto backend = GENERATE(test::Backend::sqlite, test::Backend::postgres);
    INFO(test::name_of(backend));
    Fixture f(backend);
    // The abstract's record first, so that the order is not the records' own.
    f.put({live_record("oai:abstract",
                       mods(Mods{.title = "Adabiyot", .abstract = "Samarqand shahri haqida"})),
           live_record("oai:name", mods(Mods{.title = "Tarix", .names = {{"Samarqandiy", "Abu"}}})),
           live_record("oai:title", mods(Mods{.title = "Samarqand"}))});
    auto hits = store::search(*f.db, "samarqand", 20);
    REQUIRE(hits);
    REQUIRE(hits->size() == 2);
    CHECK((*hits)[0].identifier == "oai:title");
    CHECK((*hits)[1].identifier == "oai:abstract");
    CHECK((*hits)[0].rank < (*hits)[1].rank);  // lower is better, as bm25
    hits = store::search(*f.db, "samarqand*", 20);
    REQUIRE(hits);
    REQUIRE(hits->size() == 3);
    CHECK((*hits)[0].identifier == "oai:title");
    CHECK((*hits)[2].identifier == "oai:abstract");
}
