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
    // Validators and the redirect target, as sent byte for byte (only the spaces around the
    // value dropped): EPrints 3.4 sends its ETag unquoted and answers 304 only when it comes
    // back exactly so, so an ETag is never parsed or requoted.
    std::optional<std::string> etag;
    std::optional<std::string> last_modified;
    std::optional<std::string> location;
};

// A conditional GET: If-None-Match and If-Modified-Since, each sent as given when set. A value
// holding CR or LF is refused (a failure of kind `forbidden`), never sent.
struct Conditions {
    std::optional<std::string> etag;
    std::optional<std::string> last_modified;
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
    // false: a 3xx comes back as it is, with head.location, for a caller that checks each hop
    // itself (the documents stage holds every hop to its host allow-list).
    bool follow_redirects = true;
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
    // GETs url into sink, conditionally when `conditions` say so. Returns the head and size
    // when the whole body arrived (any HTTP status, 304 included), or the transport failure.
    // Rethrows what the sink threw. Implementers add `using Fetcher::get;` to keep the
    // two-argument form visible.
    virtual std::expected<Completed, TransportFailure> get(const std::string& url, BodySink& sink,
                                                           const Conditions& conditions) = 0;
    // An unconditional GET.
    std::expected<Completed, TransportFailure> get(const std::string& url, BodySink& sink) {
        return get(url, sink, Conditions{});
    }
};

// libcurl: gzip and deflate accepted, http/https only (redirects too, see redirect_protocols),
// timeouts, size and ratio caps. Throws std::runtime_error when curl_easy_init fails.
std::unique_ptr<Fetcher> make_curl_fetcher(const FetchOptions& options);

std::string_view failure_kind_name(FailureKind kind);

}  // namespace oaiharvest::http
