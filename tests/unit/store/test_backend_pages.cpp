// Pages on both backends: one transaction with the scope's token, failures half-way, unchanged
// records, and a lookup on another thread during a commit.
// Each test runs once on SQLite and once on PostgreSQL (support/backend_fixture.hpp), with the
// same expectations: what the store promises whichever database holds the mirror (issue 18).

#include <atomic>
#include <catch2/catch.hpp>
#include <future>
#include <stdexcept>

#include "harvest/normalize.hpp"
#include "store/queries.hpp"
#include "store/store.hpp"
#include "support/backend_fixture.hpp"

using namespace oaiharvest;
using oaiharvest::test::deleted_record;
using oaiharvest::test::live_record;

namespace {

using Fixture = test::BackendFixture;

const store::PageEnd k_last{std::nullopt, "2026-01-01T00:00:00Z", std::nullopt, std::nullopt};

store::PageEnd more(const std::string& token) {
    return {store::ListPosition{token, std::nullopt, std::nullopt}, "2026-01-01T00:00:00Z",
            std::nullopt, std::nullopt};
}

// A copy that must be normalized when written, and whose normalizer throws: a page that fails
// half-way through its writes.
store::RecordCopy failing_copy(const std::string& identifier) {
    return harvest::copy_of(live_record(identifier, "<a>fails</a>"));
}
void failing_normalizer(store::RecordCopy& /*copy*/, const std::string& /*endpoint*/,
                        const std::string& /*prefix*/) {
    throw std::runtime_error("injected failure while writing");
}

}  // namespace

TEST_CASE("A page's records and the scope's next token are committed together or not at all",
          "[store][backends]") {
    auto backend = GENERATE(test::Backend::sqlite, test::Backend::postgres);
    INFO(test::name_of(backend));
    Fixture f(backend);
    {
        auto page = f.db->begin_page(f.run, f.scope);
        harvest::put(page, live_record("oai:x:1", "<a>one</a>"));
        // Destroyed without commit: as if the process died here.
    }
    CHECK(test::all_records(*f.db).empty());
    CHECK_FALSE(f.db->scope(f.endpoint.id, "mets", "").pending_token);
    CHECK_FALSE(f.db->has_unfinished_list(f.endpoint.id));

    auto page = f.db->begin_page(f.run, f.scope);
    harvest::put(page, live_record("oai:x:1", "<a>one</a>"));
    harvest::put(page, live_record("oai:x:2", "<a>two</a>"));
    page.commit(f.scope, more("token-2"), {});
    CHECK(f.scope.pending_token == "token-2");

    // What the next process sees: both the records and the token to resume from.
    auto later = f.reopen();
    CHECK(later->scope(f.endpoint.id, "mets", "").pending_token == "token-2");
    CHECK(later->has_unfinished_list(f.endpoint.id));
    CHECK(test::all_records(*later).size() == 2);
    auto reader = f.reopen_read_only();
    CHECK(test::all_records(*reader).size() == 2);
    const auto status = store::scope_status(*reader, {});
    REQUIRE(status.size() == 1);
    CHECK(status[0].pending_token == "token-2");
    CHECK(status[0].records == 2);
    REQUIRE(status[0].last_run);
    CHECK(status[0].last_run->pages == 1);
    CHECK(status[0].last_run->records_new == 2);
}

TEST_CASE("A page whose writing throws half-way leaves nothing of it, and the next page commits",
          "[store][backends]") {
    auto backend = GENERATE(test::Backend::sqlite, test::Backend::postgres);
    INFO(test::name_of(backend));
    Fixture f(backend);
    f.put({live_record("oai:x:0", "<a>before</a>")});
    const store::ScopeState before = f.scope;
    SECTION("held until the commit") {
        auto page = f.db->begin_page(f.run, f.scope);
        harvest::put(page, live_record("oai:x:1", "<a>one</a>"));
        page.put(failing_copy("oai:x:2"), failing_normalizer);
        CHECK_THROWS_WITH(page.commit(f.scope, more("token-2"), {}),
                          Catch::Contains("injected failure while writing"));
    }
    SECTION("written through, a page too big to hold") {
        const std::string xml = "<p>" + std::string(64 * 1024, 'x') + "</p>";
        auto page = f.db->begin_page(f.run, f.scope);
        bool writing_through = false;
        page.before_write_through([&] { writing_through = true; });
        for (std::size_t i = 0; !writing_through; ++i) {
            harvest::put(page, live_record("oai:big:" + std::to_string(i), xml));
        }
        CHECK_THROWS_WITH(page.put(failing_copy("oai:x:2"), failing_normalizer),
                          Catch::Contains("injected failure while writing"));
        // Destroyed without commit.
    }
    CHECK(f.scope.pending_token == before.pending_token);
    CHECK(f.scope.list_pages == before.list_pages);
    CHECK(test::copy_names(test::all_records(*f.reopen_read_only())) ==
          std::vector<std::string>{"sample/oai:x:0/mets"});
    CHECK_FALSE(f.reopen()->scope(f.endpoint.id, "mets", "").pending_token);

    // Nothing is left open on the connection: the next page commits.
    f.put({live_record("oai:x:1", "<a>one</a>")});
    CHECK(test::all_records(*f.reopen_read_only()).size() == 2);
}

