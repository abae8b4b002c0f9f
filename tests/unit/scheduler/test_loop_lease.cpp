// scheduler::Loop when another harvester holds a job (several daemons sharing a PostgreSQL
// mirror, store/lease.hpp): the job is looked at again after lease_recheck, planned from the
// history the holder left, and a held run is neither a success nor a failure.

#include <catch2/catch.hpp>

#include "fake_world.hpp"

using namespace oaiharvest::scheduler;
using namespace oaiharvest::scheduler::testing;
using namespace std::chrono_literals;
using Outcome = FakeLauncher::Outcome;

namespace {

bool any_planned(const FakeHistory& history, Why why) {
    return std::any_of(history.log.begin(), history.log.end(),
                       [why](const auto& p) { return p.why == why; });
}

// The last due time planned for the job's harvests before the loop stopped (which plans none).
std::optional<FakeHistory::Planned> last_plan(const FakeHistory& history, const std::string& name) {
    for (auto it = history.log.rbegin(); it != history.log.rend(); ++it) {
        if (it->name == name && it->kind == RunKind::harvest && it->why != Why::none) {
            return *it;
        }
    }
    return std::nullopt;
}

}  // namespace

TEST_CASE("a job another harvester holds is looked at again after lease_recheck, not as a failure",
          "[scheduler][loop][lease]") {
    World world;
    world.launcher.script("a", {{1s, false, true, true}, {1s, false, true, true}});
    world.loop.reload({{job("a", "@every 1h")}, 1, 30s});
    world.run_until(t0 + 5min);
    // Held at t0 and at t0 + 31 s (each "run" ends a second later, and is reaped then); the
    // third look finds it free. Failures would have backed off instead (retry_due).
    CHECK(world.launcher.starts_of("a", RunKind::harvest) ==
          std::vector<TimePoint>{t0, t0 + 31s, t0 + 62s});
    CHECK(any_planned(world.history, Why::held_elsewhere));
    CHECK_FALSE(any_planned(world.history, Why::after_failure));
    auto last = last_plan(world.history, "a");
    REQUIRE(last);
    CHECK(last->why == Why::after_success);
    CHECK(last->due == t0 + 62s + 1h);
}

TEST_CASE("a job the holder harvested meanwhile waits for its schedule from the holder's run",
          "[scheduler][loop][lease]") {
    World world;
    world.launcher.script("a", {{1s, false, true, true}});
    world.loop.reload({{job("a", "@every 1h")}, 1, 30s});
    // The other harvester's run of it, as the store would show it to this daemon.
    auto holder_runs = World::at(
        t0 + 10s,
        [&] {
            world.history.last[{"a", RunKind::harvest}] = t0 + 5s;
        },
        world.clock);
    world.run_until(t0 + 2h, holder_runs);
    CHECK(world.launcher.starts_of("a", RunKind::harvest) ==
          std::vector<TimePoint>{t0, t0 + 1h + 5s});
}

TEST_CASE("a held job keeps the other jobs going: its place is free at once",
          "[scheduler][loop][lease]") {
    World world;
    world.launcher.script("a", {{1s, false, true, true}});
    world.launcher.script("b", {{10min, true, true}});
    world.loop.reload({{job("a", "@every 1d"), job("b", "@every 1d")}, 1, 1h});
    world.run_until(t0 + 5min);
    CHECK(world.launcher.starts_of("b", RunKind::harvest) == std::vector<TimePoint>{t0 + 1s});
}

TEST_CASE("run_once counts a job another harvester holds as done by that harvester",
          "[scheduler][loop][lease]") {
    World world;
    world.launcher.script("a", {{1s, false, true, true}});
    world.loop.reload({{job("a", "@every 1h"), job("b", "@every 1h")}, 2, 30s});
    CHECK(world.loop.run_once(world.stop));
    CHECK(world.launcher.starts_of("a", RunKind::harvest).size() == 1);
    CHECK(world.launcher.starts_of("b", RunKind::harvest).size() == 1);
}

TEST_CASE("a failing job is still backed off after it was once held elsewhere",
          "[scheduler][loop][lease]") {
    World world;
    world.launcher.script("a", {{1s, false, true, true}, {1min, false, true}});
    world.loop.reload({{job("a", "@every 1h")}, 1, 30s});
    world.run_until(t0 + 3min);
    auto last = last_plan(world.history, "a");
    REQUIRE(last);
    CHECK(last->why == Why::after_failure);
}
