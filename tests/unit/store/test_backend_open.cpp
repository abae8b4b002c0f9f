// Opening a mirror on both backends: a new one, another application's, a newer one, and a
// reader's.
// Each test runs once on SQLite and once on PostgreSQL (support/backend_fixture.hpp), with the
// same expectations: what the store promises whichever database holds the mirror (issue 18).

#include <catch2/catch.hpp>
#include <cstdio>

#include "store/queries.hpp"
#include "store/store.hpp"
#include "support/backend_fixture.hpp"

using namespace oaiharvest;
using oaiharvest::test::deleted_record;
using oaiharvest::test::live_record;

namespace {

using Fixture = test::BackendFixture;

}  // namespace

TEST_CASE("An empty database becomes a mirror for a harvest, not for a reader",
          "[store][backends]") {
    auto backend = GENERATE(test::Backend::sqlite, test::Backend::postgres);
    INFO(test::name_of(backend));
    test::EmptyDatabase empty(backend);
    if (backend == test::Backend::sqlite) {
        std::fclose(std::fopen(empty.database().c_str(), "w"));  // an empty file
    }
    CHECK_THROWS_AS(store::Store::open_read_only(empty.database()), store::StoreError);
    CHECK_THROWS_WITH(store::Store::open_read_only(empty.database()),
                      Catch::Contains("is not an oaiharvest database"));
    const int version = store::Store::open(empty.database())->schema_version();
    CHECK(version >= 12);
    auto reader = store::Store::open_read_only(empty.database());
    CHECK(reader->schema_version() == version);
    CHECK(scope_status(*reader, {}).empty());
    CHECK(test::all_records(*reader).empty());
}

TEST_CASE("Another application's database is refused and left as it was", "[store][backends]") {
    auto backend = GENERATE(test::Backend::sqlite, test::Backend::postgres);
    INFO(test::name_of(backend));
    test::EmptyDatabase other(backend);
    other.exec("CREATE TABLE notes (body TEXT); INSERT INTO notes VALUES ('x')");
    other.close();
    CHECK_THROWS_WITH(store::Store::open(other.database()),
                      Catch::Contains("is not an oaiharvest database") && Catch::Contains("notes"));
    CHECK_THROWS_WITH(store::Store::open_read_only(other.database()),
                      Catch::Contains("is not an oaiharvest database") && Catch::Contains("notes"));
    CHECK(other.scalar("SELECT count(*) FROM notes") == "1");
    CHECK_THROWS(other.scalar("SELECT count(*) FROM schema_migrations"));
}

TEST_CASE("A mirror newer than the binary is refused, for a harvest and for a reader",
          "[store][backends]") {
    auto backend = GENERATE(test::Backend::sqlite, test::Backend::postgres);
    INFO(test::name_of(backend));
    test::EmptyDatabase newer(backend);
    { auto created = store::Store::open(newer.database()); }
    if (backend == test::Backend::sqlite) {
        newer.exec("PRAGMA user_version = 9999");
    } else {
        newer.exec("INSERT INTO schema_migrations VALUES (9999, '9999_future.sql', 'now')");
    }
    newer.close();
    CHECK_THROWS_AS(store::Store::open(newer.database()), store::StoreError);
    CHECK_THROWS_WITH(store::Store::open(newer.database()),
                      Catch::Contains("newer than this oaiharvest"));
    CHECK_THROWS_WITH(store::Store::open_read_only(newer.database()),
                      Catch::Contains("newer than this oaiharvest"));
}

TEST_CASE("A mirror opened for reading writes nothing", "[store][backends]") {
    auto backend = GENERATE(test::Backend::sqlite, test::Backend::postgres);
    INFO(test::name_of(backend));
    Fixture f(backend);
    f.put({live_record("oai:x:1", "<a>one</a>")});
    auto reader = f.reopen_read_only();
    CHECK_THROWS(reader->endpoint("new", "http://127.0.0.1:5/oai"));
    CHECK_THROWS(reader->begin_run(f.scope, util::now_utc(), std::nullopt, std::nullopt, false));
    CHECK_FALSE(f.db->find_endpoint("new"));
    CHECK(f.db->last_run_id() == f.run);
    // It reads what the harvest wrote, then and later.
    CHECK(test::all_records(*reader).size() == 1);
    f.put({live_record("oai:x:2", "<a>two</a>")});
    CHECK(test::all_records(*reader).size() == 2);
}
