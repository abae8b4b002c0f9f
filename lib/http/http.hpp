#pragma once
// HTTP GET for harvesting: bytes are handed to a BodySink as they arrive, never buffered whole.
// Knows nothing of OAI-PMH. Only http and https are spoken, redirects included.
//
// A Fetcher is used by one thread at a time; CurlFetcher keeps one connection open between
// requests (keep-alive). curl_global_init must have run (daemon/main.cpp does it).

#include <atomic>
#include <chrono>
#include <cstdint>
#include <expected>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace oaiharvest::http {

struct ResponseHead {
    long status = 0;
    std::string content_type;                // as sent, may be empty
    std::optional<std::string> retry_after;  // the Retry-After header, as sent
    std::string url;                         // the final URL after redirects
};

// Receives one response. on_head comes once, before any body byte (also for an empty body).
// A sink may throw: the transfer is stopped and the exception comes out of Fetcher::get.
class BodySink {
public:
    virtual ~BodySink() = default;
    virtual void on_head(const ResponseHead& head) = 0;
    virtual void on_body(std::string_view bytes) = 0;
};

enum class FailureKind {
    connect,    // refused, reset, DNS: nothing or only part of a response arrived
    timeout,    // connect timeout, no data for the stall timeout, or past the request deadline
    too_large,  // the body passed max_response_bytes or max_compression_ratio
    truncated,  // the connection closed before the body was complete
    forbidden,  // a protocol other than http/https, an https to http redirect not allowed, too
                // many redirects, a malformed URL, or an option curl refused to set
    other,
};

struct TransportFailure {
    FailureKind kind = FailureKind::other;
    std::string message;  // curl's words, with the URL (credentials redacted)
};

struct Completed {
    ResponseHead head;
    std::uint64_t body_bytes = 0;  // after content decoding
};

struct FetchOptions {
    std::string user_agent;  // empty: "oaiharvest/<version>"
    std::chrono::milliseconds connect_timeout{30'000};
    std::chrono::milliseconds stall_timeout{60'000};  // fails when no byte arrives for this long
    // The whole request, however steadily bytes arrive: a trickle cannot hold it for ever.
    std::chrono::milliseconds deadline{10 * 60'000};
    std::uint64_t max_response_bytes = 1ULL << 30;  // the body as decoded (after gzip/deflate)
    // Decoded bytes per byte received, checked once the decoded body passes 1 MiB: a gzip bomb
    // fails long before max_response_bytes. 0: no check.
    std::uint64_t max_compression_ratio = 100;
    bool allow_insecure_redirects = false;  // follow https -> http redirects
    // When given and set (by a signal handler, say), the transfer in flight is aborted within
    // about a second and get() returns a failure of kind `other`. Not owned; must outlive the
    // Fetcher.
    const std::atomic<bool>* abort = nullptr;
};

// The protocols a redirect from url may go to (curl's CURLOPT_REDIR_PROTOCOLS_STR): "https"
// from an https URL unless allow_insecure, so that a request that started encrypted never goes
// on in clear; "http,https" otherwise.
std::string_view redirect_protocols(std::string_view url, bool allow_insecure);

class Fetcher {
public:
    virtual ~Fetcher() = default;
    // GETs url into sink. Returns the head and size when the whole body arrived (any HTTP
    // status), or the transport failure. Rethrows what the sink threw.
    virtual std::expected<Completed, TransportFailure> get(const std::string& url,
                                                           BodySink& sink) = 0;
};

// libcurl: gzip and deflate accepted, http/https only (redirects too, see redirect_protocols),
// timeouts, size and ratio caps. Throws std::runtime_error when curl_easy_init fails.
std::unique_ptr<Fetcher> make_curl_fetcher(const FetchOptions& options);

std::string_view failure_kind_name(FailureKind kind);

}  // namespace oaiharvest::http
