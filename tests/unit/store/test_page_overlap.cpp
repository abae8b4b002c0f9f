// A page filled while the previous one is still to commit (lib/harvest's page pipeline): put()
// reads the last committed state, and commit() must still store and count the truth.

#include <catch2/catch.hpp>

#include "harvest/normalize.hpp"
#include "store/queries.hpp"
#include "store/sqlite.hpp"
#include "store/store.hpp"
#include "support/backend_fixture.hpp"

using namespace oaiharvest;

namespace {

oai::Record live(const std::string& id, const std::string& xml) {
    return test::live_record(id, xml);
}

struct Fixture : test::BackendFixture {
    using BackendFixture::BackendFixture;
    std::vector<store::StoredRecord> all() { return test::all_records(*db); }
};

const store::PageEnd k_more{store::ListPosition{"t1", std::nullopt, std::nullopt},
                            "2026-01-01T00:00:00Z", std::nullopt, std::nullopt};
const store::PageEnd k_last{std::nullopt, "2026-01-01T00:00:00Z", std::nullopt, std::nullopt};

}  // namespace

TEST_CASE("A record in two pages filled before either commits is added once", "[store][backends]") {
    auto backend = GENERATE(test::Backend::sqlite, test::Backend::postgres);
    INFO(test::name_of(backend));
    Fixture f(backend);
    auto first = f.db->begin_page(f.run, f.scope);
    harvest::put(first, live("oai:x:1", "<a>one</a>"));
    auto second = f.db->begin_page(f.run, f.scope);
    harvest::put(second,
                 live("oai:x:1", "<a>one</a>"));  // looks new: the first page is not committed
    first.commit(f.scope, k_more, {});
    second.commit(f.scope, k_last, {});
    CHECK(first.counts().records_new == 1);
    CHECK(second.counts().records_new == 0);
    CHECK(second.counts().records_unchanged == 1);
    REQUIRE(f.all().size() == 1);
}

TEST_CASE("A record changed by the page before is updated, not taken as unchanged",
          "[store][backends]") {
    auto backend = GENERATE(test::Backend::sqlite, test::Backend::postgres);
    INFO(test::name_of(backend));
    Fixture f(backend);
    {
        auto page = f.db->begin_page(f.run, f.scope);
        harvest::put(page, live("oai:x:1", "<a>one</a>"));
        page.commit(f.scope, k_more, {});
    }
    auto first = f.db->begin_page(f.run, f.scope);
    harvest::put(first, live("oai:x:1", "<a>two</a>"));
    auto second = f.db->begin_page(f.run, f.scope);
    // Matches what is committed, so it is not described now; the first page then changes the
    // stored record, and the second page's commit must notice and describe it after all.
    harvest::put(second, live("oai:x:1", "<a>one</a>"));
    first.commit(f.scope, k_more, {});
    second.commit(f.scope, k_last, {});
    CHECK(first.counts().records_updated == 1);
    CHECK(second.counts().records_updated == 1);
    auto records = f.all();
    REQUIRE(records.size() == 1);
    CHECK(records[0].metadata == "<a>one</a>");
}

TEST_CASE("A page's lookups do not wait for a transaction open on the write connection",
          "[store][backends]") {
    auto backend = GENERATE(test::Backend::sqlite, test::Backend::postgres);
    INFO(test::name_of(backend));
    Fixture f(backend);
    const std::string xml = "<p>" + std::string(64 * 1024, 'x') + "</p>";
    auto big = f.db->begin_page(f.run, f.scope);
    bool hook_called = false;
    big.before_write_through([&] { hook_called = true; });
    for (std::size_t i = 0; !hook_called; ++i) {
        harvest::put(big, live("oai:big:" + std::to_string(i), xml));
    }
    // The big page holds the write connection's transaction; a held page still reads.
    auto small = f.db->begin_page(f.run, f.scope);
    harvest::put(small, live("oai:big:0", xml));
    big.commit(f.scope, k_more, {});
    small.commit(f.scope, k_last, {});
    CHECK(small.counts().records_unchanged == 1);
}

namespace {

// The scope's row as the database holds it, to compare with the in-memory state.
store::ScopeState stored_scope(Fixture& f) {
    return f.db->scope(f.endpoint.id, "mets", "");
}

std::string commit_error(Fixture& f, store::PageWriter& page, const store::PageEnd& end) {
    try {
        page.commit(f.scope, end, {});
    } catch (const std::exception& e) {
        return e.what();
    }
    return "";
}

}  // namespace

