// Search as Central Asian readers type it (issue 17), over tests/fixtures/search/records.tsv:
// every query of queries.tsv finds the records it must and none it must not; a match in the
// script typed ranks above a match in the other; documents' text is read the same way.

#include <catch2/catch.hpp>
#include <fstream>
#include <sstream>

#include "harvest/normalize.hpp"
#include "store/document_text.hpp"
#include "store/queries.hpp"
#include "support/store_fixture.hpp"

using namespace oaiharvest;

namespace {

std::vector<std::string> split(const std::string& text, char separator) {
    std::vector<std::string> out;
    std::string part;
    std::istringstream in(text);
    while (std::getline(in, part, separator)) {
        out.push_back(part);
    }
    return out;
}

// The lines of a fixture table, comments and blank lines left out, each split at tabs.
std::vector<std::vector<std::string>> table(const std::string& name) {
    std::ifstream in(std::string(OAIHARVEST_FIXTURES_DIR) + "/search/" + name);
    REQUIRE(in);
    std::vector<std::vector<std::string>> rows;
    std::string line;
    while (std::getline(in, line)) {
        if (!line.empty() && line[0] != '#') {
            rows.push_back(split(line, '\t'));
        }
    }
    return rows;
}

std::string escaped(const std::string& text) {
    std::string out;
    for (char c : text) {
        out += c == '&' ? "&amp;" : c == '<' ? "&lt;" : std::string(1, c);
    }
    return out;
}

std::string mods(const std::vector<std::string>& row) {
    std::string xml =
        "<mods:mods xmlns:mods=\"http://www.loc.gov/mods/v3\"><mods:titleInfo>"
        "<mods:title>" +
        escaped(row[1]) + "</mods:title></mods:titleInfo>";
    for (const auto& name : split(row[2], ';')) {
        auto parts = split(name.starts_with(' ') ? name.substr(1) : name, '|');
        REQUIRE(parts.size() == 2);
        xml += "<mods:name type=\"personal\"><mods:namePart type=\"family\">" + escaped(parts[0]) +
               "</mods:namePart><mods:namePart type=\"given\">" + escaped(parts[1]) +
               "</mods:namePart></mods:name>";
    }
    return xml + "<mods:abstract>" + escaped(row[3]) + "</mods:abstract></mods:mods>";
}

struct CorpusFixture : test::StoreFixture {
    CorpusFixture() {
        auto page = db->begin_page(run, scope);
        for (const auto& row : table("records.tsv")) {
            REQUIRE(row.size() == 4);
            harvest::put(page, test::live_record("oai:test:" + row[0], mods(row)));
        }
        page.commit(scope, store::PageEnd{std::nullopt, "2026-01-01T00:00:00Z"}, {});
    }

    // The records a query finds, best first, by their short names.
    std::vector<std::string> found(const std::string& query,
                                   search::QuerySyntax syntax = search::QuerySyntax::words) {
        auto hits = store::search(*db, query, 50, syntax);
        REQUIRE(hits);
        std::vector<std::string> out;
        for (const auto& h : *hits) {
            out.push_back(h.identifier.substr(std::string("oai:test:").size()));
        }
        return out;
    }
};

bool has(const std::vector<std::string>& found, const std::string& id) {
    return std::find(found.begin(), found.end(), id) != found.end();
}

}  // namespace

TEST_CASE("Each query of the table finds the records it must and none it must not",
          "[search][store]") {
    CorpusFixture f;
    const auto queries = table("queries.tsv");
    REQUIRE(queries.size() >= 40);
    for (const auto& row : queries) {
        REQUIRE(row.size() == 3);
        const auto hits = f.found(row[0]);
        INFO("query " << row[0]);
        for (const auto& id : split(row[1], ' ')) {
            if (id != "-") {
                INFO("must find " << id);
                CHECK(has(hits, id));
            }
        }
        for (const auto& id : split(row[2], ' ')) {
            if (id != "-") {
                INFO("must not find " << id);
                CHECK_FALSE(has(hits, id));
            }
        }
    }
}

