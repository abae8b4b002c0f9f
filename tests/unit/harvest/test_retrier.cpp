#include <catch2/catch.hpp>

#include "harvest/exchange.hpp"
#include "support/fake_clock.hpp"

using namespace oaiharvest;
using namespace std::chrono_literals;
using harvest::detail::Exchange;
using harvest::detail::Failure;
using harvest::detail::Retrier;
using test::FakeClock;

namespace {

const util::UtcTime k_start = *util::parse_utc("2026-06-03T10:00:00Z");

harvest::RetryPolicy policy(int retries) {
    harvest::RetryPolicy p;
    p.retries = retries;
    p.first_delay = 2'000ms;
    p.max_delay = 60'000ms;
    p.max_retry_after = 3'600'000ms;
    return p;
}

// An attempt that fails `failures` times with `failure`, then succeeds; counts its calls.
struct Script {
    int failures;
    Failure failure;
    int calls = 0;
    std::expected<Exchange, Failure> operator()() {
        return ++calls <= failures ? std::expected<Exchange, Failure>(std::unexpected(failure))
                                   : std::expected<Exchange, Failure>(Exchange{});
    }
};

Failure retriable(std::optional<std::string> retry_after = std::nullopt) {
    return Failure{true, "HTTP 503 from http://x/oai", std::move(retry_after), 503};
}

}  // namespace

TEST_CASE("Retries back off exponentially with jitter between half and all of the step",
          "[unit][harvest][retrier]") {
    FakeClock clock(k_start);
    Retrier retrier(clock, policy(5));
    Script attempt{4, retriable()};
    std::int64_t retries = 0;
    auto result = retrier.run([&] { return attempt(); }, retries);
    REQUIRE(result.has_value());
    CHECK(attempt.calls == 5);
    CHECK(retries == 4);
    auto sleeps = clock.sleeps();
    REQUIRE(sleeps.size() == 4);
    for (std::size_t i = 0; i < sleeps.size(); ++i) {
        auto step = 2'000ms * (1 << i);
        INFO("retry " << i + 1 << " waited " << sleeps[i].count() << " ms");
        CHECK(sleeps[i] >= step / 2);
        CHECK(sleeps[i] <= step);
    }
}

