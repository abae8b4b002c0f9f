// Newest wins, headers without metadata, one truth across formats, and unchanged records that
// cost no write (lib/store/page.cpp).

#include <catch2/catch.hpp>

#include "harvest/normalize.hpp"
#include "store/queries.hpp"
#include "store/store.hpp"
#include "support/backend_fixture.hpp"

using namespace oaiharvest;
using oaiharvest::test::deleted_record;
using oaiharvest::test::live_record;

namespace {

struct Fixture : test::BackendFixture {
    using BackendFixture::BackendFixture;
    store::ScopeState dc = db->scope(endpoint.id, "oai_dc", "");

    store::PageCounts put(const oai::Record& record, store::ScopeState& into) {
        auto page = db->begin_page(run, into);
        harvest::put(page, record);
        page.commit(into, store::PageEnd{std::nullopt, "2026-01-01T00:00:00Z"}, {});
        return page.counts();
    }
    store::PageCounts put(const oai::Record& record) { return put(record, scope); }

    // The stored copy of the identifier in that format.
    store::StoredRecord stored(const std::string& identifier, const std::string& prefix) {
        for (auto& r : store::find_records(*db, identifier)) {
            if (r.metadata_prefix == prefix) {
                return r;
            }
        }
        FAIL("no " << identifier << " in " << prefix);
        return {};
    }
    std::string column(const std::string& sql) { return scalar(sql); }
};

}  // namespace

TEST_CASE("An older copy never replaces a newer one, and is counted stale",
          "[store][newest][backends]") {
    auto backend = GENERATE(test::Backend::sqlite, test::Backend::postgres);
    INFO(test::name_of(backend));
    Fixture f(backend);
    f.put(live_record("oai:x:1", "<a>new</a>", "2026-02-01T00:00:00Z"));
    auto counts = f.put(live_record("oai:x:1", "<a>old</a>", "2026-01-01T00:00:00Z"));
    CHECK(counts.records_stale == 1);
    CHECK(counts.records_updated == 0);
    CHECK(f.stored("oai:x:1", "mets").metadata == "<a>new</a>");
    // An older deletion does not delete a newer live copy either.
    counts = f.put(deleted_record("oai:x:1", "2026-01-15T00:00:00Z"));
    CHECK(counts.records_stale == 1);
    CHECK_FALSE(f.stored("oai:x:1", "mets").deleted);
    // The same datestamp replaces: the server corrected the record in place.
    counts = f.put(live_record("oai:x:1", "<a>fixed</a>", "2026-02-01T00:00:00Z"));
    CHECK(counts.records_updated == 1);
    CHECK(f.stored("oai:x:1", "mets").metadata == "<a>fixed</a>");
}

TEST_CASE("Two copies of a record in one page keep the newer", "[store][newest][backends]") {
    auto backend = GENERATE(test::Backend::sqlite, test::Backend::postgres);
    INFO(test::name_of(backend));
    Fixture f(backend);
    auto page = f.db->begin_page(f.run, f.scope);
    harvest::put(page, live_record("oai:x:1", "<a>new</a>", "2026-02-01T00:00:00Z"));
    harvest::put(page, live_record("oai:x:1", "<a>old</a>", "2026-01-01T00:00:00Z"));
    page.commit(f.scope, store::PageEnd{std::nullopt, "2026-03-01T00:00:00Z"}, {});
    CHECK(page.counts().records_stale == 1);
    CHECK(f.stored("oai:x:1", "mets").metadata == "<a>new</a>");
}

TEST_CASE("A live header without metadata keeps the metadata, the record gone from the format",
          "[store][newest][backends]") {
    auto backend = GENERATE(test::Backend::sqlite, test::Backend::postgres);
    INFO(test::name_of(backend));
    Fixture f(backend);
    f.put(live_record("oai:x:1", "<a>kept</a>", "2026-01-01T00:00:00Z", {"s1"}));
    auto counts = f.put(live_record("oai:x:1", "", "2026-02-01T00:00:00Z", {"s2"}));
    CHECK(counts.records_kept_metadata == 1);
    auto r = f.stored("oai:x:1", "mets");
    CHECK(r.metadata == "<a>kept</a>");
    CHECK(r.deleted);  // the server no longer offers it in this format
    CHECK(r.datestamp == "2026-02-01T00:00:00Z");
    CHECK(r.sets == std::vector<std::string>{"s2"});
    CHECK(f.column("SELECT coalesce(gone_at, 'none') FROM records") != "none");
    // The same header again changes nothing.
    CHECK(f.put(live_record("oai:x:1", "", "2026-02-01T00:00:00Z", {"s2"})).records_unchanged == 1);
    // The format offered again: live, gone_at cleared.
    CHECK(f.put(live_record("oai:x:1", "<a>back</a>", "2026-03-01T00:00:00Z")).records_updated ==
          1);
    CHECK_FALSE(f.stored("oai:x:1", "mets").deleted);
    CHECK(f.column("SELECT coalesce(gone_at, 'none') FROM records") == "none");
}

