// The items view (schema 5): every column it gives is the field the record's JSON holds, and a
// mirror made before it (schema 4, items a table of columns) keeps every value when migrated.

#include <sqlite3.h>

#include <catch2/catch.hpp>
#include <fstream>
#include <sstream>

#include "harvest/normalize.hpp"
#include "metadata/metadata.hpp"
#include "store/queries.hpp"
#include "store/sqlite.hpp"
#include "store/store.hpp"
#include "support/fixtures.hpp"
#include "support/store_fixture.hpp"
#include "support/temp_dir.hpp"

using namespace oaiharvest;
using oaiharvest::test::TempDir;

namespace {

const char* k_columns =
    "record_id, title, subtitle, abstract, genre, type, language, date_issued, year, publisher, "
    "host_title, host_issn, host_volume, host_issue, host_pages, rights, mets_objid, "
    "mets_created, mets_custodian, parse_error, json";

// One row of items, every column as text ("NULL" for null) with its SQL type.
std::vector<std::string> item_row(sqlite3* db, std::int64_t record_id) {
    std::string sql = std::string("SELECT ") + k_columns + " FROM items WHERE record_id = ?1";
    sqlite3_stmt* stmt = nullptr;
    REQUIRE(sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr) == SQLITE_OK);
    sqlite3_bind_int64(stmt, 1, record_id);
    std::vector<std::string> row;
    if (sqlite3_step(stmt) == SQLITE_ROW) {
        for (int i = 0; i < sqlite3_column_count(stmt); ++i) {
            const auto* text = sqlite3_column_text(stmt, i);
            row.push_back(std::to_string(sqlite3_column_type(stmt, i)) + ":" +
                          (text ? reinterpret_cast<const char*>(text) : "NULL"));
        }
    }
    sqlite3_finalize(stmt);
    return row;
}

std::string text_cell(const std::optional<std::string>& value) {
    return value ? std::to_string(SQLITE_TEXT) + ":" + *value
                 : std::to_string(SQLITE_NULL) + ":NULL";
}

void exec(sqlite3* db, const std::string& sql) {
    char* error = nullptr;
    int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &error);
    INFO((error ? error : ""));
    sqlite3_free(error);
    REQUIRE(rc == SQLITE_OK);
}

std::string schema_file(const std::string& name) {
    std::ifstream in(std::string(OAIHARVEST_SOURCE_DIR) + "/schema/" + name);
    REQUIRE(in);
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
}

// A MODS record in a journal issue: the host columns.
const char* k_hosted =
    "<mods:mods xmlns:mods=\"http://www.loc.gov/mods/v3\"><mods:titleInfo><mods:title>Hosted"
    "</mods:title></mods:titleInfo><mods:originInfo><mods:dateIssued>1999</mods:dateIssued>"
    "</mods:originInfo><mods:relatedItem type=\"host\"><mods:titleInfo><mods:title>Journal of "
    "Tests</mods:title></mods:titleInfo><mods:identifier type=\"issn\">1234-5678"
    "</mods:identifier><mods:part><mods:detail type=\"volume\"><mods:number>7</mods:number>"
    "</mods:detail><mods:detail type=\"issue\"><mods:number>2</mods:number></mods:detail>"
    "<mods:extent unit=\"page\"><mods:start>10</mods:start><mods:end>20</mods:end>"
    "</mods:extent></mods:part></mods:relatedItem></mods:mods>";

}  // namespace

