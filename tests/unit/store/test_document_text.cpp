// The text of documents in the store (store/document_text.hpp) and search over it: records
// found only through a body come after every metadata match.

#include <catch2/catch.hpp>

#include "harvest/normalize.hpp"
#include "store/document_text.hpp"
#include "store/queries.hpp"
#include "store/sqlite.hpp"
#include "support/store_fixture.hpp"

using namespace oaiharvest;
using fulltext::TextStatus;

namespace {

std::string mods(const std::string& title, const std::string& abstract = "") {
    return "<mods:mods xmlns:mods=\"http://www.loc.gov/mods/v3\"><mods:titleInfo><mods:title>" +
           title + "</mods:title></mods:titleInfo><mods:abstract>" + abstract +
           "</mods:abstract></mods:mods>";
}

const std::string k_sha_a(64, 'a');
const std::string k_sha_b(64, 'b');
const std::string k_sha_c(64, 'c');

struct DocumentsFixture : test::StoreFixture {
    DocumentsFixture() {
        auto page = db->begin_page(run, scope);
        harvest::put(page, test::live_record("oai:x:1", mods("Water diplomacy")));
        harvest::put(page, test::live_record("oai:x:2", mods("Mountains", "diplomacy abroad")));
        harvest::put(page, test::live_record("oai:x:3", mods("Rivers of Central Asia")));
        harvest::put(page, test::live_record("oai:x:4", mods("Glaciers")));
        page.commit(scope, store::PageEnd{std::nullopt, "2026-01-01T00:00:00Z"}, {});
    }

    // What the documents stage (schema 10) would have written: a stored body listed by a record.
    void document(std::int64_t id, const std::string& identifier, const std::string& sha256,
                  const std::string& state = "stored") {
        store::sql::Statement insert(raw(),
                                     "INSERT INTO documents (id, endpoint_id, url, state, sha256, "
                                     "mimetype) VALUES (?1, ?2, ?3, ?4, ?5, 'text/plain')");
        insert.bind(1, id)
            .bind(2, endpoint.id)
            .bind(3, "http://127.0.0.1:1/" + std::to_string(id) + ".txt")
            .bind(4, state)
            .bind(5, sha256)
            .run();
        store::sql::Statement link(raw(),
                                   "INSERT INTO record_documents (record_id, document_id) SELECT "
                                   "id, ?2 FROM records WHERE identifier = ?1");
        link.bind(1, identifier).bind(2, id).run();
    }

    static fulltext::ExtractedText text(const std::string& body) {
        return {TextStatus::extracted, body, std::nullopt, {}};
    }

    std::vector<std::string> found(const std::string& query,
                                   search::QuerySyntax syntax = search::QuerySyntax::words) {
        auto hits = store::search(*db, query, 10, syntax);
        REQUIRE(hits);
        std::vector<std::string> out;
        for (const auto& hit : *hits) {
            out.push_back(hit.identifier + (hit.in_full_text ? " (text)" : ""));
        }
        return out;
    }
};

}  // namespace

TEST_CASE("texts_wanted lists each stored body without text once", "[store][fulltext]") {
    DocumentsFixture f;
    f.document(1, "oai:x:1", k_sha_a);
    f.document(2, "oai:x:2", k_sha_a);  // the same body, listed twice
    f.document(3, "oai:x:3", k_sha_b);
    f.document(4, "oai:x:4", k_sha_c, "pending");
    CHECK(store::texts_wanted(*f.db, 10) == std::vector<std::string>{k_sha_a, k_sha_b});
    CHECK(store::texts_wanted(*f.db, 1) == std::vector<std::string>{k_sha_a});
    CHECK(store::stored_body_type(*f.db, k_sha_a) == "text/plain");
    CHECK(store::stored_body_type(*f.db, k_sha_c) == std::nullopt);  // pending: not on disk
    store::put_text(*f.db, k_sha_a, DocumentsFixture::text("words"));
    CHECK(store::texts_wanted(*f.db, 10) == std::vector<std::string>{k_sha_b});
}

TEST_CASE("put_text stores each status, and text_facts reads it back", "[store][fulltext]") {
    DocumentsFixture f;
    f.document(1, "oai:x:1", k_sha_a);
    CHECK_FALSE(store::text_facts(*f.db, k_sha_a));
    store::put_text(*f.db, k_sha_a, {TextStatus::extracted, "Zarafshon minutes", 2, {}});
    auto facts = store::text_facts(*f.db, k_sha_a);
    REQUIRE(facts);
    CHECK(facts->status == TextStatus::extracted);
    CHECK(facts->pages == 2);
    CHECK_FALSE(facts->error);
    CHECK(facts->text_bytes == 17);
    CHECK(facts->extracted_at.size() == 20);

    // A later result replaces the first, and its words leave the index.
    store::put_text(*f.db, k_sha_a,
                    {TextStatus::failed, "ignored", std::nullopt, "a.pdf: the worker was killed"});
    facts = store::text_facts(*f.db, k_sha_a);
    REQUIRE(facts);
    CHECK(facts->status == TextStatus::failed);
    CHECK(facts->error == "a.pdf: the worker was killed");
    CHECK(facts->text_bytes == 0);
    CHECK(f.found("Zarafshon").empty());
}

