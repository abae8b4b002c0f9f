#pragma once
// One OAI-PMH request and its response, read as it streams in, with the failure classes the
// harvest acts on (retry, or fail the scope). Internal to lib/harvest.

#include <atomic>
#include <chrono>
#include <expected>
#include <optional>
#include <string>
#include <vector>

#include "harvest/harvest.hpp"
#include "oai/reader.hpp"

namespace oaiharvest::harvest::detail {

// What a response said besides its records, which went to the caller's handler.
struct Exchange {
    std::optional<std::string> response_date;
    std::vector<oai::ProtocolError> errors;
    std::optional<oai::ResumptionToken> token;
    oai::ResponseSummary summary;
    long http_status = 0;
};

struct Failure {
    bool retriable = false;
    std::string message;
    // The Retry-After header as sent. It is read against the harvest's Clock (an HTTP-date
    // means "wait until then"), so that tests with a fake clock see the same wait as production.
    std::optional<std::string> retry_after;
    long http_status = 0;  // 0: no HTTP response (a transport fault)
    bool stopped = false;  // the process was asked to stop: not the server's failure
};

// GETs url and streams the body through a ResponseReader into handler. A 5xx or 429, a
// transport fault, a body that is not well-formed or not OAI-PMH, or an HTML page is a
// retriable Failure; another 4xx without an OAI error in it is a fatal one. An OAI error is not
// a failure here: it is in Exchange::errors, whatever HTTP status it came with.
// A response past the reader's limits (oai::LimitError) is a fatal Failure.
std::expected<Exchange, Failure> exchange(http::Fetcher& fetcher, const std::string& url,
                                          oai::ResponseHandler& handler,
                                          const oai::ReaderLimits& limits = {});

// The repository an Identify response describes.
class IdentifyHandler final : public oai::ResponseHandler {
public:
    void on_identify(const oai::RepositoryInfo& info) override { result = info; }
    std::optional<oai::RepositoryInfo> result;
};

// Whether the response holds that OAI error.
bool has_error(const Exchange& ex, oai::ErrorCode code);
// "code: message; code: message (URL)", the URL without credentials: a response's OAI errors
// as a failure names them.
std::string describe_errors(const Exchange& ex, const std::string& url);

// Retry-After as seconds or an HTTP-date; nullopt when unreadable.
std::optional<std::chrono::milliseconds> parse_retry_after(const std::string& value,
                                                           util::UtcTime now);

// Spaces requests and retries them: each call of attempt() is one request. Counts retries.
// Once the stop flag is set, no attempt starts: run() returns a Failure with `stopped` set (not
// retriable) instead, also when the attempt or a wait was under way as the flag was set (the
// Clock's sleep_for ends early then).
class Retrier {
public:
    Retrier(util::Clock& clock, const RetryPolicy& policy, const std::atomic<bool>* stop = nullptr)
        : m_clock(clock), m_policy(policy), m_stop(stop) {}

    template <typename Attempt>
    std::expected<Exchange, Failure> run(Attempt&& attempt, std::int64_t& retries) {
        for (int tries = 0;; ++tries) {
            space_requests();
            if (stopping()) {
                return std::unexpected(stopped());
            }
            auto result = attempt();
            if (result || !result.error().retriable) {
                return result;
            }
            if (stopping()) {
                return std::unexpected(stopped());  // the transfer was aborted by the stop
            }
            auto asked = asked_wait(result.error());
            if (asks_too_long(result.error(), asked)) {
                return result;
            }
            if (tries >= m_policy.retries) {
                if (tries > 0) {
                    result.error().message +=
                        " (gave up after " + std::to_string(tries) + " retries)";
                }
                return result;
            }
            ++retries;
            wait_before_retry(tries, result.error(), asked);
        }
    }

private:
    // The wait the server's Retry-After asks for, as of the clock's now; nullopt when absent
    // or unreadable (then the usual backoff applies).
    std::optional<std::chrono::milliseconds> asked_wait(const Failure& failure);
    // A Retry-After beyond max_retry_after fails the request now (the message says so):
    // better to come back at the next scheduled run than to hold a worker for hours.
    bool asks_too_long(Failure& failure, std::optional<std::chrono::milliseconds> asked) const;
    void space_requests();
    void wait_before_retry(int tries, const Failure& failure,
                           std::optional<std::chrono::milliseconds> asked);
    bool stopping() const { return m_stop != nullptr && m_stop->load(); }
    static Failure stopped();

    util::Clock& m_clock;
    RetryPolicy m_policy;
    std::optional<std::chrono::milliseconds> m_last_request;
    const std::atomic<bool>* m_stop;
};

}  // namespace oaiharvest::harvest::detail
