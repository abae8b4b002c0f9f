// `oaiharvest reconcile`: after harvests that could not see a change (a record removed without
// a trace, moved between sets, deleted without a setSpec, skipped by a shifting list, restored
// from a backup, withdrawn from a format), one reconcile brings the mirror equal to the
// server, compared with ChangingRepository::expected_view.

#include "reconcile_fixture.hpp"

using namespace oaiharvest;
using namespace oaiharvest::testing;
using namespace oaiharvest::test::reconcile;

TEST_CASE("reconcile: a record removed without a trace becomes gone", "[integration][reconcile]") {
    Mirror m({.deleted_record = "no"});
    for (int i = 1; i <= 5; ++i) {
        m.repo.put(record(std::to_string(i), "2026-01-0" + std::to_string(i) + "T00:00:00Z"));
    }
    m.harvest();
    m.repo.remove("oai:x:3");
    m.harvest();
    CHECK_FALSE(m.view("oai_dc")["oai:x:3"]["deleted"].get<bool>());  // what harvests cannot see

    auto result = m.reconcile();
    CHECK(has_line(result, "sample oai_dc: oai:x:3 gone: no longer listed"));
    CHECK(has_line(result,
                   "sample oai_dc: reconciled 4 listed: 0 new, 0 updated, 0 deleted, "
                   "1 gone, 0 sets corrected, 0 stale"));
    m.check_equal("oai_dc");
    auto status = m.h.status();
    REQUIRE(status.size() == 1);
    CHECK(status[0]["gone"] == 1);
    CHECK(status[0]["last_reconcile"]["outcome"] == "ok");
    CHECK(status[0]["last_reconcile"]["gone"] == 1);
    // Two list pages of pass 1 (4 identifiers, 3 a page), one of pass 2 (none changed since).
    CHECK(status[0]["last_reconcile"]["pages"] == 3);
    // Exported like a deletion, and a live copy that comes back is stored again.
    auto live = m.h.run({"export", "--format", "jsonl"});
    CHECK(live.out.find("oai:x:3") == std::string::npos);
    m.repo.put(record("3", "2026-01-03T00:00:00Z"));
    m.reconcile();
    m.check_equal("oai_dc");
    CHECK_FALSE(m.gone_at("oai:x:3", "oai_dc"));
}

TEST_CASE("reconcile: a tombstone purged before the next run becomes gone",
          "[integration][reconcile]") {
    Mirror m;
    m.repo.put(record("1", "2026-01-01T00:00:00Z"));
    auto tombstone = record("2", "2026-01-02T00:00:00Z");
    tombstone.deleted = true;
    m.repo.put(tombstone);
    m.harvest();
    CHECK(m.view("oai_dc")["oai:x:2"]["deleted"].get<bool>());
    m.repo.remove("oai:x:2");
    auto result = m.reconcile();
    CHECK(has_line(result, "oai:x:2 gone: no longer listed"));
    m.check_equal("oai_dc");
}

TEST_CASE("reconcile: a record that moves from set A to B is counted in B only",
          "[integration][reconcile]") {
    Mirror m({}, {"oai_dc"}, {"A", "B"});
    m.repo.put(record("1", "2026-01-01T00:00:00Z", {"A"}));
    m.repo.put(record("2", "2026-01-02T00:00:00Z", {"A"}));
    m.repo.put(record("3", "2026-01-03T00:00:00Z", {"B"}));
    m.harvest();
    // Moved without a new datestamp: no harvest can see it.
    m.repo.put(record("2", "2026-01-02T00:00:00Z", {"B"}));
    m.harvest();
    auto result = m.reconcile();
    CHECK(has_line(result, "oai:x:2 sets corrected: [A] -> [B]"));
    m.check_equal("oai_dc");
    auto status = m.h.status();
    REQUIRE(status.size() == 2);
    CHECK(status[0]["set"] == "A");
    CHECK(status[0]["records"] == 1);
    CHECK(status[0]["last_reconcile"]["sets_corrected"] == 1);
    CHECK(status[1]["set"] == "B");
    CHECK(status[1]["records"] == 2);
}

TEST_CASE("reconcile: an EPrints deleted header without setSpec reaches a set-scoped mirror",
          "[integration][reconcile]") {
    Mirror m({.deleted_headers_carry_sets = false}, {"oai_dc"}, {"A"});
    m.repo.put(record("1", "2026-01-01T00:00:00Z", {"A"}));
    m.repo.put(record("2", "2026-01-02T00:00:00Z", {"A"}));
    m.harvest();
    auto deleted = record("2", "2026-02-01T00:00:00Z", {"A"});
    deleted.deleted = true;
    m.repo.put(deleted);
    REQUIRE(m.h.run({"harvest", "sample", "--full"}).exit_code == 0);  // cannot see it either
    CHECK_FALSE(m.view("oai_dc")["oai:x:2"]["deleted"].get<bool>());
    auto result = m.reconcile();
    CHECK(has_line(result, "oai:x:2 deleted: not listed, the server returns it deleted"));
    m.check_equal("oai_dc");
    CHECK_FALSE(m.gone_at("oai:x:2", "oai_dc"));
}

