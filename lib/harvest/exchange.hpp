#pragma once
// One OAI-PMH request and its response, read as it streams in, with the failure classes the
// harvest acts on (retry, or fail the scope). Internal to lib/harvest.

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
    std::optional<std::chrono::milliseconds> retry_after;  // the server asked for this wait
};

// GETs url and streams the body through a ResponseReader into handler. A 5xx or 429, a
// transport fault, a body that is not well-formed or not OAI-PMH, or an HTML page is a
// retriable Failure; another 4xx without an OAI error in it is a fatal one. An OAI error is not
// a failure here: it is in Exchange::errors, whatever HTTP status it came with.
std::expected<Exchange, Failure> exchange(http::Fetcher& fetcher, const std::string& url,
                                          oai::ResponseHandler& handler);

// Retry-After as seconds or an HTTP-date; nullopt when unreadable.
std::optional<std::chrono::milliseconds> parse_retry_after(const std::string& value,
                                                           util::UtcTime now);

// Spaces requests and retries them: each call of attempt() is one request. Counts retries.
class Retrier {
public:
    Retrier(util::Clock& clock, const RetryPolicy& policy) : m_clock(clock), m_policy(policy) {}

    template <typename Attempt>
    std::expected<Exchange, Failure> run(Attempt&& attempt, std::int64_t& retries) {
        for (int tries = 0;; ++tries) {
            space_requests();
            auto result = attempt();
            if (result || !result.error().retriable || tries >= m_policy.retries) {
                return result;
            }
            if (asks_too_long(result.error())) {
                return result;
            }
            ++retries;
            wait_before_retry(tries, result.error());
        }
    }

private:
    // A Retry-After beyond max_retry_after fails the request now (the message says so):
    // better to come back at the next scheduled run than to hold a worker for hours.
    bool asks_too_long(Failure& failure) const;
    void space_requests();
    void wait_before_retry(int tries, const Failure& failure);

    util::Clock& m_clock;
    RetryPolicy m_policy;
    std::optional<std::chrono::milliseconds> m_last_request;
};

}  // namespace oaiharvest::harvest::detail
