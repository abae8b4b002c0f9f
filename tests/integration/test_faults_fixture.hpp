#pragma once
// The harvest library run in-process against the test server over real HTTP on 127.0.0.1: a
// real CurlFetcher and Store, and a FakeClock, so that retries, backoff and Retry-After waits
// are recorded instead of slept. The database is the Harness's, so the binary's `export` and
// `status` read what the harvest wrote.

#include <curl/curl.h>

#include <catch2/catch.hpp>
#include <functional>
#include <memory>
#include <set>

#include "harness.hpp"
#include "harvest/harvest.hpp"
#include "http/http.hpp"
#include "store/store.hpp"
#include "support/fake_clock.hpp"

namespace oaiharvest::test {

inline const util::UtcTime k_clock_start = *util::parse_utc("2026-06-03T10:00:00Z");

inline harvest::RetryPolicy fault_policy() {
    harvest::RetryPolicy policy;
    policy.retries = 5;
    policy.first_delay = std::chrono::milliseconds{2'000};
    policy.max_delay = std::chrono::milliseconds{60'000};
    policy.max_retry_after = std::chrono::milliseconds{3'600'000};
    return policy;
}

struct InProcess {
    explicit InProcess(sample::GenerateOptions generate = {}, sample::ProviderOptions provider = {})
        : h(generate, provider) {
        static const bool curl_ready = curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK;
        (void)curl_ready;
        // Long enough for a page of the test server under ASan on a loaded machine: a stall the
        // test did not script would be retried and shift the requests its script counts. A test
        // of stalls sets curl's least, 1 s.
        options.stall_timeout = std::chrono::milliseconds{15'000};
        options.connect_timeout = std::chrono::milliseconds{2'000};
    }

    Harness h;
    std::unique_ptr<store::Store> store = store::Store::open(h.db);
    http::FetchOptions options;
    FakeClock clock{k_clock_start};
    harvest::RetryPolicy policy = fault_policy();

    // One harvest of the endpoint (prefix mets unless given), like `harvest --url`.
    harvest::EndpointReport run(harvest::Window window = {},
                                std::vector<std::string> prefixes = {"mets"},
                                std::vector<std::string> sets = {}, std::string url = {}) {
        auto fetcher = http::make_curl_fetcher(options);
        harvest::EndpointHarvester harvester(*fetcher, *store, clock, policy);
        return harvester.run({"sample", url.empty() ? h.server.base_url() : url,
                              std::move(prefixes), std::move(sets)},
                             window);
    }
    // The single scope of a one-scope harvest.
    harvest::ScopeReport run_scope(harvest::Window window = {}) {
        auto report = run(std::move(window));
        if (report.scopes.size() != 1) {
            throw std::runtime_error("expected one scope, got " +
                                     std::to_string(report.scopes.size()) + ": " +
                                     report.error.value_or(""));
        }
        return report.scopes.front();
    }
};

// Counts the ListRecords requests the script sees (0-based), across harvests.
class ListRequestCounter {
public:
    std::size_t next() { return m_count->fetch_add(1); }

private:
    std::shared_ptr<std::atomic<std::size_t>> m_count =
        std::make_shared<std::atomic<std::size_t>>(0);
};

// The fault for the ListRecords requests whose 0-based number `pick` accepts; other requests
// are served normally.
inline testing::Script on_list_requests(std::function<bool(std::size_t)> pick,
                                        std::function<testing::Fault(std::size_t)> fault) {
    ListRequestCounter counter;
    return [=](const testing::RequestInfo& r) mutable -> std::optional<testing::Fault> {
        if (r.verb != "ListRecords") {
            return std::nullopt;
        }
        std::size_t n = counter.next();
        return pick(n) ? std::optional<testing::Fault>(fault(n)) : std::nullopt;
    };
}

inline testing::Script on_list_requests(std::set<std::size_t> which, testing::Fault fault) {
    return on_list_requests([which](std::size_t n) { return which.count(n) > 0; },
                            [fault](std::size_t) { return fault; });
}

// Serves what a sample Provider (on the same repository) answers, rewritten by `edit`: for
// responses no fault describes (a token sent twice, a wrong completeListSize, a custom
// Identify).
class RewritingProvider {
public:
    using Edit =
        std::function<std::optional<std::string>(const testing::RequestInfo&, std::string body)>;
    RewritingProvider(const sample::GenerateOptions& generate,
                      const sample::ProviderOptions& options, std::string base_url)
        : m_repository(
              std::make_shared<sample::Repository>(sample::make_sample_repository(generate))),
          m_provider(
              std::make_shared<sample::Provider>(*m_repository, with_url(options, base_url))) {}

    // Applies edit to every response; edit returns nullopt to serve the response unchanged.
    testing::Script script(Edit edit) const {
        auto repository = m_repository;  // kept alive by the script
        auto provider = m_provider;
        return [repository, provider,
                edit](const testing::RequestInfo& r) -> std::optional<testing::Fault> {
            auto answer = provider->handle(r.args);
            auto body = edit(r, answer.body);
            if (!body) {
                return std::nullopt;
            }
            return testing::Respond{answer.status, {}, std::move(*body), answer.content_type};
        };
    }
    // The body the provider gives for these arguments.
    std::string body(const sample::QueryArgs& args) const { return m_provider->handle(args).body; }

private:
    static sample::ProviderOptions with_url(sample::ProviderOptions options, std::string url) {
        options.base_url = std::move(url);
        return options;
    }
    std::shared_ptr<sample::Repository> m_repository;
    std::shared_ptr<sample::Provider> m_provider;
};

// Every span of `text` from `open` to the first `close` after it, both included, becomes
// `replacement`; an empty `close` replaces `open` alone. Linear, unlike std::regex, whose
// backtracking over a whole page takes seconds under ASan: longer than the client's stall
// timeout, so the page arrived as a timeout rather than as what the test scripted.
inline std::string replace_spans(const std::string& text, const std::string& open,
                                 const std::string& close, const std::string& replacement) {
    std::string out;
    out.reserve(text.size());
    std::size_t at = 0;
    for (auto start = text.find(open); start != std::string::npos; start = text.find(open, at)) {
        auto end = start + open.size();
        if (!close.empty()) {
            end = text.find(close, end);
            if (end == std::string::npos) {
                break;
            }
            end += close.size();
        }
        out.append(text, at, start - at).append(replacement);
        at = end;
    }
    return out.append(text, at);
}

inline std::size_t count_requests(const testing::TestOaiServer& server, const std::string& verb) {
    std::size_t n = 0;
    for (const auto& r : server.requests()) {
        n += r.verb == verb;
    }
    return n;
}

}  // namespace oaiharvest::test

namespace oaiharvest::test {

// The mirror holds `records` records, each once.
inline void require_every_record_once(const Harness& h, std::size_t records) {
    auto lines = h.exported();
    std::set<std::string> identifiers;
    for (const auto& line : lines) {
        identifiers.insert(line["identifier"].get<std::string>());
    }
    REQUIRE(lines.size() == records);
    REQUIRE(identifiers.size() == records);
}

}  // namespace oaiharvest::test
