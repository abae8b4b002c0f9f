#include <sqlite3.h>

#include <catch2/catch.hpp>

#include "harvest/normalize.hpp"
#include "store/queries.hpp"
#include "store/sqlite.hpp"
#include "store/store.hpp"
#include "store/store_access.hpp"
#include "support/backend_fixture.hpp"
#include "support/store_fixture.hpp"
#include "support/temp_dir.hpp"

using namespace oaiharvest;
using oaiharvest::test::deleted_record;
using oaiharvest::test::live_record;
using oaiharvest::test::TempDir;

namespace {

struct Fixture : test::BackendFixture {
    using BackendFixture::BackendFixture;
    store::RecordChange put_one(const oai::Record& record) {
        auto page = db->begin_page(run, scope);
        harvest::put(page, record);
        page.commit(scope, store::PageEnd{std::nullopt, "2026-01-01T00:00:00Z"}, {});
        const auto& c = page.counts();
        REQUIRE(c.records_new + c.records_updated + c.records_unchanged + c.records_deleted == 1);
        return c.records_new       ? store::RecordChange::added
               : c.records_updated ? store::RecordChange::updated
               : c.records_deleted ? store::RecordChange::deleted
                                   : store::RecordChange::unchanged;
    }
    std::vector<store::StoredRecord> all(bool include_deleted = true) {
        return test::all_records(*db, include_deleted);
    }
};

}  // namespace

TEST_CASE("A record is added once, and the same record again changes nothing",
          "[store][backends]") {
    auto backend = GENERATE(test::Backend::sqlite, test::Backend::postgres);
    INFO(test::name_of(backend));
    Fixture f(backend);
    auto rec = live_record("oai:x:1", "<a>one</a>", "2026-01-01T00:00:00Z", {"s2", "s1"});
    CHECK(f.put_one(rec) == store::RecordChange::added);
    CHECK(f.put_one(rec) == store::RecordChange::unchanged);
    auto sets_reordered =
        live_record("oai:x:1", "<a>one</a>", "2026-01-01T00:00:00Z", {"s1", "s2"});
    CHECK(f.put_one(sets_reordered) == store::RecordChange::unchanged);
    auto records = f.all();
    REQUIRE(records.size() == 1);
    CHECK(records[0].metadata == "<a>one</a>");
    CHECK(records[0].sets == std::vector<std::string>{"s1", "s2"});
}

TEST_CASE("A changed record is updated in place", "[store][backends]") {
    auto backend = GENERATE(test::Backend::sqlite, test::Backend::postgres);
    INFO(test::name_of(backend));
    Fixture f(backend);
    f.put_one(live_record("oai:x:1", "<a>one</a>", "2026-01-01T00:00:00Z"));
    CHECK(f.put_one(live_record("oai:x:1", "<a>two</a>", "2026-01-02T00:00:00Z")) ==
          store::RecordChange::updated);
    auto records = f.all();
    REQUIRE(records.size() == 1);
    CHECK(records[0].metadata == "<a>two</a>");
    CHECK(records[0].datestamp == "2026-01-02T00:00:00Z");
}

TEST_CASE("A deleted header keeps the last metadata, a returning record is live again",
          "[store][backends]") {
    auto backend = GENERATE(test::Backend::sqlite, test::Backend::postgres);
    INFO(test::name_of(backend));
    Fixture f(backend);
    f.put_one(live_record("oai:x:1", "<a>one</a>", "2026-01-01T00:00:00Z"));
    CHECK(f.put_one(deleted_record("oai:x:1", "2026-01-03T00:00:00Z")) ==
          store::RecordChange::deleted);
    CHECK(f.put_one(deleted_record("oai:x:1", "2026-01-03T00:00:00Z")) ==
          store::RecordChange::unchanged);
    auto records = f.all();
    REQUIRE(records.size() == 1);
    CHECK(records[0].deleted);
    CHECK(records[0].metadata == "<a>one</a>");
    CHECK(f.all(false).empty());

    CHECK(f.put_one(live_record("oai:x:1", "<a>back</a>", "2026-01-04T00:00:00Z")) ==
          store::RecordChange::updated);
    CHECK_FALSE(f.all()[0].deleted);
}