TEST_CASE("reconcile: a record a shifting list skipped during the harvest is fetched",
          "[integration][reconcile]") {
    Mirror m({.page_size = 2, .order = ServerBehaviour::Order::datestamp});
    for (int i = 1; i <= 4; ++i) {
        m.repo.put(record(std::to_string(i), "2026-01-0" + std::to_string(i) + "T00:00:00Z"));
    }
    m.repo.on_list_page([](std::size_t page, ChangingRepository& repo) {
        if (page == 1) {
            repo.put(record("1", "2026-02-01T00:00:00Z"));  // oai:x:3 slips onto page 0
        }
    });
    m.harvest();
    m.repo.on_list_page(nullptr);
    CHECK_FALSE(m.view("oai_dc").contains("oai:x:3"));
    auto result = m.reconcile();
    CHECK(has_line(result, "oai:x:3 fetched: missing from the mirror"));
    m.check_equal("oai_dc");
}

TEST_CASE("reconcile: a record the mirror holds older than the server is fetched",
          "[integration][reconcile]") {
    Mirror m;
    m.repo.put(record("1", "2026-01-01T00:00:00Z"));
    m.repo.put(record("2", "2026-01-02T00:00:00Z"));
    m.harvest();
    // A backdated edit, before the harvest's point and its overlap.
    auto edited = record("2", "2026-01-05T00:00:00Z");
    edited.titles["oai_dc"] = "DC 2 edited";
    m.repo.put(edited);
    auto result = m.reconcile();
    CHECK(has_line(result,
                   "oai:x:2 updated: the mirror held 2026-01-02T00:00:00Z, the server "
                   "2026-01-05T00:00:00Z"));
    m.check_equal("oai_dc");
}

TEST_CASE("reconcile: a repository restored from an older backup", "[integration][reconcile]") {
    Mirror m;
    m.repo.put(record("1", "2026-01-01T00:00:00Z"));
    m.repo.put(record("2", "2026-01-02T00:00:00Z"));
    m.harvest();
    auto newer = record("1", "2026-03-01T00:00:00Z");
    newer.titles["oai_dc"] = "DC 1 newer";
    m.repo.put(newer);
    m.repo.put(record("3", "2026-03-02T00:00:00Z"));  // created after the backup
    REQUIRE(m.h.run({"harvest", "sample", "--full"}).exit_code == 0);
    // The backup: record 1 as it was, record 3 never existed.
    m.repo.put(record("1", "2026-01-01T00:00:00Z"));
    m.repo.remove("oai:x:3");
    auto result = m.reconcile();
    CHECK(has_line(result, "oai:x:3 gone: no longer listed"));
    CHECK(has_line(result, "1 gone, 0 sets corrected, 1 stale"));
    auto mirror = m.view("oai_dc");
    CHECK(mirror["oai:x:3"]["deleted"].get<bool>());
    CHECK(m.gone_at("oai:x:3", "oai_dc"));
    // Newest wins: the older copy does not replace the newer one.
    CHECK(mirror["oai:x:1"]["datestamp"] == "2026-03-01T00:00:00Z");
    CHECK(mirror["oai:x:1"]["title"] == "DC 1 newer");
    CHECK(m.h.status()[0]["last_reconcile"]["stale"] == 1);
}

TEST_CASE("reconcile: a record no longer offered in one format is gone in that format only",
          "[integration][reconcile]") {
    Mirror m({}, {"oai_dc", "mods"});
    m.repo.put(record("1", "2026-01-01T00:00:00Z"));
    m.repo.put(record("2", "2026-01-02T00:00:00Z"));
    m.harvest();
    auto withdrawn = record("2", "2026-01-02T00:00:00Z");
    withdrawn.titles.erase("mods");
    m.repo.put(withdrawn);
    auto result = m.reconcile();
    CHECK(has_line(result, "sample mods: oai:x:2 gone in mods: no longer offered in this format"));
    m.check_equal("oai_dc");
    CHECK_FALSE(m.view("oai_dc")["oai:x:2"]["deleted"].get<bool>());
    auto mods = m.view("mods");
    CHECK(mods["oai:x:2"]["deleted"].get<bool>());
    CHECK(m.gone_at("oai:x:2", "mods"));
    CHECK_FALSE(mods["oai:x:1"]["deleted"].get<bool>());
}

TEST_CASE("reconcile: the list edited while it runs is caught by the second pass",
          "[integration][reconcile]") {
    Mirror m({.page_size = 2, .response_date = "2026-03-01T00:00:00Z"});
    for (int i = 1; i <= 5; ++i) {
        m.repo.put(record(std::to_string(i), "2026-01-0" + std::to_string(i) + "T00:00:00Z"));
    }
    m.harvest();
    std::size_t lists = 0;
    m.repo.on_list_page([&lists](std::size_t page, ChangingRepository& repo) {
        if (page == 0) {
            ++lists;
        }
        if (lists == 1 && page == 1) {
            // Edits after pass 1 read them: one already listed, one new past its pages.
            auto edited = record("1", "2026-03-01T00:00:05Z");
            edited.titles["oai_dc"] = "DC 1 edited";
            repo.put(edited);
            repo.put(record("0", "2026-03-01T00:00:06Z"));
        }
    });
    auto result = m.reconcile();
    CHECK(lists == 2);
    CHECK(has_line(result,
                   "oai:x:1 updated: the mirror held 2026-01-01T00:00:00Z, the server "
                   "2026-03-01T00:00:05Z"));
    CHECK(has_line(result, "oai:x:0 fetched: missing from the mirror"));
    m.check_equal("oai_dc");
}

