// Schema 12 reindexes an existing mirror: after the upgrade its records and documents' text are
// found across apostrophes and scripts, as a new mirror's are.

#include <catch2/catch.hpp>

#include "harvest/normalize.hpp"
#include "search/search_key.hpp"
#include "store/document_text.hpp"
#include "store/queries.hpp"
#include "support/store_fixture.hpp"

using namespace oaiharvest;

namespace {

const char* k_record =
    "<mods:mods xmlns:mods=\"http://www.loc.gov/mods/v3\"><mods:titleInfo><mods:title>"
    "Tomchilatib sug‘orishning qo‘llanilishi</mods:title></mods:titleInfo></mods:mods>";

std::int64_t count(store::sql::Database& db, const std::string& sql) {
    store::sql::Statement stmt(db, sql);
    REQUIRE(stmt.step());
    return stmt.int64(0);
}

void put_the_record(test::StoreFixture& f) {
    auto page = f.db->begin_page(f.run, f.scope);
    harvest::put(page, test::live_record("oai:x:1", k_record));
    page.commit(f.scope, store::PageEnd{std::nullopt, "2026-01-01T00:00:00Z"}, {});
}

// What schema 11 had: both indexes with SQLite's own tokenizer.
void downgrade_to_schema_11(store::sql::Database& db) {
    db.exec(
        "BEGIN;"
        "DROP TABLE search;"
        "CREATE VIRTUAL TABLE search USING fts5 (title, subtitle, abstract, names, subjects, "
        "content = 'search_source', content_rowid = 'record_id', "
        "tokenize = 'unicode61 remove_diacritics 2');"
        "INSERT INTO search (search) VALUES ('rebuild');"
        "DROP TABLE document_search;"
        "CREATE VIRTUAL TABLE document_search USING fts5 (text, content = 'document_texts', "
        "content_rowid = 'id', tokenize = 'unicode61 remove_diacritics 2');"
        "INSERT INTO document_search (document_search) VALUES ('rebuild');"
        "DROP TABLE search_keys;"
        "DELETE FROM schema_migrations WHERE version >= 12;"
        "PRAGMA user_version = 11;"
        "COMMIT;");
}

}  // namespace

TEST_CASE("Upgrading to schema 12 reindexes the records and the documents' text",
          "[search][store]") {
    test::StoreFixture f;
    put_the_record(f);
    const std::string sha(64, 'a');
    store::sql::Statement document(f.raw(),
                                   "INSERT INTO documents (id, endpoint_id, url, state, sha256, "
                                   "mimetype) VALUES (1, ?1, 'http://127.0.0.1:1/1.txt', "
                                   "'stored', ?2, 'text/plain')");
    document.bind(1, f.endpoint.id).bind(2, sha).run();
    f.raw().exec("INSERT INTO record_documents (record_id, document_id) SELECT id, 1 FROM records");
    store::put_text(
        *f.db, sha,
        {fulltext::TextStatus::extracted, "Oʻzbekiston Respublikasi", std::nullopt, {}});
    f.db.reset();
    downgrade_to_schema_11(f.raw());
    // Before: SQLite's tokenizer knows one script at a time.
    CHECK(count(f.raw(), "SELECT count(*) FROM search WHERE search MATCH 'қўлланилиши'") == 0);
    CHECK(count(f.raw(),
                "SELECT count(*) FROM document_search WHERE document_search MATCH "
                "'Ўзбекистон'") == 0);

    auto upgraded = store::Store::open(f.dir.file("mirror.db"));
    CHECK(upgraded->schema_version() == 12);
    for (const char* q : {"қўлланилиши", "qo'llanilishi", "qollanilishi", "sugorishning"}) {
        INFO(q);
        const auto hits = store::search(*upgraded, q, 10);
        REQUIRE(hits);
        REQUIRE(hits->size() == 1);
        CHECK_FALSE(hits->front().in_full_text);
    }
    const auto text = store::search(*upgraded, "Ўзбекистон", 10);
    REQUIRE(text);
    REQUIRE(text->size() == 1);
    CHECK(text->front().in_full_text);
    // The new tables are written through, as the old were.
    CHECK(count(f.raw(),
                "SELECT count(*) FROM sqlite_schema WHERE name IN ('search', "
                "'document_search') AND sql LIKE '%tokenize = ''oaiharvest''%'") == 2);
}

TEST_CASE("A mirror indexed under other keying rules or Unicode is indexed again by a writer",
          "[search][store]") {
    test::StoreFixture f;
    put_the_record(f);
    CHECK(count(f.raw(), "SELECT count(*) FROM search_keys WHERE version = '" +
                             search::key_version() + "'") == 1);
    f.db.reset();
    // As if an older oaiharvest, or another ICU, had made the index: its words are not this
    // version's (here: none at all).
    f.raw().exec(
        "INSERT INTO search (search) VALUES ('delete-all');"
        "UPDATE search_keys SET version = 'rules 0, Unicode 1.0'");
    CHECK(count(f.raw(), "SELECT count(*) FROM search WHERE search MATCH 'qollanilishi'") == 0);

    std::vector<std::string> steps;
    auto writer = store::Store::open(f.dir.file("mirror.db"), [&](const store::UpgradeProgress& p) {
        steps.push_back(p.step + " " + std::to_string(p.done));
    });
    CHECK(steps == std::vector<std::string>{"rebuilding the search indexes 0",
                                            "rebuilding the search indexes 1"});
    const auto hits = store::search(*writer, "qo'llanilishi", 10);
    REQUIRE(hits);
    CHECK(hits->size() == 1);
    CHECK(count(f.raw(), "SELECT count(*) FROM search_keys WHERE version = '" +
                             search::key_version() + "'") == 1);
    test::raw_connection(f.dir.file("mirror.db"))
        ->exec("INSERT INTO search (search, rank) VALUES ('integrity-check', 1)");
    // Under the same version, the next writer finds nothing to do.
    writer.reset();
    steps.clear();
    store::Store::open(f.dir.file("mirror.db"),
                       [&](const store::UpgradeProgress& p) { steps.push_back(p.step); });
    CHECK(steps.empty());
}
