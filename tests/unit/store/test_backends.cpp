// The read side on both backends: export, find_records, status, and the endpoint and run facts
// they show.
// Each test runs once on SQLite and once on PostgreSQL (support/backend_fixture.hpp), with the
// same expectations: what the store promises whichever database holds the mirror (issue 18).

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "store/queries.hpp"
#include "store/store.hpp"
#include "support/backend_fixture.hpp"

using namespace oaiharvest;
using oaiharvest::test::deleted_record;
using oaiharvest::test::live_record;

namespace {

using Fixture = test::BackendFixture;

// A mirror of two endpoints, the first in two formats: records live, deleted, withdrawn, one
// changed in the other format since, one in a set.
struct MirrorFixture : Fixture {
    explicit MirrorFixture(test::Backend which) : Fixture(which) {
        put({live_record("oai:x:1", "<a>mets 1</a>", "2026-01-01T00:00:00Z", {"s1"}),
             live_record("oai:x:2", "<a>mets 2</a>", "2026-01-01T00:00:00Z"),
             deleted_record("oai:x:3", "2026-01-02T00:00:00Z"),
             live_record("oai:x:5", "", "2026-01-03T00:00:00Z", {"s1"})});
        // oai_dc holds a newer copy of x:1: the mets one is no longer current.
        put({live_record("oai:x:1", "<a>dc 1</a>", "2026-02-01T00:00:00Z"),
             live_record("oai:x:4", "<a>dc 4</a>", "2026-01-01T00:00:00Z")},
            dc, dc_run);
        put({live_record("oai:y:1", "<a>other y</a>", "2026-01-01T00:00:00Z"),
             live_record("oai:x:1", "<a>other 1</a>", "2026-01-01T00:00:00Z")},
            other_scope, other_run);
        // x:2 changed long ago, for --since.
        exec(
            "UPDATE records SET last_changed = '2020-01-01T00:00:00Z' WHERE identifier = "
            "'oai:x:2'");
    }
    std::vector<std::string> exported(const store::ExportFilter& filter) {
        std::vector<store::StoredRecord> out;
        store::for_each_record(*db, filter,
                               [&](const store::StoredRecord& r) { out.push_back(r); });
        if (!filter.raw) {
            // The JSON alone: the record's names are read out of it.
            std::vector<std::string> names;
            for (const auto& r : out) {
                const auto json = nlohmann::json::parse(r.json);
                names.push_back(json.at("identifier").get<std::string>());
            }
            return names;
        }
        return test::copy_names(out);
    }

    store::ScopeState dc = db->scope(endpoint.id, "oai_dc", "");
    store::RunId dc_run = db->begin_run(dc, util::now_utc(), std::nullopt, std::nullopt, false);
    store::ScopeState in_set = db->scope(endpoint.id, "mets", "s1");
    store::EndpointFacts other = db->endpoint("other", "http://127.0.0.1:2/oai");
    store::ScopeState other_scope = db->scope(other.id, "mets", "");
    store::RunId other_run =
        db->begin_run(other_scope, util::now_utc(), std::nullopt, std::nullopt, false);
};

}  // namespace

TEST_CASE("An export visits the same current copies in the same order, whatever its filters",
          "[store][backends]") {
    auto backend = GENERATE(test::Backend::sqlite, test::Backend::postgres);
    INFO(test::name_of(backend));
    MirrorFixture f(backend);
    using Names = std::vector<std::string>;
    // In the order the endpoints were first harvested, then by identifier and prefix.
    CHECK(f.exported({std::nullopt, std::nullopt, false}) ==
          Names{"sample/oai:x:1/oai_dc", "sample/oai:x:2/mets", "sample/oai:x:4/oai_dc",
                "other/oai:x:1/mets", "other/oai:y:1/mets"});
    CHECK(f.exported({std::nullopt, std::nullopt, true}) ==
          Names{"sample/oai:x:1/oai_dc", "sample/oai:x:2/mets", "sample/oai:x:3/mets deleted",
                "sample/oai:x:4/oai_dc", "sample/oai:x:5/mets deleted", "other/oai:x:1/mets",
                "other/oai:y:1/mets"});
    CHECK(f.exported({"other", std::nullopt, true}) ==
          Names{"other/oai:x:1/mets", "other/oai:y:1/mets"});
    CHECK(f.exported({"sample", "2025-01-01T00:00:00Z", false}) ==
          Names{"sample/oai:x:1/oai_dc", "sample/oai:x:4/oai_dc"});
    // A copy not current is not exported even when it alone passes --since.
    f.exec(
        "UPDATE records SET last_changed = '2020-01-01T00:00:00Z' WHERE metadata_prefix = "
        "'oai_dc'");
    CHECK(f.exported({"sample", "2025-01-01T00:00:00Z", true}) ==
          Names{"sample/oai:x:3/mets deleted", "sample/oai:x:5/mets deleted"});
    CHECK(f.exported({std::nullopt, std::nullopt, false, false}) ==
          Names{"oai:x:1", "oai:x:2", "oai:x:4", "oai:x:1", "oai:y:1"});
    CHECK(f.exported({"nobody", std::nullopt, true}).empty());
}