TEST_CASE("reconcile: a server error mid-list fails the run and marks nothing gone",
          "[integration][reconcile]") {
    Mirror m({.page_size = 2});
    for (int i = 1; i <= 5; ++i) {
        m.repo.put(record(std::to_string(i), "2026-01-0" + std::to_string(i) + "T00:00:00Z"));
    }
    m.harvest();
    m.repo.remove("oai:x:5");
    auto script = m.repo.script();
    m.h.server.set_script([script](const RequestInfo& request) -> std::optional<Fault> {
        if (request.verb == "ListIdentifiers" && request.args.count("resumptionToken")) {
            return http_status(503);
        }
        return script(request);
    });
    auto result = m.h.run({"reconcile", "sample"});
    CHECK(result.exit_code == 1);
    CHECK(has_line(result, "FAILED"));
    CHECK(has_line(result, m.h.server.base_url()));
    CHECK_FALSE(has_line(result, "gone: no longer listed"));
    CHECK_FALSE(m.gone_at("oai:x:5", "oai_dc"));
    CHECK_FALSE(m.view("oai_dc")["oai:x:5"]["deleted"].get<bool>());
    auto status = m.h.status();
    CHECK(status[0]["last_reconcile"]["outcome"] == "failed");
    CHECK(status[0]["last_run"]["outcome"] == "ok");  // the harvest's state is untouched
}

TEST_CASE("reconcile: an identifier listed twice counts once, as its newest entry",
          "[integration][reconcile]") {
    Mirror m;
    auto newer = record("1", "2026-01-05T00:00:00Z");
    newer.titles["oai_dc"] = "DC 1 newer";
    m.repo.put(newer);
    m.repo.add_duplicate(record("1", "2026-01-01T00:00:00Z"));  // listed after the newer one
    m.repo.put(record("2", "2026-01-02T00:00:00Z"));
    m.harvest();
    auto result = m.reconcile();
    CHECK(has_line(result,
                   "reconciled 2 listed: 0 new, 0 updated, 0 deleted, 0 gone, 0 sets "
                   "corrected, 0 stale"));
    m.check_equal("oai_dc");
}

TEST_CASE("reconcile: one record the server cannot return does not stop the others",
          "[integration][reconcile]") {
    Mirror m;
    m.repo.put(record("1", "2026-01-01T00:00:00Z"));
    m.repo.put(record("4", "2026-01-04T00:00:00Z"));
    m.harvest();
    // Added behind the harvest's back (the mirror lacks them), and one removed.
    m.repo.put(record("2", "2026-01-02T00:00:00Z"));
    m.repo.put(record("3", "2026-01-03T00:00:00Z"));
    m.repo.remove("oai:x:4");
    auto script = m.repo.script();
    m.h.server.set_script([script](const RequestInfo& request) -> std::optional<Fault> {
        auto id = request.args.find("identifier");
        if (request.verb == "GetRecord" && id != request.args.end() && id->second == "oai:x:2") {
            return http_status(500);  // a broken item, as EPrints has them
        }
        return script(request);
    });
    auto result = m.h.run({"reconcile", "sample"});
    CHECK(result.exit_code == 1);  // the run failed: one record could not be fetched
    CHECK(has_line(result, "oai:x:3 fetched: missing from the mirror"));
    CHECK(has_line(result, "oai:x:4 gone: no longer listed"));
    auto view = m.view("oai_dc");
    CHECK(view.contains("oai:x:3"));
    CHECK_FALSE(view.contains("oai:x:2"));
    CHECK(view.at("oai:x:4")["deleted"] == true);
    CHECK(m.h.status()[0]["last_reconcile"]["outcome"] == "failed");
}

TEST_CASE("reconcile: a gone record listed again with an older datestamp comes back",
          "[integration][reconcile]") {
    Mirror m;
    m.repo.put(record("1", "2026-02-01T00:00:00Z"));
    m.repo.put(record("2", "2026-01-02T00:00:00Z"));
    m.harvest();
    m.repo.remove("oai:x:1");
    m.reconcile();
    REQUIRE(m.gone_at("oai:x:1", "oai_dc"));
    // The repository is restored from a backup that held the record as it was in January.
    auto restored = record("1", "2026-01-01T00:00:00Z");
    restored.titles["oai_dc"] = "DC 1 restored";
    m.repo.put(restored);
    m.reconcile();
    m.check_equal("oai_dc");
    CHECK_FALSE(m.gone_at("oai:x:1", "oai_dc"));
    CHECK(m.view("oai_dc").at("oai:x:1")["title"] == "DC 1 restored");
}
