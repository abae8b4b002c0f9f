#pragma once
// TestOaiServer: the sample Provider served by cpp-httplib on 127.0.0.1 (an ephemeral port) in
// a background thread, for integration tests. It answers as EPrints 3.4.7 does (chunked,
// "Connection: close", errors with HTTP 200) unless a script injects a fault for a request,
// and it records every request, and when it was answered (RequestSpan), so tests can check what
// the client sent and when.
//
// All member functions are thread-safe. The script runs on the server's threads; it must not
// call back into the server. The destructor interrupts delays, stops the server and joins it.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "sample/provider.hpp"
#include "sample/repository.hpp"
#include "sample/serve.hpp"

namespace oaiharvest::testing {

struct RequestInfo {
    std::size_t index = 0;   // 0-based count of requests before this one
    std::string method;      // "GET" or "POST"
    std::string verb;        // empty when absent
    sample::QueryArgs args;  // decoded
    std::string query;       // as the client encoded it (query string, or form body)
    std::map<std::string, std::string> headers;  // names lower-cased
};

// When the server handled one request (steady_clock): from the moment its handler was called
// (the request read whole) to a moment before the response's end was sent: when the last chunk
// was handed over (a chunked body), or when the handler returned (a body sent whole). The
// client sent its request before `start` and read the response's end after `end`, so the
// client's whole exchange contains this span, however the server's threads are scheduled.
struct RequestSpan {
    std::size_t index = 0;  // the request's RequestInfo::index
    std::chrono::steady_clock::time_point start;
    std::chrono::steady_clock::time_point end;
};

// Answer with this instead of the provider's response.
struct Respond {
    int status = 200;
    std::multimap<std::string, std::string> headers;  // e.g. {"Retry-After", "120"}
    std::string body;
    std::string content_type = "text/xml; charset=UTF-8";
};

// The provider's response cut after `at` bytes, then the connection drops.
struct TruncateBody {
    std::size_t at = 0;
    sample::Framing framing = sample::Framing::chunked;
};

// The provider's response with `bytes` inserted after the first occurrence of `after` (when
// given and found) or at `offset` (clamped to the body's size).
struct InjectBytes {
    std::string bytes;  // e.g. "\x0B" or "\xC3\x28"
    std::size_t offset = 0;
    std::string after;
};

// The provider's response, after waiting: before the head when after_bytes is 0, otherwise
// once that many body bytes are out (a stall mid-body). Use sparingly: it costs test time.
struct Delay {
    std::chrono::milliseconds duration{0};
    std::size_t after_bytes = 0;
};

// No response at all: the connection is closed (reset) once the request is read.
struct ResetConnection {};

// The provider's response, held at a point the test controls: before the head when after_bytes
// is 0, otherwise once that many body bytes are out. The request waits there until the test
// calls release(name) or the server stops; wait_for_hold(name) tells the test it got there. For
// deterministic kill points: no sleep decides when the client is stopped.
struct Hold {
    std::string name;
    std::size_t after_bytes = 0;
};

// A body made as it is sent, chunked, never held whole: head, then filler repeated until
// filler_bytes of it are out (or forever when endless), then tail. Each write of filler carries
// at most write_size bytes and waits `interval` first (a trickle, when small). Headers go
// as given; the bytes are sent as they are, never compressed by the server, so a body already
// gzipped (see gzip()) can go with "Content-Encoding: gzip".
struct StreamBody {
    std::string head;
    std::string filler;
    std::uint64_t filler_bytes = 0;
    bool endless = false;
    std::string tail;
    std::size_t write_size = 64 * 1024;
    std::chrono::milliseconds interval{0};
    int status = 200;
    std::multimap<std::string, std::string> headers;
    std::string content_type = "text/xml; charset=UTF-8";
};

using Fault =
    std::variant<Respond, TruncateBody, InjectBytes, Delay, ResetConnection, Hold, StreamBody>;
using Script = std::function<std::optional<Fault>(const RequestInfo&)>;

// Common faults.
Fault http_status(int status, std::optional<std::string> retry_after = std::nullopt,
                  std::string body = {});
// An OAI-PMH error document in EPrints' envelope, with the given HTTP status.
Fault oai_error(int status, std::string_view code, std::string_view message);
// What EPrints answers when its database is down: HTTP 200 with an HTML error page (with an
// XHTML DOCTYPE whose DTD a harvester must not fetch).
Fault eprints_system_error();

// The gzip encoding (RFC 1952) of head, filler repeated to filler_bytes, and tail: a small
// body that decodes to a large one (a "gzip bomb" when the filler is repetitive).
std::string gzip(std::string_view head, std::string_view filler, std::uint64_t filler_bytes,
                 std::string_view tail);

// Scripts: the fault for the request with that index only, or for the first `count` requests.
Script fault_at(std::size_t index, Fault fault);
Script fault_first(std::size_t count, Fault fault);

class TestOaiServer {
public:
    // Serves the repository. An empty options.base_url becomes this server's base_url().
    // Throws std::runtime_error when it cannot listen.
    explicit TestOaiServer(sample::Repository repository, sample::ProviderOptions options = {});
    ~TestOaiServer();
    TestOaiServer(const TestOaiServer&) = delete;
    TestOaiServer& operator=(const TestOaiServer&) = delete;
    TestOaiServer(TestOaiServer&&) = delete;
    TestOaiServer& operator=(TestOaiServer&&) = delete;

    int port() const { return m_port; }
    // "http://127.0.0.1:PORT/cgi/oai2".
    std::string base_url() const;

    // Consulted for every request from now on; nullptr (or returning nullopt) serves normally.
    void set_script(Script script);
    // Served from the next request on, with the same options (e.g. a record changed, deleted or
    // added between harvests).
    void set_repository(sample::Repository repository);
    // The responseDate of later responses; empty: the current time.
    void set_response_date(std::string response_date);

    // Waits until a request is held at the Hold named `name` (since its last release); false
    // when none got there within the timeout.
    bool wait_for_hold(const std::string& name, std::chrono::milliseconds timeout);
    // Lets the requests held at `name` go on (now and from now on, until a request is held there
    // again after this call).
    void release(const std::string& name);

    // Every request so far, in arrival order.
    std::vector<RequestInfo> requests() const;
    std::size_t request_count() const;
    // The span of every request whose response has ended, in the order they ended.
    std::vector<RequestSpan> spans() const;

private:
    struct Served;
    struct Impl;

    int m_port = 0;
    std::unique_ptr<Impl> m_impl;
};

}  // namespace oaiharvest::testing