TEST_CASE("Backoff never waits longer than max_delay", "[unit][harvest][retrier]") {
    FakeClock clock(k_start);
    auto p = policy(8);
    p.max_delay = 10'000ms;
    Retrier retrier(clock, p);
    Script attempt{8, retriable()};
    std::int64_t retries = 0;
    REQUIRE(retrier.run([&] { return attempt(); }, retries));
    for (auto wait : clock.sleeps()) {
        CHECK(wait <= 10'000ms);
    }
    CHECK(clock.sleeps().back() >= 5'000ms);
}

TEST_CASE("After http.retries retries the failure is returned, saying so",
          "[unit][harvest][retrier]") {
    FakeClock clock(k_start);
    Retrier retrier(clock, policy(3));
    Script attempt{100, retriable()};
    std::int64_t retries = 0;
    auto result = retrier.run([&] { return attempt(); }, retries);
    REQUIRE_FALSE(result.has_value());
    CHECK(attempt.calls == 4);
    CHECK(retries == 3);
    CHECK(clock.sleeps().size() == 3);
    CHECK(result.error().message.find("HTTP 503") != std::string::npos);
    CHECK(result.error().message.find("gave up after 3 retries") != std::string::npos);
}

TEST_CASE("A fatal failure is not retried", "[unit][harvest][retrier]") {
    FakeClock clock(k_start);
    Retrier retrier(clock, policy(5));
    Script attempt{1, Failure{false, "HTTP 404 from http://x/oai: Not Found", std::nullopt, 404}};
    std::int64_t retries = 0;
    auto result = retrier.run([&] { return attempt(); }, retries);
    REQUIRE_FALSE(result.has_value());
    CHECK(attempt.calls == 1);
    CHECK(retries == 0);
    CHECK(clock.sleeps().empty());
}

TEST_CASE("Retry-After in seconds is waited exactly", "[unit][harvest][retrier]") {
    FakeClock clock(k_start);
    Retrier retrier(clock, policy(5));
    Script attempt{2, retriable("120")};
    std::int64_t retries = 0;
    REQUIRE(retrier.run([&] { return attempt(); }, retries));
    CHECK(clock.sleeps() == std::vector<std::chrono::milliseconds>{120'000ms, 120'000ms});
}

TEST_CASE("Retry-After as an HTTP-date is waited until then, on the harvest's clock",
          "[unit][harvest][retrier]") {
    FakeClock clock(k_start);  // 2026-06-03T10:00:00Z, a Wednesday
    Retrier retrier(clock, policy(5));
    Script attempt{1, retriable("Wed, 03 Jun 2026 10:05:00 GMT")};
    std::int64_t retries = 0;
    REQUIRE(retrier.run([&] { return attempt(); }, retries));
    CHECK(clock.sleeps() == std::vector<std::chrono::milliseconds>{300'000ms});
}

TEST_CASE("An unreadable Retry-After falls back to the backoff", "[unit][harvest][retrier]") {
    FakeClock clock(k_start);
    Retrier retrier(clock, policy(5));
    Script attempt{1, retriable("soon")};
    std::int64_t retries = 0;
    REQUIRE(retrier.run([&] { return attempt(); }, retries));
    REQUIRE(clock.sleeps().size() == 1);
    CHECK(clock.sleeps()[0] >= 1'000ms);
    CHECK(clock.sleeps()[0] <= 2'000ms);
}

TEST_CASE("A Retry-After beyond max_retry_after fails at once, naming both",
          "[unit][harvest][retrier]") {
    FakeClock clock(k_start);
    auto p = policy(5);
    p.max_retry_after = 600'000ms;
    Retrier retrier(clock, p);
    Script attempt{1, retriable("7200")};
    std::int64_t retries = 0;
    auto result = retrier.run([&] { return attempt(); }, retries);
    REQUIRE_FALSE(result.has_value());
    CHECK(attempt.calls == 1);
    CHECK(clock.sleeps().empty());
    CHECK(result.error().message.find("retry after 7200 s, longer than max_retry_after (600 s)") !=
          std::string::npos);
}

TEST_CASE("request_interval spaces requests, counting time already spent",
          "[unit][harvest][retrier]") {
    FakeClock clock(k_start);
    auto p = policy(0);
    p.request_interval = 1'000ms;
    Retrier retrier(clock, p);
    std::int64_t retries = 0;
    auto ok = [] { return std::expected<Exchange, Failure>(Exchange{}); };
    REQUIRE(retrier.run(ok, retries));  // the first request does not wait
    CHECK(clock.sleeps().empty());
    clock.advance(300ms);  // the page took 0.3 s to read
    REQUIRE(retrier.run(ok, retries));
    CHECK(clock.sleeps() == std::vector<std::chrono::milliseconds>{700ms});
}

TEST_CASE("parse_retry_after reads seconds and HTTP-dates", "[unit][harvest][retrier]") {
    using harvest::detail::parse_retry_after;
    CHECK(parse_retry_after("0", k_start) == 0ms);
    CHECK(parse_retry_after("3600", k_start) == 3'600'000ms);
    CHECK(parse_retry_after("Wed, 03 Jun 2026 10:00:30 GMT", k_start) == 30'000ms);
    // A date already past means "now", not a negative wait.
    CHECK(parse_retry_after("Wed, 03 Jun 2026 09:00:00 GMT", k_start) == 0ms);
    CHECK_FALSE(parse_retry_after("", k_start));
    CHECK_FALSE(parse_retry_after("-5", k_start));
    CHECK_FALSE(parse_retry_after("tomorrow", k_start));
}

namespace {

// A FakeClock during whose waits the process is asked to stop, as a signal would.
class StopDuringWaits final : public util::Clock {
public:
    StopDuringWaits(FakeClock& clock, std::atomic<bool>& stop) : m_clock(clock), m_stop(stop) {}
    util::UtcTime now() override { return m_clock.now(); }
    std::chrono::milliseconds monotonic() override { return m_clock.monotonic(); }
    void sleep_for(std::chrono::milliseconds duration) override {
        m_stop = true;
        m_clock.sleep_for(duration);
    }

private:
    FakeClock& m_clock;
    std::atomic<bool>& m_stop;
};

}  // namespace

TEST_CASE("A stop during a retry wait ends the retries: no attempt follows",
          "[unit][harvest][retrier]") {
    FakeClock fake(k_start);
    std::atomic<bool> stop{false};
    StopDuringWaits clock(fake, stop);
    Retrier retrier(clock, policy(5), &stop);
    Failure failure;
    SECTION("backoff") {
        failure = retriable();
    }
    SECTION("Retry-After") {
        failure = retriable("120");
    }
    Script attempt{5, failure};
    std::int64_t retries = 0;
    auto result = retrier.run([&] { return attempt(); }, retries);
    REQUIRE_FALSE(result.has_value());
    CHECK(result.error().stopped);
    CHECK_FALSE(result.error().retriable);
    CHECK(attempt.calls == 1);
    CHECK(fake.sleeps().size() == 1);
}

TEST_CASE("A stop during an attempt returns at once, without a wait or another attempt",
          "[unit][harvest][retrier]") {
    FakeClock clock(k_start);
    std::atomic<bool> stop{false};
    auto p = policy(5);
    p.request_interval = 1'000ms;
    Retrier retrier(clock, p, &stop);
    int calls = 0;
    std::int64_t retries = 0;
    auto result = retrier.run(
        [&]() -> std::expected<Exchange, Failure> {
            ++calls;
            stop = true;  // the transfer was aborted by the stop
            return std::unexpected(retriable());
        },
        retries);
    REQUIRE_FALSE(result.has_value());
    CHECK(result.error().stopped);
    CHECK(calls == 1);
    CHECK(retries == 0);
    CHECK(clock.sleeps().empty());

    // Once stopped, nothing more is asked.
    auto again = retrier.run(
        [&]() -> std::expected<Exchange, Failure> {
            ++calls;
            return Exchange{};
        },
        retries);
    CHECK_FALSE(again.has_value());
    CHECK(calls == 1);
}