TEST_CASE("Records harvested again unchanged are counted unchanged, in the page and the run",
          "[store][backends]") {
    auto backend = GENERATE(test::Backend::sqlite, test::Backend::postgres);
    INFO(test::name_of(backend));
    Fixture f(backend);
    const std::vector<oai::Record> page{
        live_record("oai:x:1", "<a>one</a>", "2026-01-01T00:00:00Z", {"b", "a"}),
        deleted_record("oai:x:2", "2026-01-02T00:00:00Z"),
        live_record("oai:x:3", "", "2026-01-03T00:00:00Z")};
    auto first = f.put(page);
    CHECK(first.records_new == 1);
    CHECK(first.records_deleted == 1);
    CHECK(first.records_kept_metadata == 1);
    auto second = f.put(page);
    CHECK(second.records_unchanged == 3);
    CHECK(second.records_new + second.records_updated + second.records_deleted +
              second.records_stale + second.records_kept_metadata ==
          0);
    const auto status = store::scope_status(*f.db, {"sample"});
    REQUIRE(status.size() == 1);
    REQUIRE(status[0].last_run);
    CHECK(status[0].last_run->pages == 2);
    CHECK(status[0].last_run->records_new == 1);
    CHECK(status[0].last_run->records_unchanged == 3);
    CHECK(status[0].last_run->records_deleted == 1);
    CHECK(status[0].last_run->records_kept_metadata == 1);
}

TEST_CASE("is_unchanged on another thread reads the last commit while a page commits",
          "[store][backends]") {
    auto backend = GENERATE(test::Backend::sqlite, test::Backend::postgres);
    INFO(test::name_of(backend));
    Fixture f(backend);
    const auto one = live_record("oai:x:1", "<a>one</a>");
    const auto two = live_record("oai:x:1", "<a>two</a>");
    f.put({one});
    // The first page writes through (too big to hold), so its transaction is open while the
    // second page is filled: it changes x:1, not yet committed.
    const std::string xml = "<p>" + std::string(64 * 1024, 'x') + "</p>";
    auto first = f.db->begin_page(f.run, f.scope);
    bool writing_through = false;
    first.before_write_through([&] { writing_through = true; });
    for (std::size_t i = 0; !writing_through; ++i) {
        harvest::put(first, live_record("oai:big:" + std::to_string(i), xml));
    }
    harvest::put(first, two);
    auto second = f.db->begin_page(f.run, f.scope);
    auto looked_up = std::async(std::launch::async, [&] {
        return std::pair{second.is_unchanged(harvest::copy_of(one)),
                         second.is_unchanged(harvest::copy_of(two))};
    });
    const auto [as_one, as_two] = looked_up.get();
    CHECK(as_one);
    CHECK_FALSE(as_two);

    // Looked up over and over on the second thread while this one commits, until it sees the
    // commit: a lookup that failed or waited for the commit's lock would throw or time out.
    std::atomic<bool> commit_failed = false;
    auto during_commit = std::async(std::launch::async, [&] {
        std::int64_t lookups = 1;
        while (!second.is_unchanged(harvest::copy_of(two)) && !commit_failed) {
            ++lookups;
        }
        return lookups;
    });
    try {
        first.commit(f.scope, k_last, {});
    } catch (...) {
        commit_failed = true;
        throw;
    }
    CHECK(during_commit.get() >= 1);
    CHECK(second.is_unchanged(harvest::copy_of(two)));
    CHECK_FALSE(second.is_unchanged(harvest::copy_of(one)));
    harvest::put(second, two);
    second.commit(f.scope, k_last, {});
    CHECK(second.counts().records_unchanged == 1);
}

TEST_CASE("Records fetched outside a list are committed without moving the scope",
          "[store][backends]") {
    auto backend = GENERATE(test::Backend::sqlite, test::Backend::postgres);
    INFO(test::name_of(backend));
    Fixture f(backend);
    f.db->begin_page(f.run, f.scope).commit(f.scope, more("token-2"), {});
    const auto before = f.db->scope(f.endpoint.id, "mets", "");
    auto page = f.db->begin_page(f.run, f.scope);
    harvest::put(page, live_record("oai:x:1", "<a>one</a>"));
    harvest::put(page, deleted_record("oai:x:2", "2026-01-02T00:00:00Z"));
    page.commit_records(store::RunEvents{1, 0, 0});
    CHECK(page.counts().records_new == 1);
    CHECK(page.counts().records_deleted == 1);
    const auto after = f.reopen()->scope(f.endpoint.id, "mets", "");
    CHECK(after.pending_token == before.pending_token);
    CHECK(after.list_pages == before.list_pages);
    CHECK(after.list_records == before.list_records);
    CHECK(test::copy_names(test::all_records(*f.reopen_read_only())) ==
          std::vector<std::string>{"sample/oai:x:1/mets", "sample/oai:x:2/mets deleted"});
    const auto status = store::scope_status(*f.db, {});
    REQUIRE(status.size() == 1);
    REQUIRE(status[0].last_run);
    CHECK(status[0].last_run->pages == 2);
    CHECK(status[0].last_run->retries == 1);
}
