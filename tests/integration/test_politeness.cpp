// Politeness across threads (http::HostGate), measured on real requests to
// loopback servers: one host is never asked twice at once and its interval is kept, while
// other hosts go on in parallel.

#include <algorithm>
#include <atomic>
#include <catch2/catch.hpp>
#include <chrono>
#include <mutex>
#include <thread>

#include "http/http.hpp"
#include "http/polite.hpp"
#include "sample/generate.hpp"
#include "support/oai_server.hpp"

using namespace oaiharvest;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

namespace {

struct Span {
    Clock::time_point start;
    Clock::time_point end;
};

class Discard final : public http::BodySink {
public:
    void on_head(const http::ResponseHead&) override {}
    void on_body(std::string_view) override {}
};

// Records when each request really went out and came back (inside the gate).
class Recording final : public http::Fetcher {
public:
    Recording(std::mutex& mutex, std::vector<Span>& spans)
        : m_inner(http::make_curl_fetcher({})), m_mutex(mutex), m_spans(spans) {}
    using http::Fetcher::get;
    std::expected<http::Completed, http::TransportFailure> get(
        const std::string& url, http::BodySink& sink, const http::Conditions& conditions) override {
        Span span{Clock::now(), {}};
        auto result = m_inner->get(url, sink, conditions);
        span.end = Clock::now();
        std::lock_guard lock(m_mutex);
        m_spans.push_back(span);
        return result;
    }

private:
    std::unique_ptr<http::Fetcher> m_inner;
    std::mutex& m_mutex;
    std::vector<Span>& m_spans;
};

sample::Repository small_repository() {
    sample::GenerateOptions options;
    options.records = 5;
    return sample::make_sample_repository(options);
}

}  // namespace

TEST_CASE("politeness_host is the host name alone", "[integration][politeness]") {
    CHECK(http::politeness_host("http://Repo.Example.org:8080/cgi/oai2") == "repo.example.org");
    CHECK(http::politeness_host("https://user:secret@repo.example.org/oai") == "repo.example.org");
    CHECK(http::politeness_host("http://[::1]:8080/oai") == "[::1]");
}

TEST_CASE("Workers never ask one host twice at once and keep its request interval",
          "[integration][politeness]") {
    testing::TestOaiServer server(small_repository());
    http::HostGate gate(100ms);
    std::mutex mutex;
    std::vector<Span> spans;
    constexpr int k_workers = 3;
    constexpr int k_requests = 4;
    std::vector<std::unique_ptr<Recording>> fetchers;
    for (int i = 0; i < k_workers; ++i) {
        fetchers.push_back(std::make_unique<Recording>(mutex, spans));
    }
    std::atomic<int> failures{0};  // Catch2 assertions are not for other threads
    std::vector<std::thread> workers;
    for (int i = 0; i < k_workers; ++i) {
        workers.emplace_back([&, i] {
            http::PoliteFetcher polite(*fetchers[static_cast<std::size_t>(i)], gate);
            Discard sink;
            for (int n = 0; n < k_requests; ++n) {
                failures += polite.get(server.base_url() + "?verb=Identify", sink) ? 0 : 1;
            }
        });
    }
    for (auto& w : workers) {
        w.join();
    }
    CHECK(failures == 0);
    REQUIRE(spans.size() == k_workers * k_requests);
    std::sort(spans.begin(), spans.end(),
              [](const Span& a, const Span& b) { return a.start < b.start; });
    for (std::size_t i = 1; i < spans.size(); ++i) {
        INFO("request " << i);
        CHECK(spans[i].start >= spans[i - 1].end + 100ms);
    }
}

TEST_CASE("Workers on different hosts are not held back by each other",
          "[integration][politeness]") {
    testing::TestOaiServer a(small_repository());
    testing::TestOaiServer b(small_repository());
    auto slow = [](const testing::RequestInfo&) -> std::optional<testing::Fault> {
        return testing::Delay{400ms};
    };
    a.set_script(slow);
    b.set_script(slow);
    // One machine, two host names: the gate tells hosts apart by name.
    std::string url_b = b.base_url();
    url_b.replace(url_b.find("127.0.0.1"), 9, "localhost");

    http::HostGate gate(1s);
    std::mutex mutex;
    std::vector<Span> spans;
    Recording fetch_a(mutex, spans);
    Recording fetch_b(mutex, spans);
    std::atomic<int> failures{0};
    auto worker = [&](Recording& inner, std::string url) {
        http::PoliteFetcher polite(inner, gate);
        Discard sink;
        failures += polite.get(url + "?verb=Identify", sink) ? 0 : 1;
    };
    std::thread ta(worker, std::ref(fetch_a), a.base_url());
    std::thread tb(worker, std::ref(fetch_b), url_b);
    ta.join();
    tb.join();
    CHECK(failures == 0);
    REQUIRE(spans.size() == 2);
    // Both took 400 ms or more; they overlapped rather than one waiting for the other.
    CHECK(spans[0].start < spans[1].end);
    CHECK(spans[1].start < spans[0].end);
}
