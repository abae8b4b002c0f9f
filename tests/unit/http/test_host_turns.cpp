// http::TurnTakingFetcher: the host's turn is held from before a request until the request
// interval after it, however the exchange ends (docs/scaling.md: politeness across machines).

#include <catch2/catch.hpp>
#include <stdexcept>
#include <string>
#include <vector>

#include "http/host_turns.hpp"
#include "support/fake_clock.hpp"
#include "util/time.hpp"

using namespace oaiharvest;
using namespace std::chrono_literals;

namespace {

// What happened, in order, as one list: "take host", "get URL", "sleep N", "give host".
using Events = std::vector<std::string>;

class RecordingTurns final : public http::HostTurns {
public:
    explicit RecordingTurns(Events& events) : m_events(events) {}
    bool take(const std::string& host) override {
        m_events.push_back("take " + host);
        return granted;
    }
    void give_back(const std::string& host) noexcept override {
        m_events.push_back("give " + host);
    }
    bool granted = true;

private:
    Events& m_events;
};

class RecordingFetcher final : public http::Fetcher {
public:
    explicit RecordingFetcher(Events& events) : m_events(events) {}
    using http::Fetcher::get;
    std::expected<http::Completed, http::TransportFailure> get(const std::string& url,
                                                               http::BodySink&,
                                                               const http::Conditions&) override {
        m_events.push_back("get " + url);
        if (throws) {
            throw std::runtime_error("the sink refused the page");
        }
        return http::Completed{};
    }
    bool throws = false;

private:
    Events& m_events;
};

class Discard final : public http::BodySink {
public:
    void on_head(const http::ResponseHead&) override {}
    void on_body(std::string_view) override {}
};

struct World {
    Events events;
    test::FakeClock clock{util::parse_utc("2026-06-03T10:00:00Z").value()};
    RecordingTurns turns{events};
    RecordingFetcher inner{events};
    http::TurnTakingFetcher fetcher{inner, turns, clock, 250ms};
    Discard sink;

    World() {
        clock.on_sleep([this] { events.push_back("slept"); });
    }
};

}  // namespace

TEST_CASE("A request is made in the host's turn, which is held through the interval after it",
          "[http][turns]") {
    World w;
    REQUIRE(w.fetcher.get("http://Repo.Example.org:8080/cgi/oai2?verb=Identify", w.sink));
    CHECK(w.events == Events{"take repo.example.org",
                             "get http://Repo.Example.org:8080/cgi/oai2?verb=Identify", "slept",
                             "give repo.example.org"});
    CHECK(w.clock.sleeps() == std::vector<std::chrono::milliseconds>{250ms});
}

TEST_CASE("The interval is kept after an exchange whose sink threw", "[http][turns]") {
    World w;
    w.inner.throws = true;
    CHECK_THROWS_WITH(w.fetcher.get("http://repo.example.org/oai", w.sink),
                      "the sink refused the page");
    CHECK(w.events == Events{"take repo.example.org", "get http://repo.example.org/oai", "slept",
                             "give repo.example.org"});
}

TEST_CASE("A stop while waiting for a turn fails the request without making it", "[http][turns]") {
    World w;
    w.turns.granted = false;
    auto result = w.fetcher.get("http://repo.example.org/oai", w.sink);
    REQUIRE_FALSE(result);
    CHECK(result.error().message == "stopped while waiting for a turn at repo.example.org");
    CHECK(w.events == Events{"take repo.example.org"});
}
