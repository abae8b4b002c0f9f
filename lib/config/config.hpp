#pragma once
// The config file (TOML): what to harvest, when, and how politely. load_config reads and
// validates it in full, so that a Config in hand is a correct one; describe_effective writes it
// back with every default spelled out, for `oaiharvest config check`. Every key, its default
// and its meaning are in one table (config/detail/key_table.cpp) and in docs/configuration.md.
// Thread-safe: plain values and functions without shared state; a Config owns all its data.
// Besides the file, parse_config reads only the working directory, to anchor a relative path.

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "config/units.hpp"
#include "scheduler/schedule.hpp"
#include "util/version.hpp"

namespace oaiharvest::config {

// [http]: how requests are made.
struct HttpSettings {
    std::string user_agent =
        std::string{"oaiharvest/"} + k_version + " (+https://github.com/oaiharvest/oaiharvest)";
    std::chrono::milliseconds timeout{
        std::chrono::seconds{60}};  // a stalled transfer fails after this
    std::chrono::milliseconds connect_timeout{std::chrono::seconds{30}};  // the connection alone
    int retries = 5;  // after the first attempt; >= 0
    // Least time between two requests to one host.
    std::chrono::milliseconds request_interval{std::chrono::seconds{1}};
    std::chrono::milliseconds max_retry_after{std::chrono::hours{1}};      // longest honoured
    std::uint64_t max_response_bytes = 1ULL << 30;                         // key max_response_size
    std::chrono::milliseconds request_deadline{std::chrono::minutes{10}};  // the whole request
    std::uint64_t max_record_bytes = 16ULL << 20;                          // key max_record_size
    int max_nesting_depth = 256;            // elements in one record's metadata
    int max_compression_ratio = 100;        // decoded bytes per byte received; 0: no check
    bool allow_insecure_redirects = false;  // follow https -> http redirects
    int max_pages = 200'000;                // pages one list may take; >= 1

    friend bool operator==(const HttpSettings&, const HttpSettings&) = default;
};

// [daemon]
struct DaemonSettings {
    int parallel = 4;  // endpoints harvested at once; >= 1
    // Limits of each harvest child process (daemon/child.hpp); 0 turns one off.
    std::uint64_t memory_limit = 1ULL << 30;                         // RLIMIT_AS, bytes
    std::chrono::milliseconds cpu_limit{std::chrono::hours{2}};      // RLIMIT_CPU
    std::chrono::milliseconds run_deadline{std::chrono::hours{12}};  // wall clock
    // On a shared PostgreSQL mirror: how long an endpoint whose lease another harvester holds
    // is left before the daemon looks at it again (store/lease.hpp).
    std::chrono::milliseconds lease_recheck{std::chrono::seconds{30}};

    friend bool operator==(const DaemonSettings&, const DaemonSettings&) = default;
};

// [text]: reading the text of mirrored documents (docs/documents.md#text-extraction): what is
// kept, and the bounds of the worker process a PDF is read in; 0 turns a worker limit off.
struct TextSettings {
    std::uint64_t max_text = 8ULL << 20;                                   // key max_text_size
    std::uint64_t max_input = 64ULL << 20;                                 // key max_input_size
    std::uint64_t worker_memory_limit = 1ULL << 30;                        // RLIMIT_AS, bytes
    std::chrono::milliseconds worker_cpu_limit{std::chrono::seconds{60}};  // RLIMIT_CPU
    std::chrono::milliseconds worker_timeout{std::chrono::seconds{120}};   // then SIGKILL

    friend bool operator==(const TextSettings&, const TextSettings&) = default;
};

// [serve]: `oaiharvest serve` and the daemon's server (docs/serving.md).
struct ServeSettings {
    std::string listen = "127.0.0.1:8080";  // HOST:PORT, [IPv6]:PORT
    std::string base_url;                   // empty: http://<the request's Host>/oai
    std::string repository_name = "oaiharvest mirror";
    std::vector<std::string> admin_email{"root@localhost.localdomain"};  // at least one
    int page_size = 100;  // records, headers or sets per list page; 1-1000
    int workers = 8;      // requests answered at once
    int queue = 128;      // connections waiting beyond which new ones are answered 503
    std::chrono::milliseconds request_timeout{std::chrono::seconds{10}};
    std::chrono::milliseconds token_lifetime{std::chrono::hours{24}};
    bool in_daemon = false;  // the daemon serves too, beside its harvests

    friend bool operator==(const ServeSettings&, const ServeSettings&) = default;
};

// [log]: the -v/-q and --log-format options override level and format.
struct LogSettings {
    std::string level = "info";                 // trace, debug, info, warn, error, critical, off
    std::string format = "text";                // text or json
    std::optional<std::filesystem::path> file;  // a rotating file; absent: stderr
    std::uint64_t max_size = 10ULL << 20;       // bytes before the file rotates
    int max_files = 5;                          // rotated files kept; >= 1

    friend bool operator==(const LogSettings&, const LogSettings&) = default;
};

// [[endpoint]]
struct EndpointConfig {
    std::string name;                             // [A-Za-z0-9._-]+, unique
    std::string url;                              // http:// or https://
    std::vector<std::string> prefixes;            // empty: mets if offered, else mods, else oai_dc
    std::vector<std::string> sets;                // empty: the whole repository
    std::optional<scheduler::Schedule> schedule;  // absent: only `harvest` runs it, not the daemon
    // How far before the saved point an incremental harvest asks `from` (with days: rounded up
    // to whole days); 0: none.
    std::chrono::milliseconds overlap{std::chrono::minutes{5}};
    // When the daemon reconciles it (oaiharvest reconcile); absent: only by hand.
    std::optional<scheduler::Schedule> reconcile;
    // The files its records list, mirrored (docs/documents.md).
    bool documents = false;
    std::vector<std::string> document_types{"application/pdf", "text/plain", "text/html"};
    std::uint64_t document_max_bytes = 50'000'000;  // key document_max_size, decoded bytes
    std::vector<std::string> document_hosts;        // besides the endpoint's own host

    friend bool operator==(const EndpointConfig&, const EndpointConfig&) = default;
};

struct Config {
    std::filesystem::path file;  // the file it was read from, as given
    // Relative paths in the file (database, log.file) are made absolute against its folder.
    // Absent: the command line decides (--db, else oaiharvest.db in the working directory).
    std::optional<std::filesystem::path> database;
    HttpSettings http;
    DaemonSettings daemon;
    LogSettings log;
    ServeSettings serve;
    TextSettings text;
    std::vector<EndpointConfig> endpoints;  // in file order

    friend bool operator==(const Config&, const Config&) = default;
};

// Every problem found in a config file, one per line, each naming the file, the line and
// column, the key and the bad value:
//   oaiharvest.toml:12:12: endpoint[0].schedule = "0 25 * * *": hour 25 is out of range 0-23
class ConfigError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// Reads and validates the file. Throws ConfigError when it cannot be read, is not TOML, or has
// an unknown key, a value of the wrong type or out of range, a bad duration, size or schedule,
// a missing endpoint name or url, or a name used twice.
Config load_config(const std::filesystem::path& file);

// The same for text already read; `file` names it in messages and anchors relative paths.
Config parse_config(std::string_view toml_text, const std::filesystem::path& file);

// The effective settings as TOML that parse_config reads back to an equal Config: every key
// with its value, defaults included and marked, each with its doc line as a comment; absent
// optional keys appear as comments saying what their absence means.
std::string describe_effective(const Config& config);

// The endpoint of that name, or nullptr.
const EndpointConfig* find_endpoint(const Config& config, std::string_view name);

}  // namespace oaiharvest::config