TEST_CASE("Headers without metadata for a record never stored with any are kept as such",
          "[store][newest][backends]") {
    auto backend = GENERATE(test::Backend::sqlite, test::Backend::postgres);
    INFO(test::name_of(backend));
    Fixture f(backend);
    CHECK(f.put(live_record("oai:x:1", "", "2026-01-01T00:00:00Z")).records_kept_metadata == 1);
    // Re-dated, still without metadata: written once more (this recursed without end before).
    auto counts = f.put(live_record("oai:x:1", "", "2026-02-01T00:00:00Z", {"s1"}));
    CHECK(counts.records_kept_metadata == 1);
    auto r = f.stored("oai:x:1", "mets");
    CHECK(r.deleted);
    CHECK_FALSE(r.metadata);
    CHECK(r.datestamp == "2026-02-01T00:00:00Z");
}

TEST_CASE("An unchanged record costs no write", "[store][newest][backends]") {
    auto backend = GENERATE(test::Backend::sqlite, test::Backend::postgres);
    INFO(test::name_of(backend));
    Fixture f(backend);
    f.put(live_record("oai:x:1", "<a>one</a>"));
    f.exec("UPDATE records SET last_seen = 'untouched'");
    auto counts = f.put(live_record("oai:x:1", "<a>one</a>"));
    CHECK(counts.records_unchanged == 1);
    CHECK(f.column("SELECT last_seen FROM records") == "untouched");
}

TEST_CASE("A deletion in one format deletes the record's older copies in the others",
          "[store][newest][backends]") {
    auto backend = GENERATE(test::Backend::sqlite, test::Backend::postgres);
    INFO(test::name_of(backend));
    Fixture f(backend);
    f.put(live_record("oai:x:1", "<a>mets</a>", "2026-01-01T00:00:00Z", {"s1"}));
    f.put(live_record("oai:x:2", "<a>mets</a>", "2026-03-01T00:00:00Z"));
    auto counts = f.put(deleted_record("oai:x:1", "2026-02-01T00:00:00Z"), f.dc);
    CHECK(counts.records_deleted == 2);  // the oai_dc tombstone and the mets copy
    auto mets = f.stored("oai:x:1", "mets");
    CHECK(mets.deleted);
    CHECK(mets.datestamp == "2026-02-01T00:00:00Z");
    CHECK(mets.metadata == "<a>mets</a>");  // the last metadata stays, as for any deletion
    CHECK(mets.sets == std::vector<std::string>{"s1"});

    // mets' own list then brings the same deletion: nothing to change.
    auto again = deleted_record("oai:x:1", "2026-02-01T00:00:00Z");
    again.header.set_specs = {"s1"};
    CHECK(f.put(again).records_unchanged == 1);
    // A lagging mets list with the live copy from before the deletion is stale.
    CHECK(f.put(live_record("oai:x:1", "<a>mets</a>", "2026-01-01T00:00:00Z")).records_stale == 1);
    // A copy newer than the deletion elsewhere is not touched by it.
    f.put(deleted_record("oai:x:2", "2026-02-01T00:00:00Z"), f.dc);
    CHECK_FALSE(f.stored("oai:x:2", "mets").deleted);
}

TEST_CASE(
    "A newer deletion in one format reaching a copy already deleted in another moves its date "
    "and is counted once",
    "[store][newest][backends]") {
    auto backend = GENERATE(test::Backend::sqlite, test::Backend::postgres);
    INFO(test::name_of(backend));
    Fixture f(backend);
    // As a mirror served by oaiharvest lists one deletion: each format's copy dated when the
    // mirror wrote it, here a second apart (issue 14).
    CHECK(f.put(deleted_record("oai:x:1", "2026-02-01T00:00:00Z")).records_deleted == 1);
    auto counts = f.put(deleted_record("oai:x:1", "2026-02-01T00:00:01Z"), f.dc);
    CHECK(counts.records_deleted == 1);  // the oai_dc tombstone: mets was deleted already
    CHECK(counts.records_updated == 0);
    auto mets = f.stored("oai:x:1", "mets");
    CHECK(mets.deleted);
    CHECK(mets.datestamp == "2026-02-01T00:00:01Z");
    // The newer date holds: a lagging mets copy from between the two deletions is stale.
    CHECK(f.put(live_record("oai:x:1", "<a>between</a>", "2026-02-01T00:00:00Z")).records_stale ==
          1);
    CHECK(f.stored("oai:x:1", "mets").deleted);
}