TEST_CASE("The issue's two examples find the same records however they are typed",
          "[search][store]") {
    CorpusFixture f;
    auto sorted = [&](const std::string& q) {
        auto hits = f.found(q);
        std::sort(hits.begin(), hits.end());
        return hits;
    };
    const auto apostrophe = sorted("qo‘llanilishi");
    CHECK(apostrophe.size() == 2);
    for (const char* q :
         {"qo'llanilishi", "qoʻllanilishi", "qo’llanilishi", "qo`llanilishi", "қўлланилиши"}) {
        INFO(q);
        CHECK(sorted(q) == apostrophe);
    }
    const auto latin = sorted("Nazarova");
    CHECK(latin.size() == 3);
    CHECK(sorted("Назарова") == latin);
    CHECK(sorted("Oʻzbekiston") == sorted("Ўзбекистон"));
}

TEST_CASE("A match in the script typed ranks above a match in the other", "[search][store]") {
    CorpusFixture f;
    const auto cyrillic = f.found("Назарова");
    REQUIRE(cyrillic.size() == 3);
    CHECK(cyrillic.back() == "uz-latn-water");
    const auto latin = f.found("Nazarova");
    REQUIRE(latin.size() == 3);
    CHECK(latin.front() == "uz-latn-water");
    CHECK(f.found("Тоҷикистон") == std::vector<std::string>{"tg-cyrl-history"});
    const auto jamshed = f.found("Jamshed");
    REQUIRE(jamshed.size() == 2);
    CHECK(jamshed.front() == "en-tg-history");
}

TEST_CASE("FTS5 syntax, when asked for, reads across scripts too", "[search][store]") {
    CorpusFixture f;
    auto both = f.found("Назарова OR Jeenbekov", search::QuerySyntax::fts5);
    CHECK(has(both, "uz-latn-water"));
    CHECK(has(both, "ky-cyrl-youth"));
    CHECK(f.found("title:Nazarova", search::QuerySyntax::fts5).empty());
    CHECK(f.found("names:Назарова NOT abstract:qo*", search::QuerySyntax::fts5) ==
          std::vector<std::string>{"ru-education"});
    // Its syntax errors are the user's to see; the same words as plain words are no error.
    CHECK_FALSE(store::search(*f.db, "qo'llanilishi", 10, search::QuerySyntax::fts5));
    CHECK(store::search(*f.db, "qo'llanilishi", 10, search::QuerySyntax::words));
}

TEST_CASE("Documents' text is searched across apostrophes and scripts", "[search][store]") {
    CorpusFixture f;
    store::sql::Statement insert(f.raw(),
                                 "INSERT INTO documents (id, endpoint_id, url, state, sha256, "
                                 "mimetype) VALUES (1, ?1, 'http://127.0.0.1:1/1.txt', 'stored', "
                                 "?2, 'text/plain')");
    const std::string sha(64, 'a');
    insert.bind(1, f.endpoint.id).bind(2, sha).run();
    store::sql::Statement link(f.raw(),
                               "INSERT INTO record_documents (record_id, document_id) SELECT id, "
                               "1 FROM records WHERE identifier = 'oai:test:en-water'");
    link.run();
    store::put_text(*f.db, sha,
                    {fulltext::TextStatus::extracted,
                     "Sirdaryo havzasida gʻalla yetishtirish.",
                     std::nullopt,
                     {}});
    for (const char* q : {"g'alla", "галла", "ғалла", "Sirdaryo", "Сирдарё"}) {
        INFO(q);
        const auto hits = store::search(*f.db, q, 10);
        REQUIRE(hits);
        REQUIRE(hits->size() == 1);
        CHECK(hits->front().identifier == "oai:test:en-water");
        CHECK(hits->front().in_full_text);
    }
}

TEST_CASE("A failing mirror is the mirror's error, not a query the reader got wrong",
          "[search][store]") {
    CorpusFixture f;
    f.raw().exec("DROP TABLE search");
    // Plain words cannot be wrong FTS5: the error goes up as the store's (the web answers 503,
    // the command names the mirror), not as an unreadable query.
    CHECK_THROWS_AS(store::search(*f.db, "Nazarova", 10), store::sql::Error);
    auto fts5 = store::search(*f.db, "Nazarova", 10, search::QuerySyntax::fts5);
    REQUIRE_FALSE(fts5);
    CHECK(fts5.error().find("no such table") != std::string::npos);
}
