// Sharing one PostgreSQL mirror between harvesters (issue 18): endpoint leases, the harvest
// lock's shared and exclusive modes, the runs a dead holder left, and turns at hosts. Real
// sessions on the tests' PostgreSQL server: a lease is the server's advisory lock, and what is
// tested is that the server holds it, hands it on, and drops it with its session.

#include <unistd.h>

#include <atomic>
#include <catch2/catch.hpp>
#include <chrono>
#include <thread>

#include "store/host_turns.hpp"
#include "store/lease.hpp"
#include "store/lock.hpp"
#include "store/postgres/pq.hpp"
#include "store/store.hpp"
#include "support/backend_fixture.hpp"
#include "support/postgres_server.hpp"
#include "util/time.hpp"

using namespace oaiharvest;
namespace pq = oaiharvest::store::pq;

namespace {

const std::string k_this_process = "oaiharvest pid " + std::to_string(::getpid());

// Waits (polling the server, which is what is being waited for) until a session waits for an
// advisory lock it has not been granted.
bool someone_waits(const std::string& url) {
    auto conn = pq::Connection::open(url);
    for (int i = 0; i < 2000; ++i) {
        auto r = conn.exec(
            "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND "
            "NOT granted");
        if (r.int64(0, 0) > 0) {
            return true;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds{5});
    }
    return false;
}

// Waits until the server has seen a closed session end and dropped its locks: a client's close
// returns before the server has done so. True when the lease is free within 10 s.
bool lapses(store::Store& looking, store::EndpointId id) {
    for (int i = 0; i < 2000; ++i) {
        if (!looking.lease_held_elsewhere(id)) {
            return true;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds{5});
    }
    return false;
}

}  // namespace

TEST_CASE("An endpoint's lease is one session's at a time and names its holder", "[store][lease]") {
    const std::string url = test::postgres().new_database();
    auto first = store::Store::open(url);
    auto second = store::Store::open(url);
    auto a = first->endpoint("a", "http://a.example/oai").id;
    auto b = first->endpoint("b", "http://b.example/oai").id;
    {
        auto lease = store::EndpointLease::take(*first, a);
        REQUIRE(lease);
        auto refused = store::EndpointLease::take(*second, a);
        REQUIRE_FALSE(refused);
        CHECK_THAT(refused.error().who, Catch::StartsWith(k_this_process + " on "));
        CHECK(store::EndpointLease::take(*second, b));  // another endpoint's is free
    }
    CHECK(store::EndpointLease::take(*second, a));  // handed on once released
}

TEST_CASE("A lease lapses when its holder's session ends", "[store][lease]") {
    const std::string url = test::postgres().new_database();
    auto other = store::Store::open(url);
    auto id = other->endpoint("a", "http://a.example/oai").id;
    {
        auto holder = store::Store::open(url);
        REQUIRE_FALSE(holder->try_lease(id));  // taken, and never released: a process killed
        CHECK(other->try_lease(id));
    }
    REQUIRE(lapses(*other, id));
    CHECK_FALSE(other->try_lease(id));
}

TEST_CASE("Runs of an endpoint another session holds are alive, and end with their holder",
          "[store][lease]") {
    test::BackendFixture f(test::Backend::postgres);
    // The fixture's run is begun and 'running'; the lease is held by another session.
    auto holder = f.reopen();
    REQUIRE_FALSE(holder->try_lease(f.endpoint.id));
    CHECK(f.db->lease_held_elsewhere(f.endpoint.id));
    // Still "due now" to a daemon's planning (the daemon then finds the lease held and looks
    // again later): planned from the running run's start instead, an endpoint whose holder is
    // killed before its first page would wait a whole schedule.
    CHECK(f.db->last_run_died(f.endpoint.id));
    CHECK(f.db->mark_runs_died(std::nullopt, 0, false, "gone", util::now_utc()) == 0);
    holder.reset();  // its session ends: the lease lapses
    REQUIRE(lapses(*f.db, f.endpoint.id));
    CHECK(f.db->mark_runs_died(std::nullopt, 0, false, "gone", util::now_utc()) == 1);
}

TEST_CASE("A lease this session holds does not keep it from ending its own dead runs",
          "[store][lease]") {
    test::BackendFixture f(test::Backend::postgres);
    auto lease = store::EndpointLease::take(*f.db, f.endpoint.id);
    REQUIRE(lease);
    CHECK(f.db->mark_runs_died(f.endpoint.id, 0, false, "gone", util::now_utc()) == 1);
}

TEST_CASE("Harvesters share the harvest lock of a PostgreSQL mirror, and copy has it alone",
          "[store][lease][lock]") {
    const std::string url = test::postgres().new_database();
    using store::LockMode;
    {
        auto one = store::HarvestLock::acquire(url, LockMode::shared);
        auto two = store::HarvestLock::acquire(url, LockMode::shared);
        REQUIRE(one);
        REQUIRE(two);
        auto copy = store::HarvestLock::acquire(url, LockMode::exclusive);
        REQUIRE_FALSE(copy);
        CHECK(copy.error().holder == ::getpid());
    }
    auto copy = store::HarvestLock::acquire(url, LockMode::exclusive);
    REQUIRE(copy);
    CHECK_FALSE(store::HarvestLock::acquire(url, LockMode::shared));
}

TEST_CASE("A SQLite mirror has one harvester, whatever mode is asked", "[store][lease][lock]") {
    test::EmptyDatabase db(test::Backend::sqlite);
    auto one = store::HarvestLock::acquire(db.database(), store::LockMode::shared);
    REQUIRE(one);
    CHECK_FALSE(store::HarvestLock::acquire(db.database(), store::LockMode::shared));
}

TEST_CASE("Turns at a host: one holder at a time, the next waits in the server's queue",
          "[store][lease][turns]") {
    const std::string url = test::postgres().new_database();
    std::atomic<bool> stop{false};
    auto first = store::open_shared_host_turns(url, &stop);
    auto second = store::open_shared_host_turns(url, &stop);
    REQUIRE(first);
    REQUIRE(second);
    REQUIRE(first->take("repo.example.org"));
    CHECK(second->take("other.example.org"));  // another host goes on meanwhile
    second->give_back("other.example.org");

    std::atomic<bool> got{false};
    std::thread waiter([&] {
        got = second->take("repo.example.org");
        second->give_back("repo.example.org");
    });
    REQUIRE(someone_waits(url));
    CHECK_FALSE(got.load());
    first->give_back("repo.example.org");
    waiter.join();
    CHECK(got.load());
}

TEST_CASE("A stop ends a wait for a turn, holding nothing", "[store][lease][turns]") {
    const std::string url = test::postgres().new_database();
    std::atomic<bool> stop{false};
    auto first = store::open_shared_host_turns(url, nullptr);
    auto second = store::open_shared_host_turns(url, &stop);
    REQUIRE(first->take("repo.example.org"));
    bool got = true;
    std::thread waiter([&] { got = second->take("repo.example.org"); });
    REQUIRE(someone_waits(url));
    stop = true;
    waiter.join();
    CHECK_FALSE(got);
    first->give_back("repo.example.org");
    auto third = store::open_shared_host_turns(url, nullptr);
    CHECK(third->take("repo.example.org"));  // the stopped waiter holds nothing
}

TEST_CASE("A SQLite mirror keeps no shared turns", "[store][lease][turns]") {
    test::EmptyDatabase db(test::Backend::sqlite);
    CHECK(store::open_shared_host_turns(db.database(), nullptr) == nullptr);
}