TEST_CASE("A deleted header for an unknown record stores a tombstone", "[store][backends]") {
    auto backend = GENERATE(test::Backend::sqlite, test::Backend::postgres);
    INFO(test::name_of(backend));
    Fixture f(backend);
    CHECK(f.put_one(deleted_record("oai:x:9", "2026-01-03T00:00:00Z")) ==
          store::RecordChange::deleted);
    auto records = f.all();
    REQUIRE(records.size() == 1);
    CHECK(records[0].deleted);
    CHECK_FALSE(records[0].metadata);
}

TEST_CASE("A page not committed leaves nothing behind", "[store][backends]") {
    auto backend = GENERATE(test::Backend::sqlite, test::Backend::postgres);
    INFO(test::name_of(backend));
    Fixture f(backend);
    {
        auto page = f.db->begin_page(f.run, f.scope);
        harvest::put(page, live_record("oai:x:1", "<a/>", "2026-01-01T00:00:00Z"));
        harvest::put(page, live_record("oai:x:2", "<b/>", "2026-01-01T00:00:00Z"));
    }
    CHECK(f.all().empty());
    auto again = f.db->scope(f.endpoint.id, "mets", "");
    CHECK_FALSE(again.pending_token);
    CHECK(test::all_records(*f.reopen_read_only()).empty());
}

TEST_CASE("A committed page saves the token with its records", "[store][backends]") {
    auto backend = GENERATE(test::Backend::sqlite, test::Backend::postgres);
    INFO(test::name_of(backend));
    Fixture f(backend);
    auto page = f.db->begin_page(f.run, f.scope);
    harvest::put(page, live_record("oai:x:1", "<a/>", "2026-01-01T00:00:00Z"));
    store::ListPosition token{"page2", 0, 3};
    page.commit(f.scope, store::PageEnd{token, "2026-05-01T10:00:00Z", "2026-04-01", std::nullopt},
                {});
    auto saved = f.db->scope(f.endpoint.id, "mets", "");
    CHECK(saved.pending_token == "page2");
    CHECK(saved.list_started == "2026-05-01T10:00:00Z");
    CHECK(saved.list_from == "2026-04-01");
    CHECK(saved.complete_list_size == 3);
    CHECK_FALSE(saved.next_from);

    auto last = f.db->begin_page(f.run, f.scope);
    last.commit(f.scope, store::PageEnd{std::nullopt, *saved.list_started}, {});
    auto done = f.db->scope(f.endpoint.id, "mets", "");
    CHECK_FALSE(done.pending_token);
    CHECK(done.next_from == "2026-05-01T10:00:00Z");
}

TEST_CASE("Runs left running by a killed process become died", "[store][backends]") {
    auto backend = GENERATE(test::Backend::sqlite, test::Backend::postgres);
    INFO(test::name_of(backend));
    Fixture f(backend);
    f.db->begin_run(f.scope, util::now_utc(), std::nullopt, std::nullopt, false);
    auto status = store::scope_status(*f.db, {});
    REQUIRE(status.size() == 1);
    REQUIRE(status[0].last_run);
    CHECK(status[0].last_run->outcome == "running");
    // The fixture's own run.
    CHECK(f.scalar("SELECT count(*) FROM harvest_runs WHERE outcome = 'died'") == "1");
}

TEST_CASE("A database newer than the binary is refused", "[store]") {
    TempDir dir;
    std::string path = dir.file("new.db");
    {
        auto db = store::Store::open(path);
        CHECK(db->schema_version() >= 1);
        sqlite3_exec(test::raw_connection(path)->handle(), "PRAGMA user_version = 9999", nullptr,
                     nullptr, nullptr);
    }
    REQUIRE_THROWS_AS(store::Store::open(path), store::StoreError);
    REQUIRE_THROWS_WITH(store::Store::open(path), Catch::Contains("newer than this oaiharvest"));
}

TEST_CASE("A file that is not a database is refused with its name", "[store]") {
    TempDir dir;
    std::string path = dir.file("notes.db");
    {
        std::FILE* f = std::fopen(path.c_str(), "w");
        std::fputs("this is not sqlite, just some text long enough to be read as a header....", f);
        std::fclose(f);
    }
    REQUIRE_THROWS_WITH(store::Store::open(path), Catch::Contains("notes.db"));
}

