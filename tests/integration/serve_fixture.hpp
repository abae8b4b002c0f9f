#pragma once
// What the tests of `oaiharvest serve` share: the command run on a mirror as a child process,
// the sample mirror served, HTTP and OAI-PMH requests to it, the rows of a mirror read back,
// and the wait for the clock's next second that a list of what was just written needs.
//
// For one test's thread; a ServeProcess is stopped (SIGTERM) by its destructor at the latest.

#include <csignal>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "harness.hpp"
#include "process.hpp"
#include "sample/generate.hpp"
#include "util/time.hpp"

namespace oaiharvest::test {

using Arguments = std::vector<std::pair<std::string, std::string>>;

// The sample repository the serve tests mirror: 60 records, of which record 37 is deleted.
sample::GenerateOptions sixty_records();

// Harvests without politeness delays, and the provider in pages of 7: nine pages for 60
// records, so that every list needs resumption tokens.
inline constexpr const char* k_serve_config =
    "[http]\nrequest_interval = \"0s\"\n[serve]\npage_size = 7\n";

// `oaiharvest [-c CONFIG] --db DB serve --listen 127.0.0.1:PORT`, answering once constructed.
class ServeProcess {
public:
    // Waits for the "serving DB at http://127.0.0.1:PORT/ (OAI-PMH at /oai)" line and reads
    // the port from it. Throws std::runtime_error when the server does not come up.
    explicit ServeProcess(const std::string& db, std::optional<std::string> config = {});
    ~ServeProcess();
    ServeProcess(const ServeProcess&) = delete;
    ServeProcess& operator=(const ServeProcess&) = delete;
    ServeProcess(ServeProcess&&) = delete;
    ServeProcess& operator=(ServeProcess&&) = delete;

    int port() const { return m_port; }
    // "http://127.0.0.1:PORT/oai".
    std::string oai_url() const;
    // The signal (SIGTERM, SIGINT), then waits: how the command ended and what it logged.
    ProcessResult stop(int signal = SIGTERM);

private:
    std::unique_ptr<BackgroundProcess> m_process;
    int m_port = 0;
};

// How mirror A takes the source's formats: in one harvest, or in one harvest each, each in a
// second of its own, so that a record's copies changed in A at different times (what one
// harvest does too when it crosses a second between them).
enum class FormatHarvests { together, one_by_one };

// Mirror A: the sample repository (sixty_records) harvested in `prefixes` with k_serve_config,
// and served with it.
struct ServedSample {
    explicit ServedSample(std::vector<std::string> formats = {"mets", "oai_dc"},
                          FormatHarvests harvests = FormatHarvests::together);
    // A harvest of the source into A in every prefix, and the wait that lets the provider's
    // lists include its writes; the harvest's log.
    std::string harvest_source();
    // The same in these formats only.
    std::string harvest_source(const std::vector<std::string>& formats);

    Harness h{sixty_records()};
    std::vector<std::string> prefixes;
    std::string first_harvest_log;
    std::unique_ptr<ServeProcess> server;
};

struct HttpReply {
    int status = 0;  // 0: no response (the error is in body)
    std::string content_type;
    std::string body;
};

HttpReply http_get(int port, const std::string& target);
HttpReply http_post(int port, const std::string& path, const std::string& body,
                    const std::string& content_type = "application/x-www-form-urlencoded");
// The same body sent chunked (Transfer-Encoding: chunked, no Content-Length), 64 KiB a chunk.
HttpReply http_post_chunked(int port, const std::string& path, const std::string& body,
                            const std::string& content_type = "application/x-www-form-urlencoded");
// Any method, for the routes' refusals.
HttpReply http_request(int port, const std::string& method, const std::string& target);

// name=value pairs percent-encoded as a query or a form body (every byte but unreserved ones).
std::string encode_form(const Arguments& arguments);

enum class Method { get, post };
// One OAI-PMH request to /oai: a GET with the query, or a POST of the form.
HttpReply oai_request(const ServeProcess& server, Method method, const Arguments& arguments);

// One row of a mirror's records table: one record in one format.
struct MirrorRow {
    std::string endpoint;
    bool deleted = false;
    std::optional<std::string> metadata;  // unpacked, as stored; nullopt: never seen live
};
// Keyed by (identifier, metadata prefix).
using MirrorRows = std::map<std::pair<std::string, std::string>, MirrorRow>;
MirrorRows mirror_rows(const std::string& db);
// When each copy of the identifier last changed in the mirror (what the provider serves as its
// datestamp), by metadata prefix.
std::map<std::string, std::string> served_datestamps(const std::string& db,
                                                     const std::string& identifier);

// The normalized record of every copy in the mirror (deleted ones included), by (identifier,
// metadata prefix),
// without what differs between a mirror and a mirror of it: the endpoint's name, the datestamp
// (the served one is when the first mirror changed the record) and the sets (the served ones
// are beneath the endpoint's name).
std::map<std::pair<std::string, std::string>, nlohmann::json> comparable_records(
    const std::string& db);

// The provider lists only records changed before the second of its response, so a harvest of
// the mirror right after a write to it must wait for the clock to leave the second of `t`.
// Polls the clock; false when it did not within five seconds.
bool wait_past_second(util::UtcTime t);

}  // namespace oaiharvest::test
