// SIGTERM and SIGINT stop the real binary at once, wherever it is: in a download, in a retry
// wait, in a Retry-After pause. The run is recorded interrupted and no request follows the signal.

#include <catch2/catch.hpp>
#include <chrono>
#include <condition_variable>
#include <csignal>
#include <mutex>
#include <thread>

#include "harness.hpp"

using namespace oaiharvest;
using namespace std::chrono_literals;
using test::Harness;

namespace {

constexpr auto k_generous = 10s;    // for the child to get somewhere, on a loaded machine
constexpr auto k_stop_within = 2s;  // the contract

// Tells the test when the server has received the first ListRecords request, and answers it
// with `fault`; later ListRecords requests (there must be none) are answered normally.
class FirstListRequest {
public:
    testing::Script script(testing::Fault fault) {
        return [this, fault](const testing::RequestInfo& r) -> std::optional<testing::Fault> {
            if (r.verb != "ListRecords") {
                return std::nullopt;
            }
            std::lock_guard lock(m_mutex);
            if (m_seen) {
                return std::nullopt;
            }
            m_seen = true;
            m_arrived.notify_all();
            return fault;
        };
    }
    bool wait(std::chrono::milliseconds timeout) {
        std::unique_lock lock(m_mutex);
        return m_arrived.wait_for(lock, timeout, [&] { return m_seen; });
    }

private:
    std::mutex m_mutex;
    std::condition_variable m_arrived;
    bool m_seen = false;
};

struct Stopped {
    test::ProcessResult result;
    std::chrono::milliseconds elapsed;
};

// Sends the signals and waits for the child. A child that does not stop would wait for the held
// response forever: the watchdog lets it go after k_generous, so the test fails instead of
// hanging.
Stopped stop(Harness& h, test::BackgroundProcess& child, std::vector<int> signals) {
    auto sent = std::chrono::steady_clock::now();
    for (int sig : signals) {
        child.signal(sig);
    }
    std::atomic<bool> ended{false};
    std::jthread watchdog([&](std::stop_token token) {
        std::mutex m;
        std::condition_variable_any cv;
        std::unique_lock lock(m);
        cv.wait_for(lock, token, k_generous, [] { return false; });
        if (!ended) {
            h.server.release("stop");
        }
    });
    auto result = child.wait();
    auto elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(
        std::chrono::steady_clock::now() - sent);
    ended = true;
    watchdog.request_stop();
    return {std::move(result), elapsed};
}

void require_interrupted(const Harness& h, const Stopped& stopped, std::size_t requests_before) {
    INFO(stopped.result.err);
    CHECK(stopped.result.signal == 0);
    CHECK(stopped.result.exit_code == 1);
    CHECK(stopped.elapsed < k_stop_within);
    CHECK(h.server.request_count() == requests_before);  // nothing asked after the signal
    auto status = h.status();
    REQUIRE(status.size() == 1);
    CHECK(status[0]["last_run"]["outcome"] == "interrupted");
}

}  // namespace

TEST_CASE(
    "A signal during a download ends the run within 2 s, interrupted, with no further request",
    "[integration][stop]") {
    Harness h;
    h.use_config("[http]\nrequest_interval = \"0s\"\n");
    std::size_t after_bytes = 0;
    std::vector<int> signals;
    SECTION("SIGTERM before the response head") {
        signals = {SIGTERM};
    }
    SECTION("SIGINT before the response head") {
        signals = {SIGINT};
    }
    SECTION("SIGTERM mid-body") {
        signals = {SIGTERM};
        after_bytes = 3'000;
    }
    SECTION("SIGTERM twice, as timeout sends it to the process and then to its group") {
        signals = {SIGTERM, SIGTERM};
    }
    SECTION("SIGINT then SIGTERM") {
        signals = {SIGINT, SIGTERM};
    }
    FirstListRequest first;
    h.server.set_script(first.script(testing::Hold{"stop", after_bytes}));
    auto child = h.start_harvest({"--prefix", "mets"});
    REQUIRE(h.server.wait_for_hold("stop", k_generous));
    const std::size_t requests = h.server.request_count();
    auto stopped = stop(h, *child, signals);
    h.server.release("stop");
    require_interrupted(h, stopped, requests);
    CHECK(h.status()[0]["records"] == 0);  // the page being read was never committed
}

TEST_CASE("A signal during a retry wait ends the run within 2 s, interrupted, with no retry",
          "[integration][stop]") {
    Harness h;
    h.use_config("[http]\nrequest_interval = \"0s\"\nretries = 5\n");
    testing::Fault fault;
    SECTION("a Retry-After pause") {
        fault = testing::http_status(503, "30");
    }
    SECTION("a backoff wait") {
        fault = testing::http_status(503);
    }
    FirstListRequest first;
    h.server.set_script(first.script(fault));
    auto child = h.start_harvest({"--prefix", "mets"});
    REQUIRE(first.wait(k_generous));
    // The 503 is a few bytes: the signal lands as the child reads it or, mostly, in the wait
    // that follows. Either way nothing may be asked again.
    const std::size_t requests = h.server.request_count();
    auto stopped = stop(h, *child, {SIGTERM});
    require_interrupted(h, stopped, requests);
}

TEST_CASE("A signal between pages lets the committed pages stay and the next harvest resume",
          "[integration][stop]") {
    sample::ProviderOptions provider;
    Harness h({}, provider);
    h.use_config("[http]\nrequest_interval = \"0s\"\n");
    // Held before the second page's head: the first page is committed (or committing).
    h.server.set_script([](const testing::RequestInfo& r) -> std::optional<testing::Fault> {
        if (r.verb == "ListRecords" && r.args.count("resumptionToken") > 0) {
            return testing::Hold{"stop", 0};
        }
        return std::nullopt;
    });
    auto child = h.start_harvest({"--prefix", "mets"});
    REQUIRE(h.server.wait_for_hold("stop", k_generous));
    const std::size_t requests = h.server.request_count();
    auto stopped = stop(h, *child, {SIGTERM});
    h.server.release("stop");
    require_interrupted(h, stopped, requests);
    CHECK(h.status()[0]["records"] == 100);
    CHECK(h.status()[0]["pending_token"].is_string());

    h.server.set_script(nullptr);
    REQUIRE(h.harvest({"--prefix", "mets"}).exit_code == 0);
    CHECK(h.exported().size() == 300);
}