TEST_CASE("Migrations are recorded in the database", "[store]") {
    test::StoreFixture f;
    sqlite3_stmt* stmt = nullptr;
    sqlite3_prepare_v2(f.raw().handle(),
                       "SELECT version, name FROM schema_migrations ORDER BY version", -1, &stmt,
                       nullptr);
    REQUIRE(sqlite3_step(stmt) == SQLITE_ROW);
    CHECK(sqlite3_column_int(stmt, 0) == 1);
    CHECK(std::string(reinterpret_cast<const char*>(sqlite3_column_text(stmt, 1))) ==
          "001_harvest.sql");
    sqlite3_finalize(stmt);
}

namespace {

// A second connection that must not wait: SQLITE_BUSY at once if a writer holds the lock.
bool can_write_now(const std::string& path) {
    sqlite3* other = nullptr;
    REQUIRE(sqlite3_open(path.c_str(), &other) == SQLITE_OK);
    sqlite3_busy_timeout(other, 0);
    bool ok =
        sqlite3_exec(other, "BEGIN IMMEDIATE; ROLLBACK", nullptr, nullptr, nullptr) == SQLITE_OK;
    sqlite3_close(other);
    return ok;
}

}  // namespace

TEST_CASE("A page holds no write lock while its records arrive, only while it commits", "[store]") {
    Fixture f(test::Backend::sqlite);
    auto page = f.db->begin_page(f.run, f.scope);
    harvest::put(page, live_record("oai:x:1", "<a/>", "2026-01-01T00:00:00Z"));
    harvest::put(page, live_record("oai:x:2", "<b/>", "2026-01-01T00:00:00Z"));
    CHECK(can_write_now(f.database));
    page.commit(f.scope, store::PageEnd{std::nullopt, "2026-01-01T00:00:00Z"}, {});
    CHECK(page.counts().records_new == 2);
    CHECK(f.all().size() == 2);
}

TEST_CASE("A page larger than what is held in memory streams into its transaction",
          "[store][backends]") {
    auto backend = GENERATE(test::Backend::sqlite, test::Backend::postgres);
    INFO(test::name_of(backend));
    Fixture f(backend);
    const std::string xml = "<p>" + std::string(64 * 1024, 'x') + "</p>";
    const std::size_t count = store::PageWriter::k_held_bytes / xml.size() + 8;
    {
        auto page = f.db->begin_page(f.run, f.scope);
        for (std::size_t i = 0; i < count; ++i) {
            harvest::put(page,
                         live_record("oai:x:" + std::to_string(i), xml, "2026-01-01T00:00:00Z"));
        }
        // Written through: the page's transaction holds SQLite's write lock.
        if (backend == test::Backend::sqlite) {
            CHECK_FALSE(can_write_now(f.database));
        }
        // Destroyed without commit: everything written so far rolls back.
    }
    CHECK(f.all().empty());
    CHECK(test::all_records(*f.reopen_read_only()).empty());
    if (backend == test::Backend::sqlite) {
        CHECK(can_write_now(f.database));
    }

    auto page = f.db->begin_page(f.run, f.scope);
    for (std::size_t i = 0; i < count; ++i) {
        harvest::put(page, live_record("oai:x:" + std::to_string(i), xml, "2026-01-01T00:00:00Z"));
    }
    page.commit(f.scope, store::PageEnd{std::nullopt, "2026-01-01T00:00:00Z"}, {});
    CHECK(page.counts().records_new == static_cast<std::int64_t>(count));
    CHECK(f.all().size() == count);
}

namespace {

std::string file_bytes(const std::string& path) {
    std::FILE* f = std::fopen(path.c_str(), "rb");
    REQUIRE(f);
    std::string bytes;
    char buf[4096];
    for (std::size_t n; (n = std::fread(buf, 1, sizeof buf, f)) > 0;) {
        bytes.append(buf, n);
    }
    std::fclose(f);
    return bytes;
}

}  // namespace

TEST_CASE("A mirror opened for reading is opened read-only and cannot be written", "[store]") {
    TempDir dir;
    std::string path = dir.file("mirror.db");
    { auto created = store::Store::open(path); }
    auto reader = store::Store::open_read_only(path);
    // The Store's own connection, not one of the test's: it is what the reading commands use.
    auto& connection = store::detail::StoreAccess::connection(*reader);
    CHECK(connection.read_only());
    CHECK(sqlite3_db_readonly(connection.handle(), "main") == 1);
    CHECK_THROWS_WITH(connection.exec("CREATE TABLE mine (x)"),
                      Catch::Contains("readonly database"));
    CHECK(reader->schema_version() == store::Store::open(path)->schema_version());
}