TEST_CASE("The items view gives each field of the record's stored JSON", "[store]") {
    test::StoreFixture f;
    auto& db = f.db;
    const std::string seed = test::read_fixture("seeds/001_41e69035f2cc746a.txt");
    const auto record = test::live_record("oai:x:1", seed);
    const auto hosted = test::live_record("oai:x:2", k_hosted);
    const auto broken = test::live_record(
        "oai:x:3", "<mets:mets xmlns:mets=\"http://www.loc.gov/METS/\"><unclosed>");
    auto page = db->begin_page(f.run, f.scope);
    harvest::put(page, record);
    harvest::put(page, hosted);
    harvest::put(page, broken);
    page.commit(f.scope, store::PageEnd{std::nullopt, "2026-01-01T00:00:00Z"}, {});

    auto* raw = f.raw().handle();
    sqlite3_stmt* ids = nullptr;
    REQUIRE(sqlite3_prepare_v2(raw, "SELECT id FROM records ORDER BY identifier", -1, &ids,
                               nullptr) == SQLITE_OK);
    REQUIRE(sqlite3_step(ids) == SQLITE_ROW);
    std::int64_t good_id = sqlite3_column_int64(ids, 0);
    REQUIRE(sqlite3_step(ids) == SQLITE_ROW);
    std::int64_t hosted_id = sqlite3_column_int64(ids, 0);
    REQUIRE(sqlite3_step(ids) == SQLITE_ROW);
    std::int64_t broken_id = sqlite3_column_int64(ids, 0);
    sqlite3_finalize(ids);

    const auto d = metadata::describe(seed);
    REQUIRE(d.title);
    REQUIRE(d.mets);
    auto row = item_row(raw, good_id);
    REQUIRE(row.size() == 21);
    CHECK(row[1] == text_cell(d.title));
    CHECK(row[2] == text_cell(d.subtitle));
    CHECK(row[3] == text_cell(d.abstract));
    CHECK(row[4] == text_cell(d.genre));
    CHECK(row[5] == text_cell(d.type));
    CHECK(row[6] == text_cell(d.language));
    CHECK(row[7] == text_cell(d.date_issued));
    CHECK(row[8] == std::to_string(SQLITE_INTEGER) + ":" + d.date_issued->substr(0, 4));
    CHECK(row[9] == text_cell(d.publisher));
    for (int i = 10; i <= 14; ++i) {
        CHECK(row[i] == text_cell(std::nullopt));  // no host
    }
    CHECK(row[15] == text_cell(d.rights));
    CHECK(row[16] == text_cell(d.mets->objid));
    CHECK(row[17] == text_cell(d.mets->created));
    CHECK(row[18] == text_cell(d.mets->custodian));
    CHECK(row[19] == text_cell(std::nullopt));
    CHECK(row[20].find("\"identifier\":\"oai:x:1\"") != std::string::npos);

    const auto h = metadata::describe(k_hosted);
    REQUIRE(h.host);
    REQUIRE(h.host->issn);
    REQUIRE(h.host->pages);
    auto in_journal = item_row(raw, hosted_id);
    REQUIRE(in_journal.size() == 21);
    CHECK(in_journal[8] == std::to_string(SQLITE_INTEGER) + ":1999");
    CHECK(in_journal[10] == text_cell(h.host->title));
    CHECK(in_journal[11] == text_cell(h.host->issn));
    CHECK(in_journal[12] == text_cell(h.host->volume));
    CHECK(in_journal[13] == text_cell(h.host->issue));
    CHECK(in_journal[14] == text_cell(h.host->pages));
    CHECK(in_journal[16] == text_cell(std::nullopt));  // not METS

    auto unreadable = item_row(raw, broken_id);
    REQUIRE(unreadable.size() == 21);
    CHECK(unreadable[1] == text_cell(std::nullopt));
    CHECK(unreadable[8] == std::to_string(SQLITE_NULL) + ":NULL");
    CHECK(unreadable[19].rfind(std::to_string(SQLITE_TEXT) + ":", 0) == 0);
}