TEST_CASE("A deletion in one format reaching a copy withdrawn from another counts it deleted",
          "[store][newest][backends]") {
    auto backend = GENERATE(test::Backend::sqlite, test::Backend::postgres);
    INFO(test::name_of(backend));
    Fixture f(backend);
    f.put(live_record("oai:x:1", "<a>kept</a>", "2026-01-01T00:00:00Z"));
    CHECK(f.put(live_record("oai:x:1", "", "2026-01-15T00:00:00Z")).records_kept_metadata == 1);
    auto counts = f.put(deleted_record("oai:x:1", "2026-02-01T00:00:00Z"), f.dc);
    CHECK(counts.records_deleted == 2);  // the oai_dc tombstone and the mets copy
    auto mets = f.stored("oai:x:1", "mets");
    CHECK(mets.deleted);
    CHECK(mets.datestamp == "2026-02-01T00:00:00Z");
    CHECK(mets.metadata == "<a>kept</a>");
    CHECK(f.column("SELECT coalesce(gone_at, 'none') FROM records WHERE metadata_prefix = "
                   "'mets'") == "none");
}

TEST_CASE("A format first harvested after a deletion elsewhere does not bring the record back",
          "[store][newest][backends]") {
    auto backend = GENERATE(test::Backend::sqlite, test::Backend::postgres);
    INFO(test::name_of(backend));
    Fixture f(backend);
    f.put(deleted_record("oai:x:1", "2026-02-01T00:00:00Z"), f.dc);
    CHECK(f.put(live_record("oai:x:1", "<a>old</a>", "2026-01-01T00:00:00Z")).records_stale == 1);
    // Held as that deletion, so that a reconcile does not fetch the old copy again and again.
    auto held = f.stored("oai:x:1", "mets");
    CHECK(held.deleted);
    CHECK(held.datestamp == "2026-02-01T00:00:00Z");
    CHECK(f.put(live_record("oai:x:1", "<a>old</a>", "2026-01-01T00:00:00Z")).records_stale == 1);
    CHECK(f.put(live_record("oai:x:1", "<a>new</a>", "2026-03-01T00:00:00Z")).records_updated == 1);
    CHECK_FALSE(f.stored("oai:x:1", "mets").deleted);
}

TEST_CASE("Without a UTC responseDate the saved point is the list's newest datestamp",
          "[store][newest][backends]") {
    auto backend = GENERATE(test::Backend::sqlite, test::Backend::postgres);
    INFO(test::name_of(backend));
    Fixture f(backend);
    auto page = f.db->begin_page(f.run, f.scope);
    harvest::put(page, live_record("oai:x:1", "<a/>", "2026-01-05T00:00:00Z"));
    harvest::put(page, live_record("oai:x:2", "<a/>", "2026-01-09T00:00:00Z"));
    harvest::put(page, live_record("oai:x:3", "<a/>", "2026-01-07T00:00:00Z"));
    store::ListPosition token{"page2", 0, 4};
    page.commit(f.scope, store::PageEnd{token, ""}, {});
    auto last = f.db->begin_page(f.run, f.scope);
    harvest::put(last, live_record("oai:x:4", "<a/>", "2026-01-08T00:00:00Z"));
    last.commit(f.scope, store::PageEnd{std::nullopt, ""}, {});
    CHECK(f.db->scope(f.endpoint.id, "mets", "").next_from == "2026-01-09T00:00:00Z");

    // A list with neither a responseDate nor a record leaves the point where it was.
    auto empty = f.db->begin_page(f.run, f.scope);
    empty.commit(f.scope, store::PageEnd{std::nullopt, "", "2026-01-09T00:00:00Z"}, {});
    CHECK(f.db->scope(f.endpoint.id, "mets", "").next_from == "2026-01-09T00:00:00Z");
}

TEST_CASE("A record found gone comes back with any copy the server lists, older ones too",
          "[store][newest][backends]") {
    auto backend = GENERATE(test::Backend::sqlite, test::Backend::postgres);
    INFO(test::name_of(backend));
    Fixture f(backend);
    f.put(live_record("oai:x:1", "<a>newer</a>", "2026-02-01T00:00:00Z"));
    // What a reconcile leaves when the server no longer lists the record.
    f.exec(
        "UPDATE records SET deleted = (1 = 1), gone_at = '2026-03-01T00:00:00Z', "
        "content_hash = ''");
    // The server, restored from a backup, lists it again as it was before.
    auto counts = f.put(live_record("oai:x:1", "<a>older</a>", "2026-01-01T00:00:00Z"));
    CHECK(counts.records_stale == 0);
    CHECK(counts.records_updated == 1);
    auto r = f.stored("oai:x:1", "mets");
    CHECK_FALSE(r.deleted);
    CHECK(r.metadata == "<a>older</a>");
    CHECK(f.column("SELECT coalesce(gone_at, 'none') FROM records") == "none");
}