TEST_CASE("Another application's SQLite file is refused and left as it was", "[store]") {
    TempDir dir;
    std::string path = dir.file("notes.db");
    {
        sqlite3* db = nullptr;
        REQUIRE(sqlite3_open(path.c_str(), &db) == SQLITE_OK);
        REQUIRE(sqlite3_exec(db, "CREATE TABLE notes (body TEXT); INSERT INTO notes VALUES ('x')",
                             nullptr, nullptr, nullptr) == SQLITE_OK);
        sqlite3_close(db);
    }
    const std::string before = file_bytes(path);
    CHECK_THROWS_WITH(store::Store::open(path),
                      Catch::Contains(path + " is not an oaiharvest database (it holds notes)"));
    CHECK_THROWS_WITH(store::Store::open_read_only(path),
                      Catch::Contains(path + " is not an oaiharvest database (it holds notes)"));
    CHECK(file_bytes(path) == before);
}

TEST_CASE("An empty file becomes a new mirror for a harvest but not for a reader", "[store]") {
    TempDir dir;
    std::string path = dir.file("mirror.db");
    std::fclose(std::fopen(path.c_str(), "w"));
    CHECK_THROWS_WITH(store::Store::open_read_only(path), Catch::Contains("it is an empty file"));
    CHECK(file_bytes(path).empty());
    CHECK(store::Store::open(path)->schema_version() >= 1);
}

TEST_CASE("A database file deleted or replaced under an open store is detected", "[store]") {
    test::StoreFixture f;
    std::string path = f.dir.file("mirror.db");
    CHECK_NOTHROW(f.db->check_file());
    SECTION("deleted") {
        std::remove(path.c_str());
        CHECK_THROWS_AS(f.db->begin_page(f.run, f.scope), store::DatabaseReplaced);
        CHECK_THROWS_WITH(f.db->check_file(), Catch::Contains(path + " is gone"));
    }
    SECTION("replaced") {
        std::string other = f.dir.file("other.db");
        std::fclose(std::fopen(other.c_str(), "w"));
        REQUIRE(std::rename(other.c_str(), path.c_str()) == 0);
        CHECK_THROWS_WITH(
            f.db->finish_run(f.run, store::Outcome::ok, util::now_utc(), {}, std::nullopt),
            Catch::Contains(path + " was replaced"));
    }
}

TEST_CASE("A failed bind or step names the SQL and SQLite's reason", "[store][sqlite]") {
    TempDir dir;
    store::sql::Database db(dir.file("plain.db"), store::sql::Database::Mode::create);
    db.exec("CREATE TABLE t (x INTEGER NOT NULL)");
    store::sql::Statement insert(db, "INSERT INTO t VALUES (?1)");
    // Binding a parameter the statement does not have used to be ignored.
    CHECK_THROWS_WITH(insert.bind(2, std::int64_t{1}),
                      Catch::Contains("INSERT INTO t VALUES (?1)") &&
                          Catch::Contains("column index out of range"));
    CHECK_THROWS_WITH(insert.bind_null(1).run(), Catch::Contains("\"INSERT INTO t VALUES (?1)\"") &&
                                                     Catch::Contains("NOT NULL constraint failed"));
    // The failed step was cleared: the statement works again.
    insert.reset();
    CHECK_NOTHROW(insert.bind(1, std::int64_t{7}).run());
    CHECK_THROWS_WITH(db.exec("INSERT INTO nowhere VALUES (1)"),
                      Catch::Contains("INSERT INTO nowhere VALUES (1)") &&
                          Catch::Contains("no such table: nowhere"));
}

TEST_CASE("A rollback after a failure leaves the first error to report", "[store][sqlite]") {
    TempDir dir;
    store::sql::Database db(dir.file("plain.db"), store::sql::Database::Mode::create);
    db.exec("CREATE TABLE t (x INTEGER NOT NULL)");
    db.exec("BEGIN");
    db.exec("INSERT INTO t VALUES (1)");
    CHECK(db.try_rollback());
    // Nothing to roll back (SQLite may have done it already): still no error of its own.
    CHECK(db.try_rollback());
    store::sql::Statement count(db, "SELECT count(*) FROM t");
    REQUIRE(count.step());
    CHECK(count.int64(0) == 0);
}
