// `oaiharvest reconcile` from the command line and the daemon: endpoint selection, the lock,
// and the `reconcile` schedule.

#include <unistd.h>

#include "reconcile_fixture.hpp"
#include "store/lock.hpp"

using namespace oaiharvest;
using namespace oaiharvest::testing;
using namespace oaiharvest::test::reconcile;

TEST_CASE("reconcile: the daemon runs an endpoint's reconcile schedule after its harvest",
          "[integration][reconcile][daemon]") {
    Mirror m({.deleted_record = "no"}, {"oai_dc"}, {},
             "schedule = \"@every 1h\"\nreconcile = \"@every 1h\"\n");
    m.repo.put(record("1", "2026-01-01T00:00:00Z"));
    m.repo.put(record("2", "2026-01-02T00:00:00Z"));
    int lists = 0;
    m.repo.on_list_page([&lists](std::size_t page, ChangingRepository& repo) {
        // Once the harvest has read its list: a removal only a reconcile can find.
        if (page == 0 && ++lists == 2) {
            repo.remove("oai:x:2");
        }
    });
    // Never harvested nor reconciled: both are due, and run one after the other.
    auto first = m.h.run({"daemon", "--once"});
    INFO(first.err);
    REQUIRE(first.exit_code == 0);
    auto harvested = first.err.find("sample oai_dc: 2 new");
    auto reconciled = first.err.find(
        "sample oai_dc: reconciled 1 listed: 0 new, 0 updated, "
        "0 deleted, 1 gone");
    REQUIRE(harvested != std::string::npos);
    REQUIRE(reconciled != std::string::npos);
    CHECK(harvested < reconciled);
    m.repo.on_list_page(nullptr);
    m.check_equal("oai_dc");
    auto status = m.h.status();
    CHECK(status[0]["last_run"]["outcome"] == "ok");
    CHECK(status[0]["last_reconcile"]["outcome"] == "ok");
    CHECK(status[0]["last_reconcile"]["started_at"].get<std::string>() >=
          status[0]["last_run"]["finished_at"].get<std::string>());

    // Neither is due again within the hour.
    CHECK(has_line(m.h.run({"daemon", "--once"}), "0 of 1 scheduled endpoints due"));
}

TEST_CASE("reconcile: the daemon reconciles an endpoint that has only a reconcile schedule",
          "[integration][reconcile][daemon]") {
    Mirror later({.deleted_record = "no"}, {"oai_dc"}, {}, "reconcile = \"@every 1h\"\n");
    later.repo.put(record("1", "2026-01-01T00:00:00Z"));
    later.repo.put(record("2", "2026-01-02T00:00:00Z"));
    later.harvest();
    later.repo.remove("oai:x:2");
    auto second = later.h.run({"daemon", "--once"});
    INFO(second.err);
    CHECK(second.exit_code == 0);
    CHECK(has_line(second, "oai:x:2 gone: no longer listed"));
    CHECK_FALSE(has_line(second, "pages,"));  // no harvest summary: its harvest is not scheduled
    later.check_equal("oai_dc");
}

TEST_CASE("reconcile: endpoints are chosen as for harvest, under the harvest lock",
          "[integration][reconcile]") {
    Mirror m;
    auto unknown = m.h.run({"reconcile", "nosuch"});
    CHECK(unknown.exit_code == 2);
    CHECK(has_line(unknown, "no endpoint named \"nosuch\""));
    auto both = m.h.run({"reconcile", "sample", "--url", m.h.server.base_url()});
    CHECK(both.exit_code == 2);
    // --url with the name it was harvested under.
    m.repo.put(record("1", "2026-01-01T00:00:00Z"));
    REQUIRE(m.h.run({"harvest", "--url", m.h.server.base_url(), "--name", "other", "--prefix",
                     "oai_dc"})
                .exit_code == 0);
    m.repo.remove("oai:x:1");
    auto by_url = m.h.run({"reconcile", "--url", m.h.server.base_url(), "--name", "other"});
    CHECK(by_url.exit_code == 0);
    CHECK(has_line(by_url, "other oai_dc: oai:x:1 gone: no longer listed"));

    // Another process holding the lock: exit 3, no request.
    const auto requests = m.h.server.request_count();
    auto lock = store::HarvestLock::acquire(m.h.db);
    REQUIRE(lock);
    auto locked = m.h.run({"reconcile", "sample"});
    CHECK(locked.exit_code == 3);
    CHECK(has_line(locked, "pid " + std::to_string(::getpid())));
    CHECK(m.h.server.request_count() == requests);
}

TEST_CASE("reconcile: a reconcile does not put off the daemon's next harvest",
          "[integration][reconcile][daemon]") {
    Mirror m({}, {"oai_dc"}, {}, "schedule = \"@every 1h\"\n");
    m.repo.put(record("1", "2026-01-01T00:00:00Z"));
    m.harvest();
    m.execute("UPDATE harvest_runs SET started_at = '2026-01-01T00:00:00Z'");  // 2 h ago, say
    m.reconcile();
    auto result = m.h.run({"daemon", "--once"});
    INFO(result.err);
    CHECK(has_line(result, "1 of 1 scheduled endpoints due"));
    CHECK(has_line(result, "sample oai_dc: 0 new, 0 updated"));
}