TEST_CASE("A page whose SQL fails leaves the scope state as it was and keeps the error",
          "[store][commit][backends]") {
    auto backend = GENERATE(test::Backend::sqlite, test::Backend::postgres);
    INFO(test::name_of(backend));
    Fixture f(backend);
    const bool sqlite = backend == test::Backend::sqlite;
    std::string injected;
    SECTION("a statement fails") {
        f.fail_updates_of("harvest_runs", "injected failure");
        injected = "injected failure";
    }
    if (sqlite) {
        SECTION("a statement fails and takes the transaction with it: ROLLBACK then fails too") {
            f.exec(
                "CREATE TRIGGER fail_harvest_runs BEFORE UPDATE ON harvest_runs "
                "BEGIN SELECT RAISE(ROLLBACK, 'injected rollback'); END");
            injected = "injected rollback";
        }
    }
    SECTION("COMMIT itself fails (a deferred foreign key)") {
        f.exec(
            "CREATE TABLE parent(id INTEGER PRIMARY KEY); "
            "CREATE TABLE child(p INTEGER REFERENCES parent(id) DEFERRABLE INITIALLY DEFERRED)");
        if (sqlite) {
            f.exec(
                "CREATE TRIGGER fail_harvest_runs AFTER UPDATE ON harvest_runs "
                "BEGIN INSERT INTO child VALUES (42); END");
            injected = "FOREIGN KEY constraint failed";
        } else {
            f.exec(
                "CREATE FUNCTION orphan() RETURNS trigger LANGUAGE plpgsql AS "
                "$$ BEGIN INSERT INTO child VALUES (42); RETURN NULL; END $$; "
                "CREATE TRIGGER fail_harvest_runs AFTER UPDATE ON harvest_runs "
                "FOR EACH ROW EXECUTE FUNCTION orphan()");
            injected = "violates foreign key constraint";
        }
    }
    const store::ScopeState before = f.scope;
    {
        auto page = f.db->begin_page(f.run, f.scope);
        harvest::put(page, live("oai:x:1", "<a>one</a>"));
        std::string error = commit_error(f, page, k_more);
        INFO(error);
        CHECK(error.find(injected) != std::string::npos);
    }
    CHECK_FALSE(f.scope.pending_token);
    CHECK(f.scope.list_pages == before.list_pages);
    CHECK(f.scope.list_records == before.list_records);
    CHECK_FALSE(stored_scope(f).pending_token);
    CHECK(f.all().empty());

    // Nothing is left open: the next page commits.
    f.stop_failing("harvest_runs");
    auto page = f.db->begin_page(f.run, f.scope);
    harvest::put(page, live("oai:x:1", "<a>one</a>"));
    page.commit(f.scope, k_last, {});
    CHECK(f.scope.next_from == "2026-01-01T00:00:00Z");
    CHECK(f.all().size() == 1);
}

TEST_CASE("A failed last page keeps the scope's saved from", "[store][commit][backends]") {
    auto backend = GENERATE(test::Backend::sqlite, test::Backend::postgres);
    INFO(test::name_of(backend));
    Fixture f(backend);
    f.fail_updates_of("scopes", "injected failure");
    auto page = f.db->begin_page(f.run, f.scope);
    harvest::put(page, live("oai:x:1", "<a>one</a>"));
    CHECK(commit_error(f, page, k_last).find("injected failure") != std::string::npos);
    CHECK_FALSE(f.scope.next_from);
    CHECK_FALSE(stored_scope(f).next_from);
}

TEST_CASE("A bind that SQLite refuses throws instead of running with NULL", "[store][commit]") {
    test::StoreFixture f;
    store::sql::Statement stmt(f.raw(), "SELECT ?1");
    CHECK_THROWS_WITH(stmt.bind(2, std::int64_t{1}), Catch::Contains("cannot bind parameter 2"));
    CHECK_THROWS_WITH(stmt.bind(3, std::string("x")), Catch::Contains("cannot bind parameter 3"));
    CHECK_THROWS_WITH(stmt.bind_null(4), Catch::Contains("cannot bind parameter 4"));
    stmt.bind(1, std::int64_t{7});
    REQUIRE(stmt.step());
    CHECK(stmt.int64(0) == 7);
}