TEST_CASE("find_records gives every stored copy of an identifier, with its fields",
          "[store][backends]") {
    auto backend = GENERATE(test::Backend::sqlite, test::Backend::postgres);
    INFO(test::name_of(backend));
    MirrorFixture f(backend);
    const auto copies = store::find_records(*f.db, "oai:x:1");
    // By endpoint name, then prefix; copies that are not current included.
    REQUIRE(test::copy_names(copies) == std::vector<std::string>{"other/oai:x:1/mets",
                                                                 "sample/oai:x:1/mets",
                                                                 "sample/oai:x:1/oai_dc"});
    CHECK(copies[1].datestamp == "2026-01-01T00:00:00Z");
    CHECK(copies[1].sets == std::vector<std::string>{"s1"});
    CHECK(copies[1].metadata == "<a>mets 1</a>");
    CHECK(copies[2].metadata == "<a>dc 1</a>");
    CHECK(copies[2].sets.empty());
    for (const auto& copy : copies) {
        INFO(copy.endpoint << " " << copy.metadata_prefix);
        const auto json = nlohmann::json::parse(copy.json);
        CHECK(json.at("identifier") == "oai:x:1");
        CHECK(copy.last_changed.size() == std::string("2026-01-01T00:00:00Z").size());
    }

    const auto tombstone = store::find_records(*f.db, "oai:x:3");
    REQUIRE(tombstone.size() == 1);
    CHECK(tombstone[0].deleted);
    CHECK_FALSE(tombstone[0].metadata);
    const auto withdrawn = store::find_records(*f.db, "oai:x:5");
    REQUIRE(withdrawn.size() == 1);
    CHECK(withdrawn[0].deleted);
    CHECK(withdrawn[0].sets == std::vector<std::string>{"s1"});
    CHECK(store::find_records(*f.db, "oai:none").empty());
}

TEST_CASE("The status of every scope counts the same records", "[store][backends]") {
    auto backend = GENERATE(test::Backend::sqlite, test::Backend::postgres);
    INFO(test::name_of(backend));
    MirrorFixture f(backend);
    f.db->save_endpoint_error("other", "Identify failed", util::now_utc());
    const auto status = store::scope_status(*f.db, {});
    std::vector<std::string> scopes;
    for (const auto& s : status) {
        scopes.push_back(s.endpoint + "/" + s.metadata_prefix + "/" + s.set_spec + " " +
                         std::to_string(s.records) + " " + std::to_string(s.deleted) + " " +
                         std::to_string(s.gone));
    }
    // endpoint/prefix/set records deleted gone; by endpoint, prefix and set.
    CHECK(scopes == std::vector<std::string>{"other/mets/ 2 0 0", "sample/mets/ 4 2 1",
                                             "sample/mets/s1 2 1 1", "sample/oai_dc/ 2 0 0"});
    REQUIRE(status.size() == 4);
    CHECK(status[0].endpoint_error == "Identify failed");
    CHECK(status[0].base_url == "http://127.0.0.1:2/oai");
    REQUIRE(status[1].last_run);
    CHECK(status[1].last_run->kind == "harvest");
    CHECK(status[1].last_run->outcome == "running");
    CHECK(status[1].last_run->records_new == 2);
    CHECK(status[1].last_run->records_deleted == 1);
    CHECK(status[1].last_run->records_kept_metadata == 1);
    CHECK_FALSE(status[1].last_reconcile);
    CHECK_FALSE(status[2].last_run);  // the set's scope was never harvested

    f.db->finish_run(f.run, store::Outcome::failed, util::now_utc(), {}, "it broke");
    const auto one = store::scope_status(*f.db, {"sample"});
    REQUIRE(one.size() == 3);
    REQUIRE(one[0].last_run);
    CHECK(one[0].last_run->outcome == "failed");
    CHECK(one[0].last_run->error == "it broke");
    CHECK(one[0].last_run->finished_at);
}