TEST_CASE("search finds a record through its document's text, marked so", "[store][fulltext]") {
    DocumentsFixture f;
    f.document(1, "oai:x:4", k_sha_a);
    store::put_text(*f.db, k_sha_a, DocumentsFixture::text("The Zarafshon keeps its minutes"));
    CHECK(f.found("zarafshon") == std::vector<std::string>{"oai:x:4 (text)"});
    CHECK(f.found("\"keeps its minutes\"") == std::vector<std::string>{"oai:x:4 (text)"});
}

TEST_CASE("search ranks records found only in a body after every metadata match",
          "[store][fulltext]") {
    DocumentsFixture f;
    // Record 3's body says "diplomacy" many times: in the body alone, it still comes last.
    f.document(1, "oai:x:3", k_sha_a);
    store::put_text(*f.db, k_sha_a, DocumentsFixture::text("diplomacy diplomacy diplomacy"));
    // Record 1 matches in its title and its body: a metadata match, listed once.
    f.document(2, "oai:x:1", k_sha_b);
    store::put_text(*f.db, k_sha_b, DocumentsFixture::text("diplomacy"));
    CHECK(f.found("diplomacy") == std::vector<std::string>{"oai:x:1", "oai:x:2", "oai:x:3 (text)"});
    // The limit cuts after the metadata matches.
    auto two = store::search(*f.db, "diplomacy", 2);
    REQUIRE(two);
    CHECK(two->size() == 2);
}

TEST_CASE("search over bodies skips documents not stored and queries naming a column",
          "[store][fulltext]") {
    DocumentsFixture f;
    f.document(1, "oai:x:4", k_sha_a, "failed");
    store::put_text(*f.db, k_sha_a, DocumentsFixture::text("Zarafshon"));
    CHECK(f.found("Zarafshon").empty());
    // title: is a metadata column; the text has none, and the query still works.
    CHECK(f.found("title:diplomacy", search::QuerySyntax::fts5) ==
          std::vector<std::string>{"oai:x:1"});
    // A query FTS5 cannot read is still the user's error.
    CHECK_FALSE(store::search(*f.db, "\"unbalanced", 10, search::QuerySyntax::fts5));
}

TEST_CASE("search over bodies finds live records only", "[store][fulltext]") {
    DocumentsFixture f;
    f.document(1, "oai:x:4", k_sha_a);
    store::put_text(*f.db, k_sha_a, DocumentsFixture::text("Zarafshon"));
    auto page = f.db->begin_page(f.run, f.scope);
    harvest::put(page, test::deleted_record("oai:x:4", "2026-02-01T00:00:00Z"));
    page.commit(f.scope, store::PageEnd{std::nullopt, "2026-02-01T00:00:00Z"}, {});
    CHECK(f.found("Zarafshon").empty());
}

TEST_CASE("drop_unused_texts removes texts no document holds, with their index entries",
          "[store][fulltext]") {
    DocumentsFixture f;
    f.document(1, "oai:x:1", k_sha_a);
    f.document(2, "oai:x:2", k_sha_b);
    store::put_text(*f.db, k_sha_a, DocumentsFixture::text("Zarafshon"));
    store::put_text(*f.db, k_sha_b, DocumentsFixture::text("Amudarya"));
    CHECK(store::drop_unused_texts(*f.db) == 0);
    f.raw().exec("DELETE FROM documents WHERE id = 2");
    CHECK(store::drop_unused_texts(*f.db) == 1);
    CHECK(store::text_facts(*f.db, k_sha_a));
    CHECK_FALSE(store::text_facts(*f.db, k_sha_b));
    CHECK(f.found("Amudarya").empty());
    CHECK(f.found("Zarafshon") == std::vector<std::string>{"oai:x:1 (text)"});
    // The index holds exactly the rows left (FTS5's own consistency check).
    f.raw().exec("INSERT INTO document_search (document_search) VALUES ('integrity-check')");
}

TEST_CASE("search works on a mirror whose documents have no text yet", "[store][fulltext]") {
    DocumentsFixture f;
    f.document(1, "oai:x:4", k_sha_a);
    CHECK(f.found("diplomacy") == std::vector<std::string>{"oai:x:1", "oai:x:2"});
    CHECK(f.found("Zarafshon").empty());
}