TEST_CASE("A schema 4 mirror keeps every items value, and its deletions, when it migrates",
          "[store]") {
    TempDir dir;
    const std::string path = dir.file("old.db");
    const auto d = metadata::describe(k_hosted);
    REQUIRE(d.host);
    metadata::Envelope envelope{"sample", "oai:x:1", "2026-01-01T00:00:00Z", false, "mets", {}};
    const std::string json = metadata::to_json_text(envelope, d);
    std::vector<std::string> before;
    {
        // The schema as oaiharvest 4 made it, and an items row as its catalogue wrote it.
        sqlite3* old = nullptr;
        REQUIRE(sqlite3_open(path.c_str(), &old) == SQLITE_OK);
        for (const char* file :
             {"001_harvest.sql", "002_catalogue.sql", "003_daemon.sql", "004_search_live.sql"}) {
            exec(old, schema_file(file));
        }
        exec(old, "PRAGMA user_version = 4");
        exec(old,
             "INSERT INTO endpoints (id, name, base_url, created_at) VALUES "
             "(1, 'sample', 'http://127.0.0.1:1/oai', '2026-01-01T00:00:00Z')");
        exec(old,
             "INSERT INTO records (id, endpoint_id, identifier, metadata_prefix, datestamp, "
             "deleted, sets, metadata, content_hash, first_seen, last_seen, last_changed) VALUES "
             "(7, 1, 'oai:x:1', 'mets', '2026-01-01T00:00:00Z', 0, '[]', '<x/>', x'00', "
             "'2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')");
        sqlite3_stmt* insert = nullptr;
        REQUIRE(sqlite3_prepare_v2(
                    old,
                    "INSERT INTO items (record_id, title, subtitle, abstract, genre, type, "
                    "language, date_issued, year, publisher, host_title, host_issn, host_volume, "
                    "host_issue, host_pages, rights, mets_objid, mets_created, mets_custodian, "
                    "parse_error, json) VALUES (7, ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, "
                    "?12, ?13, ?14, ?15, ?16, ?17, ?18, NULL, ?19)",
                    -1, &insert, nullptr) == SQLITE_OK);
        int i = 1;
        auto bind = [&](const std::optional<std::string>& v) {
            v ? sqlite3_bind_text(insert, i, v->c_str(), -1, SQLITE_TRANSIENT)
              : sqlite3_bind_null(insert, i);
            ++i;
        };
        for (const auto* v :
             {&d.title, &d.subtitle, &d.abstract, &d.genre, &d.type, &d.language, &d.date_issued}) {
            bind(*v);
        }
        sqlite3_bind_int64(insert, i++, std::stoll(d.date_issued->substr(0, 4)));
        bind(d.publisher);
        for (const auto* v :
             {&d.host->title, &d.host->issn, &d.host->volume, &d.host->issue, &d.host->pages}) {
            bind(*v);
        }
        for (int k = 0; k < 4; ++k) {
            bind(std::nullopt);  // rights and the METS fields: none in this record
        }
        sqlite3_bind_text(insert, i, json.c_str(), -1, SQLITE_TRANSIENT);
        REQUIRE(sqlite3_step(insert) == SQLITE_DONE);
        sqlite3_finalize(insert);
        // A tombstone too: a record seen only deleted has an items row of NULL fields.
        exec(old,
             "INSERT INTO records (id, endpoint_id, identifier, metadata_prefix, datestamp, "
             "deleted, sets, metadata, content_hash, first_seen, last_seen, last_changed) VALUES "
             "(8, 1, 'oai:x:2', 'mets', '2026-01-01T00:00:00Z', 1, '[]', NULL, x'00', "
             "'2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')");
        exec(old, "INSERT INTO items (record_id, json) VALUES (8, '{\"deleted\":true}')");
        before = item_row(old, 7);
        sqlite3_close(old);
    }
    REQUIRE(before.size() == 21);

    auto db = store::Store::open(path);
    CHECK(db->schema_version() >= 6);
    auto raw = test::raw_connection(path);
    CHECK(item_row(raw->handle(), 7) == before);
    store::sql::Statement deleted(*raw,
                                  "SELECT record_id, deleted FROM items_json ORDER BY record_id");
    REQUIRE(deleted.step());
    CHECK(deleted.int64(0) == 7);
    CHECK(deleted.int64(1) == 0);
    REQUIRE(deleted.step());
    CHECK(deleted.int64(0) == 8);
    CHECK(deleted.int64(1) == 1);
}

TEST_CASE("items_json.deleted follows the record, and the JSON export reads no record row",
          "[store]") {
    test::StoreFixture f;
    auto& db = f.db;
    const auto live = test::live_record("oai:x:1", k_hosted);
    const auto gone = test::deleted_record("oai:x:1", "2026-01-02T00:00:00Z");
    const auto back = test::live_record("oai:x:1", k_hosted, "2026-01-03T00:00:00Z");

    auto deleted_flags = [&] {
        store::sql::Statement stmt(f.raw(),
                                   "SELECT r.deleted, i.deleted FROM records r "
                                   "JOIN items_json i ON i.record_id = r.id");
        REQUIRE(stmt.step());
        return std::pair(stmt.int64(0), stmt.int64(1));
    };
    auto exported = [&](bool include_deleted) {
        std::vector<std::string> json;
        store::ExportFilter filter{std::nullopt, std::nullopt, include_deleted, false};
        store::for_each_record(*db, filter,
                               [&](const store::StoredRecord& r) { json.push_back(r.json); });
        return json;
    };
    for (const auto* record : {&live, &gone, &back}) {
        auto page = db->begin_page(f.run, f.scope);
        harvest::put(page, *record);
        page.commit(f.scope, store::PageEnd{std::nullopt, "2026-01-01T00:00:00Z"}, {});
        INFO(record->header.datestamp);
        auto [in_records, in_items] = deleted_flags();
        CHECK(in_records == (record->header.deleted ? 1 : 0));
        CHECK(in_items == in_records);
        CHECK(exported(false).size() == (record->header.deleted ? 0U : 1U));
        CHECK(exported(true).size() == 1);
    }

    // The order and the ids come from the records' unique index alone.
    store::sql::Statement plan(
        f.raw(),
        "EXPLAIN QUERY PLAN SELECT i.json FROM records r JOIN items_json i ON i.record_id = r.id "
        "WHERE (?1 IS NULL OR r.endpoint_id = (SELECT id FROM endpoints WHERE name = ?1)) "
        "AND (?3 OR i.deleted = 0) ORDER BY r.endpoint_id, r.identifier, r.metadata_prefix");
    std::string steps;
    while (plan.step()) {
        steps += std::string(plan.text(3)) + "\n";
    }
    INFO(steps);
    CHECK(steps.find("SCAN r USING COVERING INDEX") != std::string::npos);
    CHECK(steps.find("TEMP B-TREE") == std::string::npos);
}
