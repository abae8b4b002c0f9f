// scheduler::Loop::run on a fake clock: due times, the parallel limit, one run per job, the
// harvest before the reconcile, backoff, stop.

#include <catch2/catch.hpp>

#include "fake_world.hpp"

using namespace oaiharvest::scheduler;
using namespace oaiharvest::scheduler::testing;
using namespace std::chrono_literals;
using Outcome = FakeLauncher::Outcome;

TEST_CASE("a job that never ran starts at once, then at each interval from its last start",
          "[scheduler][loop]") {
    World world;
    world.loop.reload({{job("a", "@every 1h")}, 1});
    world.run_until(t0 + 3h + 30min);
    CHECK(world.launcher.starts_of("a", RunKind::harvest) ==
          std::vector<TimePoint>{t0, t0 + 1h, t0 + 2h, t0 + 3h});
}

TEST_CASE("a job waits for the due time its history gives, and the wait is one sleep",
          "[scheduler][loop]") {
    World world(24h);  // a poll longer than any wait here: only due times end a wait
    world.history.last[{"a", RunKind::harvest}] = t0 - 30min;
    world.history.last[{"b", RunKind::harvest}] = t0 - 2h;  // its time passed while down
    world.loop.reload({{job("a", "@every 1h"), job("b", "@every 1h")}, 2});

    auto planned = world.history.latest("a", RunKind::harvest);
    REQUIRE(planned);
    CHECK(planned->due == t0 + 30min);
    CHECK(planned->why == Why::from_history);

    world.run_until(t0 + 31min);
    CHECK(world.launcher.starts_of("a", RunKind::harvest) == std::vector<TimePoint>{t0 + 30min});
    CHECK(world.launcher.starts_of("b", RunKind::harvest) == std::vector<TimePoint>{t0});
    REQUIRE_FALSE(world.clock.sleeps().empty());
    CHECK(world.clock.sleeps().front() == 30min);
}

TEST_CASE("no more than `parallel` runs go at once, the others start as places free",
          "[scheduler][loop]") {
    World world;
    for (const char* name : {"a", "b", "c"}) {
        world.launcher.script(name, {{10min, true, true}});
    }
    world.loop.reload({{job("a", "@every 1d"), job("b", "@every 1d"), job("c", "@every 1d")}, 2});
    world.run_until(t0 + 30min);
    CHECK(world.launcher.most_at_once == 2);
    REQUIRE(world.launcher.started.size() == 3);
    CHECK(world.launcher.started[0].at == t0);
    CHECK(world.launcher.started[1].at == t0);
    CHECK(world.launcher.started[2].at == t0 + 10min);
}

TEST_CASE("a job waiting for a free place does not make the loop spin", "[scheduler][loop]") {
    World world;
    world.launcher.script("a", {{1h, true, true}});
    world.loop.reload({{job("a", "@every 1d"), job("b", "@every 1d")}, 1});
    world.run_until(t0 + 2h);
    CHECK(world.launcher.starts_of("b", RunKind::harvest) == std::vector<TimePoint>{t0 + 1h});
    const auto sleeps = world.clock.sleeps();
    CHECK(std::all_of(sleeps.begin(), sleeps.end(), [](auto s) { return s > 0ms; }));
    CHECK(sleeps.size() <= 2 * 3600 + 10);  // about one per poll
}

TEST_CASE("a job's runs never overlap: a run longer than the interval delays the next",
          "[scheduler][loop]") {
    World world;
    world.launcher.script("a", {{5min, true, true}, {5min, true, true}, {5min, true, true}});
    world.loop.reload({{job("a", "@every 1m")}, 4});
    world.run_until(t0 + 12min);
    CHECK(world.launcher.overlaps == 0);
    CHECK(world.launcher.most_at_once == 1);
    CHECK(world.launcher.starts_of("a", RunKind::harvest) ==
          std::vector<TimePoint>{t0, t0 + 5min, t0 + 10min});
}