TEST_CASE("An endpoint's facts, plan and error are kept and shown by status", "[store][backends]") {
    auto backend = GENERATE(test::Backend::sqlite, test::Backend::postgres);
    INFO(test::name_of(backend));
    Fixture f(backend);
    CHECK_FALSE(f.db->find_endpoint("nobody"));
    store::RepositoryFacts facts;
    facts.repository_name = "Sample Repository";
    facts.protocol_version = "2.0";
    facts.granularity = "YYYY-MM-DDThh:mm:ssZ";
    facts.deleted_record = "persistent";
    const auto identified = *util::parse_utc("2026-03-01T10:00:00Z");
    f.db->save_identify(f.endpoint.id, facts, identified);
    f.db->save_next_due(f.endpoint.id, *util::parse_utc("2026-03-02T00:00:00Z"));
    f.db->save_endpoint_error("sample", "Identify: HTTP 503", identified);

    // The same name again keeps the endpoint and takes the new URL.
    auto again = f.db->endpoint("sample", "http://127.0.0.1:3/oai");
    CHECK(again.id == f.endpoint.id);
    CHECK(again.base_url == "http://127.0.0.1:3/oai");
    CHECK(again.granularity == "YYYY-MM-DDThh:mm:ssZ");
    CHECK(again.deleted_record == "persistent");
    CHECK(again.identified_at == "2026-03-01T10:00:00Z");
    auto found = f.reopen_read_only()->find_endpoint("sample");
    REQUIRE(found);
    CHECK(found->id == f.endpoint.id);
    CHECK(found->base_url == "http://127.0.0.1:3/oai");

    auto status = store::scope_status(*f.db, {"sample"});
    REQUIRE(status.size() == 1);
    CHECK(status[0].repository_name == "Sample Repository");
    CHECK(status[0].granularity == "YYYY-MM-DDThh:mm:ssZ");
    CHECK(status[0].deleted_record == "persistent");
    CHECK(status[0].next_due == "2026-03-02T00:00:00Z");
    CHECK(status[0].endpoint_error == "Identify: HTTP 503");
    CHECK(status[0].endpoint_error_at == "2026-03-01T10:00:00Z");

    // Cleared: the next harvest got past Identify; the daemon has no plan.
    f.db->save_endpoint_error("sample", std::nullopt, identified);
    f.db->save_next_due(f.endpoint.id, std::nullopt);
    // An empty fact is none.
    facts.repository_name.clear();
    f.db->save_identify(f.endpoint.id, facts, identified);
    status = store::scope_status(*f.db, {"sample"});
    REQUIRE(status.size() == 1);
    CHECK_FALSE(status[0].endpoint_error);
    CHECK_FALSE(status[0].endpoint_error_at);
    CHECK_FALSE(status[0].next_due);
    CHECK_FALSE(status[0].repository_name);

    // An endpoint without a scope yet has one entry, without a prefix.
    f.db->endpoint("fresh", "http://127.0.0.1:4/oai");
    status = store::scope_status(*f.db, {});
    REQUIRE(status.size() == 2);
    CHECK(status[0].endpoint == "fresh");
    CHECK(status[0].metadata_prefix.empty());
    CHECK_FALSE(status[0].last_run);
}

