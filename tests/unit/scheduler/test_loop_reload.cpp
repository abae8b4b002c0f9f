// scheduler::Loop on a fake clock: reloading a plan while runs go on, and run_once.

#include <catch2/catch.hpp>

#include "fake_world.hpp"

using namespace oaiharvest::scheduler;
using namespace oaiharvest::scheduler::testing;
using namespace std::chrono_literals;
using Outcome = FakeLauncher::Outcome;

TEST_CASE("a reload that removes a running job lets its run end, then drops the job",
          "[scheduler][loop][reload]") {
    World world;
    world.launcher.script("a", {{10min, true, true}});
    world.loop.reload({{job("a", "@every 1m"), job("b", "@every 1d")}, 2});
    Changes changes;
    world.run_until(t0 + 30min, World::at(
                                    t0 + 1min,
                                    [&] {
                                        changes = world.loop.reload({{job("b", "@every 1d")}, 2});
                                        CHECK(world.launcher.running("a"));
                                    },
                                    world.clock));
    CHECK(changes.removed == 1);
    CHECK(changes.added == 0);
    CHECK(world.launcher.stop_requests == 0);  // neither the reload nor the end stopped it
    CHECK(world.launcher.starts_of("a", RunKind::harvest) == std::vector<TimePoint>{t0});
    CHECK(world.loop.jobs() == 1);
    auto& log = world.history.log;
    auto removed = std::find_if(log.begin(), log.end(), [](const auto& p) {
        return p.name == "a" && p.kind == RunKind::harvest && p.why == Why::none;
    });
    REQUIRE(removed != log.end());
}

TEST_CASE("a reload that changes a running job's schedule replans it once its run ends",
          "[scheduler][loop][reload]") {
    World world;
    world.launcher.script("a", {{10min, true, true}});
    world.loop.reload({{job("a", "@every 1h")}, 1});
    Changes changes;
    world.run_until(t0 + 3h, World::at(
                                 t0 + 1min,
                                 [&] {
                                     changes = world.loop.reload({{job("a", "@every 2h")}, 1});
                                     CHECK(world.launcher.running("a"));
                                 },
                                 world.clock));
    CHECK(changes.changed == 1);
    // Its run went on; the next comes 2 h after its start, not 1 h.
    CHECK(world.launcher.starts_of("a", RunKind::harvest) == std::vector<TimePoint>{t0, t0 + 2h});
}

TEST_CASE("a reload that adds a reconcile schedule during a harvest plans the reconcile",
          "[scheduler][loop][reload]") {
    World world;
    world.launcher.script("a", {{10min, true, true}});
    world.loop.reload({{job("a", "@every 1d")}, 1});
    world.run_until(t0 + 30min,
                    World::at(
                        t0 + 1min,
                        [&] {
                            world.loop.reload({{job("a", "@every 1d", "@every 7d")}, 1});
                        },
                        world.clock));
    CHECK(world.launcher.started == std::vector<FakeLauncher::Started>{
                                        {"a", RunKind::harvest, t0},
                                        {"a", RunKind::reconcile, t0 + 10min},
                                    });
}

TEST_CASE("a reload keeps an unchanged job's due time and backoff, and starts a new job",
          "[scheduler][loop][reload]") {
    World world;
    world.launcher.script("a", {{1min, false, true}});  // retried at t0 + 2 min
    world.loop.reload({{job("a", "@every 1h")}, 2});
    Changes changes;
    world.run_until(
        t0 + 5min,
        World::at(
            t0 + 90s,
            [&] {
                changes = world.loop.reload({{job("a", "@every 1h"), job("b", "@every 1h")}, 2});
            },
            world.clock));
    CHECK(changes.added == 1);
    CHECK(changes.changed == 0);
    CHECK(changes.removed == 0);
    CHECK(world.launcher.starts_of("a", RunKind::harvest) == std::vector<TimePoint>{t0, t0 + 2min});
    CHECK(world.launcher.starts_of("b", RunKind::harvest) == std::vector<TimePoint>{t0 + 90s});
}

TEST_CASE("a reload that changes a job's settings replans it from its history",
          "[scheduler][loop][reload]") {
    World world;
    world.launcher.script("a", {{1min, false, true}});  // a backoff retry would be t0 + 2 min
    world.loop.reload({{job("a", "@every 1h", "", "url = x")}, 1});
    Changes changes;
    world.run_until(
        t0 + 90min,
        World::at(
            t0 + 90s,
            [&] {
                changes = world.loop.reload({{job("a", "@every 1h", "", "url = y")}, 1});
            },
            world.clock));
    CHECK(changes.changed == 1);
    // Replanned from its last start (t0), the backoff forgotten.
    CHECK(world.launcher.starts_of("a", RunKind::harvest) == std::vector<TimePoint>{t0, t0 + 1h});
}

TEST_CASE("run_once runs each due harvest and reconcile once, then returns",
          "[scheduler][loop][once]") {
    World world;
    world.history.last[{"b", RunKind::harvest}] = t0 - 30min;  // due in 30 min: not run
    world.loop.reload(
        {{job("a", "@every 1m"), job("b", "@every 1h"), job("c", "@every 1d", "@every 7d")}, 1});
    CHECK(world.loop.due_now() == 2);
    CHECK(world.loop.run_once(world.stop));
    CHECK(world.launcher.started == std::vector<FakeLauncher::Started>{
                                        {"a", RunKind::harvest, t0},
                                        {"c", RunKind::harvest, t0 + 1min},
                                        {"c", RunKind::reconcile, t0 + 2min},
                                    });
    CHECK(world.loop.running() == 0);
    CHECK(world.clock.now() == t0 + 3min);  // it returned when the last run ended
}

TEST_CASE("run_once returns false when a run failed or could not start",
          "[scheduler][loop][once]") {
    World world;
    SECTION("failed") {
        world.launcher.script("b", {{1min, false, true}});
    }
    SECTION("could not start") {
        world.launcher.script("b", {{1min, true, false}});
    }
    world.loop.reload({{job("a", "@every 1d"), job("b", "@every 1d")}, 2});
    CHECK_FALSE(world.loop.run_once(world.stop));
    CHECK(world.launcher.started.size() == 2);  // the failure is not retried
}

TEST_CASE("run_once stopped before every due run started returns false",
          "[scheduler][loop][once]") {
    World world;
    world.launcher.script("a", {{1h, true, true}});  // b waits for its place meanwhile
    world.clock.on_sleep([&] {
        if (world.clock.now() >= t0 + 10min) {
            world.stop = true;
        }
    });
    world.loop.reload({{job("a", "@every 1d"), job("b", "@every 1d")}, 1});
    CHECK_FALSE(world.loop.run_once(world.stop));
    CHECK(world.launcher.stop_requests == 1);
    CHECK(world.loop.running() == 0);
    CHECK(world.clock.now() == t0 + 10min + world.launcher.stop_takes);
    CHECK(world.launcher.starts_of("b", RunKind::harvest).empty());
}