TEST_CASE("a harvest and a reconcile due together run one after the other, harvest first",
          "[scheduler][loop]") {
    World world;
    world.loop.reload({{job("a", "@every 1d", "@every 7d")}, 2});
    world.run_until(t0 + 5min);
    CHECK(world.launcher.overlaps == 0);
    CHECK(world.launcher.started == std::vector<FakeLauncher::Started>{
                                        {"a", RunKind::harvest, t0},
                                        {"a", RunKind::reconcile, t0 + 1min},
                                    });
}

TEST_CASE("a failed run is retried after 1, 2, 4 min, and on schedule once it succeeds",
          "[scheduler][loop]") {
    World world;
    world.launcher.script(
        "a", {{1min, false, true}, {1min, false, true}, {1min, false, true}, {1min, true, true}});
    world.loop.reload({{job("a", "@every 1d")}, 1});
    world.run_until(t0 + 15min);
    CHECK(world.launcher.starts_of("a", RunKind::harvest) ==
          std::vector<TimePoint>{t0, t0 + 2min, t0 + 5min, t0 + 10min});
    auto planned = world.history.latest("a", RunKind::harvest);
    REQUIRE(planned);
    // Planned at the loop's stop, after the success: nothing more.
    CHECK_FALSE(planned->due);
    const auto& log = world.history.log;
    auto success = std::find_if(log.begin(), log.end(),
                                [](const auto& p) { return p.why == Why::after_success; });
    REQUIRE(success != log.end());
    CHECK(success->due == t0 + 10min + 24h);
}

TEST_CASE("the backoff never waits past the schedule's own next time", "[scheduler][loop]") {
    World world;
    world.launcher.script(
        "a", {{1min, false, true}, {1min, false, true}, {1min, false, true}, {1min, false, true}});
    world.loop.reload({{job("a", "@every 3m")}, 1});
    world.run_until(t0 + 9min);
    // The third retry would wait 4 min; the schedule runs it 3 min after the last start.
    CHECK(world.launcher.starts_of("a", RunKind::harvest) ==
          std::vector<TimePoint>{t0, t0 + 2min, t0 + 5min, t0 + 8min});
}

TEST_CASE("a run that cannot start counts as failed and is retried", "[scheduler][loop]") {
    World world;
    world.launcher.script("a", {{1min, true, false}});
    world.loop.reload({{job("a", "@every 1d")}, 1});
    world.run_until(t0 + 2min);
    CHECK(world.launcher.starts_of("a", RunKind::harvest) == std::vector<TimePoint>{t0, t0 + 1min});
    CHECK(world.loop.running() == 0);
}

TEST_CASE("a stop asks the running runs to stop and returns once they have ended",
          "[scheduler][loop]") {
    World world;
    world.launcher.script("a", {{1h, true, true}});
    world.launcher.script("b", {{10min, true, true}});
    world.loop.reload({{job("a", "@every 1d"), job("b", "@every 1d")}, 2});
    world.run_until(t0 + 20min);
    CHECK(world.launcher.stop_requests == 1);
    CHECK_FALSE(world.launcher.running("a"));
    CHECK(world.loop.running() == 0);
    CHECK(world.clock.now() == t0 + 20min + world.launcher.stop_takes);
    CHECK(world.launcher.started.size() == 2);  // nothing started after the stop
    for (const char* name : {"a", "b"}) {
        auto planned = world.history.latest(name, RunKind::harvest);
        REQUIRE(planned);
        CHECK_FALSE(planned->due);
        CHECK(planned->why == Why::none);
    }
}

TEST_CASE("a stop with nothing running returns at once", "[scheduler][loop]") {
    World world;
    world.history.last[{"a", RunKind::harvest}] = t0;
    world.loop.reload({{job("a", "@every 1d")}, 1});
    world.stop = true;
    world.loop.run(world.stop);
    CHECK(world.launcher.stop_requests == 0);
    CHECK(world.launcher.started.empty());
    CHECK(world.clock.now() == t0);
}