TEST_CASE("A run's pages, events and outcome add up, and runs of a killed process are found",
          "[store][backends]") {
    auto backend = GENERATE(test::Backend::sqlite, test::Backend::postgres);
    INFO(test::name_of(backend));
    Fixture f(backend);
    CHECK(f.db->last_run_id() == f.run);
    auto page = f.db->begin_page(f.run, f.scope);
    harvest::put(page, live_record("oai:x:1", "<a>one</a>"));
    page.commit(f.scope,
                store::PageEnd{store::ListPosition{"t2", 100, 250}, "2026-01-01T00:00:00Z"},
                store::RunEvents{2, 1, 3});
    CHECK(f.db->has_unfinished_list(f.endpoint.id));
    auto status = store::scope_status(*f.db, {});
    REQUIRE(status.size() == 1);
    CHECK(status[0].pending_token == "t2");
    CHECK(status[0].pending_cursor == 100);
    CHECK(status[0].complete_list_size == 250);
    CHECK(status[0].list_records == 1);

    // The token was refused: the list is forgotten, here and in the database.
    f.db->abandon_list(f.scope);
    CHECK_FALSE(f.scope.pending_token);
    CHECK_FALSE(f.db->has_unfinished_list(f.endpoint.id));
    const auto saved = f.reopen()->scope(f.endpoint.id, "mets", "");
    CHECK_FALSE(saved.pending_token);
    CHECK_FALSE(saved.pending_cursor);
    CHECK(saved.list_records == 0);
    CHECK(saved.list_pages == 0);

    f.db->finish_run(f.run, store::Outcome::interrupted, *util::parse_utc("2026-01-02T00:00:00Z"),
                     store::RunEvents{1, 0, 1}, "stopped");
    status = store::scope_status(*f.db, {});
    REQUIRE(status[0].last_run);
    const auto& run = *status[0].last_run;
    CHECK(run.outcome == "interrupted");
    CHECK(run.finished_at == "2026-01-02T00:00:00Z");
    CHECK(run.error == "stopped");
    CHECK(run.pages == 1);
    CHECK(run.records_new == 1);
    CHECK(run.retries == 3);
    CHECK(run.token_restarts == 1);
    CHECK(run.repaired_characters == 4);
    CHECK_FALSE(f.db->last_run_died(f.endpoint.id));

    // A stop's runs are died only when asked; runs before `after` never.
    CHECK(f.db->mark_runs_died(f.endpoint.id, f.run, true, "late", util::now_utc()) == 0);
    CHECK(f.db->mark_runs_died(std::nullopt, 0, false, "killed", util::now_utc()) == 0);
    CHECK(f.db->mark_runs_died(f.endpoint.id, 0, true, "killed", util::now_utc()) == 1);
    CHECK(f.db->last_run_died(f.endpoint.id));
    status = store::scope_status(*f.db, {});
    REQUIRE(status[0].last_run);
    CHECK(status[0].last_run->outcome == "died");
    CHECK(status[0].last_run->error == "killed");
    CHECK(status[0].last_run->finished_at == "2026-01-02T00:00:00Z");  // kept

    const auto next = f.db->begin_run(f.scope, util::now_utc(), "2026-01-01", std::nullopt, true);
    CHECK(next > f.run);
    CHECK(f.db->last_run_id() == next);
    CHECK(f.db->last_run_died(f.endpoint.id));  // running, as far as the store knows
    auto other = f.db->endpoint("other", "http://127.0.0.1:2/oai");
    CHECK(f.db->mark_runs_died(other.id, 0, false, "killed", util::now_utc()) == 0);
    CHECK(f.db->mark_runs_died(std::nullopt, f.run, false, "killed", util::now_utc()) == 1);
    f.db->finish_run(next, store::Outcome::ok, util::now_utc(), {}, std::nullopt);
    CHECK_FALSE(f.db->last_run_died(f.endpoint.id));
}

TEST_CASE("An export whose visitor throws stops, and the mirror is read again after it",
          "[store][backends]") {
    auto backend = GENERATE(test::Backend::sqlite, test::Backend::postgres);
    INFO(test::name_of(backend));
    Fixture f(backend);
    f.put({live_record("oai:x:1", "<a>one</a>"), live_record("oai:x:2", "<a>two</a>"),
           live_record("oai:x:3", "<a>three</a>")});
    int visited = 0;
    CHECK_THROWS_WITH(store::for_each_record(*f.db, {std::nullopt, std::nullopt, true},
                                             [&](const store::StoredRecord&) {
                                                 ++visited;
                                                 throw std::runtime_error("the pipe broke");
                                             }),
                      "the pipe broke");
    CHECK(visited == 1);
    CHECK(test::all_records(*f.db).size() == 3);
    CHECK(store::find_records(*f.db, "oai:x:2").size() == 1);
    // And the store still writes.
    f.put({live_record("oai:x:4", "<a>four</a>")});
    CHECK(test::all_records(*f.db).size() == 4);
}
