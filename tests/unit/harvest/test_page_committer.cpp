#include <sqlite3.h>

#include <catch2/catch.hpp>

#include "harvest/normalize.hpp"
#include "harvest/page_committer.hpp"
#include "store/queries.hpp"
#include "support/store_fixture.hpp"

using namespace oaiharvest;
using oaiharvest::harvest::detail::PageCommitter;

namespace {

oai::Record live(const std::string& id, const std::string& xml) {
    return test::live_record(id, xml);
}

store::PageEnd more(const std::string& token) {
    return store::PageEnd{store::ListPosition{token, std::nullopt, std::nullopt},
                          "2026-01-01T00:00:00Z", std::nullopt, std::nullopt};
}

// A second process's view of the file: what a kill -9 would leave.
void exec_elsewhere(const std::string& path, const char* sql) {
    sqlite3* other = nullptr;
    REQUIRE(sqlite3_open(path.c_str(), &other) == SQLITE_OK);
    sqlite3_busy_timeout(other, 5000);
    CHECK(sqlite3_exec(other, sql, nullptr, nullptr, nullptr) == SQLITE_OK);
    sqlite3_close(other);
}

struct Fixture : test::StoreFixture {
    std::size_t stored() {
        std::size_t n = 0;
        store::for_each_record(*db, {std::nullopt, std::nullopt, true},
                               [&](const store::StoredRecord&) { ++n; });
        return n;
    }
};

}  // namespace

TEST_CASE("Pages handed to the committer commit in order while the next one fills",
          "[unit][harvest][committer]") {
    Fixture f;
    const store::ScopeState identity = f.scope;
    PageCommitter committer(f.scope);
    CHECK_FALSE(committer.wait());  // nothing committed yet
    for (int p = 0; p < 5; ++p) {
        auto page = f.db->begin_page(f.run, identity);
        for (int i = 0; i < 10; ++i) {
            // Page p repeats page p-1's last record, which may still be committing.
            harvest::put(page, live("oai:x:" + std::to_string(p * 9 + i), "<a/>"));
        }
        auto counts = committer.wait();
        if (p > 0) {
            REQUIRE(counts);
            CHECK(counts->records_new + counts->records_unchanged == 10);
            CHECK(f.scope.pending_token == "t" + std::to_string(p - 1));
        }
        committer.submit(std::move(page), more("t" + std::to_string(p)), {});
    }
    auto last = committer.wait();
    REQUIRE(last);
    CHECK(last->records_new == 9);
    CHECK(last->records_unchanged == 1);
    CHECK(f.scope.pending_token == "t4");
    CHECK(f.scope.list_pages == 5);
    CHECK(f.scope.list_records == 50);
    CHECK(f.stored() == 46);
}

TEST_CASE("A failed commit comes back from wait and leaves the page rolled back",
          "[unit][harvest][committer]") {
    Fixture f;
    const store::ScopeState identity = f.scope;
    exec_elsewhere(f.dir.file("mirror.db"),
                   "CREATE TRIGGER refuse BEFORE INSERT ON records "
                   "BEGIN SELECT RAISE(ABORT, 'injected'); END");
    PageCommitter committer(f.scope);
    auto page = f.db->begin_page(f.run, identity);
    harvest::put(page, live("oai:x:1", "<a/>"));
    committer.submit(std::move(page), more("t1"), {});
    CHECK_THROWS_WITH(committer.wait(), Catch::Contains("injected"));
    CHECK_FALSE(f.scope.pending_token);
    CHECK(f.stored() == 0);

    // The committer and the write connection are usable again.
    exec_elsewhere(f.dir.file("mirror.db"), "DROP TRIGGER refuse");
    auto again = f.db->begin_page(f.run, identity);
    harvest::put(again, live("oai:x:1", "<a/>"));
    committer.submit(std::move(again), more("t1"), {});
    CHECK(committer.wait()->records_new == 1);
    CHECK(f.stored() == 1);
}

TEST_CASE("A page too large to hold writes through only after the page in flight commits",
          "[unit][harvest][committer]") {
    Fixture f;
    const store::ScopeState identity = f.scope;
    PageCommitter committer(f.scope);
    auto first = f.db->begin_page(f.run, identity);
    harvest::put(first, live("oai:x:first", "<a/>"));
    committer.submit(std::move(first), more("t1"), {});

    const std::string xml = "<p>" + std::string(64 * 1024, 'x') + "</p>";
    const std::size_t count = store::PageWriter::k_held_bytes / xml.size() + 8;
    auto big = f.db->begin_page(f.run, identity);
    big.before_write_through([&committer] { committer.wait_idle(); });
    for (std::size_t i = 0; i < count; ++i) {
        harvest::put(big, live("oai:big:" + std::to_string(i), xml));
    }
    CHECK(committer.wait()->records_new == 1);
    committer.submit(std::move(big), more("t2"), {});
    CHECK(committer.wait()->records_new == static_cast<std::int64_t>(count));
    CHECK(f.scope.pending_token == "t2");
    CHECK(f.stored() == count + 1);
}

TEST_CASE("The page in flight still commits when the committer is destroyed",
          "[unit][harvest][committer]") {
    Fixture f;
    const store::ScopeState identity = f.scope;
    {
        PageCommitter committer(f.scope);
        auto page = f.db->begin_page(f.run, identity);
        harvest::put(page, live("oai:x:1", "<a/>"));
        committer.submit(std::move(page), more("t1"), {});
    }
    CHECK(f.scope.pending_token == "t1");
    CHECK(f.db->scope(f.endpoint.id, "mets", "").pending_token == "t1");
    CHECK(f.stored() == 1);
}

TEST_CASE("Handing over a page before collecting the last is refused",
          "[unit][harvest][committer]") {
    Fixture f;
    const store::ScopeState identity = f.scope;
    PageCommitter committer(f.scope);
    committer.submit(f.db->begin_page(f.run, identity), more("t1"), {});
    committer.wait_idle();
    CHECK_THROWS_AS(committer.submit(f.db->begin_page(f.run, identity), more("t2"), {}),
                    std::logic_error);
    CHECK(committer.wait());
}
