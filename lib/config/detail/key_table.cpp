#include "config/detail/key_table.hpp"

#include <array>

#include "config/checks.hpp"
#include "util/url.hpp"

namespace oaiharvest::config::detail {
namespace {

constexpr std::array<std::string_view, 7> k_log_levels{"trace", "debug",    "info", "warn",
                                                       "error", "critical", "off"};
constexpr std::array<std::string_view, 2> k_log_formats{"text", "json"};

std::string check_endpoint_name(std::string_view name) {
    return endpoint_name_problem(name);
}

std::string check_http_url(std::string_view url) {
    return util::http_url_problem(url);
}

std::string check_oai_token(std::string_view token) {
    return oai_token_problem(token);
}

std::string check_header_value(std::string_view value) {
    return header_value_problem(value);
}

std::string check_listen(std::string_view address) {
    return listen_address_problem(address);
}

std::string check_email(std::string_view address) {
    return email_problem(address);
}

std::string check_mime_type(std::string_view type) {
    return mime_type_problem(type);
}

std::string check_host_name(std::string_view host) {
    return host_name_problem(host);
}

std::string check_base_url(std::string_view url) {
    return url.empty() ? "" : util::http_url_problem(url);
}

const std::array<KeySpec<Config>, 1> k_top_level{{
    {"database",
     &Config::database,
     "The mirror: a SQLite file, relative to this file's folder, or a PostgreSQL database as "
     "postgresql://user@host/db (docs/scaling.md).",
     {.when_absent = "--db, else oaiharvest.db in the working directory", .or_postgres_url = true}},
}};

const std::array<KeySpec<HttpSettings>, 13> k_http{{
    {"user_agent",
     &HttpSettings::user_agent,
     "Sent as User-Agent with every request; say how to reach you.",
     {.validate = check_header_value}},
    {"timeout",
     &HttpSettings::timeout,
     "A request fails when no byte arrives for this long (a stalled transfer).",
     {.min = 1}},
    {"connect_timeout",
     &HttpSettings::connect_timeout,
     "Longest time connecting to a server may take.",
     {.min = 1}},
    {"retries", &HttpSettings::retries,
     "Retries of a failed request, with growing waits between them."},
    {"request_interval", &HttpSettings::request_interval,
     "Politeness: least time between two requests to one host."},
    {"max_retry_after", &HttpSettings::max_retry_after,
     "Longest Retry-After honoured; a longer one fails the request."},
    {"max_response_size",
     &HttpSettings::max_response_bytes,
     "Largest response body accepted; a larger one fails the request.",
     {.min = 1}},
    {"request_deadline",
     &HttpSettings::request_deadline,
     "Longest a whole request may take, however steadily bytes arrive.",
     {.min = 1}},
    {"max_record_size",
     &HttpSettings::max_record_bytes,
     "Largest metadata of one record; a larger record is kept without it, as unreadable.",
     {.min = 1}},
    {"max_nesting_depth",
     &HttpSettings::max_nesting_depth,
     "Deepest element nesting in one record's metadata; a deeper record is kept without it.",
     {.min = 1}},
    {"max_compression_ratio",
     &HttpSettings::max_compression_ratio,
     "Most decoded bytes per byte received (gzip bombs); 0: no limit.",
     {.min = 0}},
    {"allow_insecure_redirects", &HttpSettings::allow_insecure_redirects,
     "Follow a redirect from https to http."},
    {"max_pages",
     &HttpSettings::max_pages,
     "Pages one list may take; a longer list fails (a server whose list never ends).",
     {.min = 1}},
}};

const std::array<KeySpec<DaemonSettings>, 5> k_daemon{{
    {"parallel", &DaemonSettings::parallel, "Endpoints the daemon harvests at once.", {.min = 1}},
    {"memory_limit", &DaemonSettings::memory_limit,
     "Address space of each harvest process; over it the run dies. 0: no limit."},
    {"cpu_limit", &DaemonSettings::cpu_limit,
     "CPU time of each harvest process; over it the run dies. 0: no limit."},
    {"run_deadline", &DaemonSettings::run_deadline,
     "Wall-clock time of each harvest process; then SIGTERM, SIGKILL 2 s later. 0: no limit."},
    {"lease_recheck",
     &DaemonSettings::lease_recheck,
     "PostgreSQL: wait before looking again at an endpoint another harvester has.",
     {.min = 1}},
}};

const std::array<KeySpec<LogSettings>, 5> k_log{{
    {"level",
     &LogSettings::level,
     "Least level logged; -v and -q override it.",
     {.choices = k_log_levels}},
    {"format",
     &LogSettings::format,
     "Log line format; --log-format overrides it.",
     {.choices = k_log_formats}},
    {"file",
     &LogSettings::file,
     "Log to this rotating file; relative to this file's folder.",
     {.when_absent = "logs go to stderr"}},
    {"max_size", &LogSettings::max_size, "Size at which the log file is rotated.", {.min = 1}},
    {"max_files", &LogSettings::max_files, "Rotated log files kept.", {.min = 1}},
}};

const std::array<KeySpec<TextSettings>, 5> k_text{{
    {"max_text_size",
     &TextSettings::max_text,
     "Text kept of one document; the rest is cut off.",
     {.min = 1}},
    {"max_input_size",
     &TextSettings::max_input,
     "Largest plain-text or HTML body read; a larger one's text is failed.",
     {.min = 1}},
    {"worker_memory_limit", &TextSettings::worker_memory_limit,
     "Address space of the process a PDF is read in; over it that document fails. 0: no limit."},
    {"worker_cpu_limit", &TextSettings::worker_cpu_limit,
     "CPU time of the process a PDF is read in, in whole seconds; over it that document fails. "
     "0: no limit."},
    {"worker_timeout",
     &TextSettings::worker_timeout,
     "Wall-clock time a PDF's reading may take; then its process is killed and the document "
     "fails.",
     {.min = 1000}},
}};

const std::array<KeySpec<ServeSettings>, 10> k_serve{{
    {"listen",
     &ServeSettings::listen,
     "Address `serve` listens on: HOST:PORT or [IPv6]:PORT.",
     {.validate = check_listen}},
    {"base_url",
     &ServeSettings::base_url,
     "The OAI-PMH base URL harvesters reach (behind a reverse proxy); empty: "
     "http://<the request's Host>/oai.",
     {.validate = check_base_url}},
    {"repository_name", &ServeSettings::repository_name, "Identify's repositoryName."},
    {"admin_email",
     &ServeSettings::admin_email,
     "Identify's adminEmail (one or more).",
     {.validate = check_email}},
    {"page_size",
     &ServeSettings::page_size,
     "Records, headers or sets in one page of a list.",
     {.min = 1}},
    {"workers", &ServeSettings::workers, "Requests answered at once.", {.min = 1}},
    {"queue",
     &ServeSettings::queue,
     "Connections that may wait for a worker; more are answered 503 at once.",
     {.min = 1}},
    {"request_timeout",
     &ServeSettings::request_timeout,
     "Longest a request may take (reading it, its queries, sending the answer).",
     {.min = 1}},
    {"token_lifetime",
     &ServeSettings::token_lifetime,
     "The expirationDate a resumptionToken promises (tokens carry their state and outlive it).",
     {.min = 1000}},
    {"in_daemon", &ServeSettings::in_daemon,
     "The daemon serves the mirror too, beside its harvests."},
}};

const std::array<KeySpec<EndpointConfig>, 11> k_endpoint{{
    {"name",
     &EndpointConfig::name,
     "Unique name: A-Z a-z 0-9 . _ -",
     {.required = true, .validate = check_endpoint_name}},
    {"url",
     &EndpointConfig::url,
     "Base URL of the OAI-PMH endpoint.",
     {.required = true, .validate = check_http_url}},
    {"prefixes",
     &EndpointConfig::prefixes,
     "Metadata formats; empty: mets if offered, else mods, else oai_dc.",
     {.validate = check_oai_token}},
    {"sets",
     &EndpointConfig::sets,
     "setSpecs to harvest; empty: the whole repository.",
     {.validate = check_oai_token}},
    {"schedule",
     &EndpointConfig::schedule,
     "When the daemon harvests it: 5 cron fields, @daily..., or @every 6h.",
     {.when_absent = "the daemon skips it; `oaiharvest harvest` still runs it"}},
    {"overlap",
     &EndpointConfig::overlap,
     "Incremental harvests ask from this long before the last one reached; days: whole days.",
     {.min = 0}},
    {"reconcile",
     &EndpointConfig::reconcile,
     "When the daemon reconciles it with the server's list of identifiers; same syntax.",
     {.when_absent = "the daemon never reconciles it; `oaiharvest reconcile` still does"}},
    {"documents", &EndpointConfig::documents,
     "Mirror the files its records list (after its metadata, each harvest)."},
    {"document_types",
     &EndpointConfig::document_types,
     "MIME types of the files wanted; a file listed without one is judged by its Content-Type.",
     {.validate = check_mime_type}},
    {"document_max_size",
     &EndpointConfig::document_max_bytes,
     "Largest file accepted, counted decoded; a larger one fails.",
     {.min = 1}},
    {"document_hosts",
     &EndpointConfig::document_hosts,
     "Hosts files may come from besides the endpoint's own (a CDN); redirects included.",
     {.validate = check_host_name}},
}};

template <class Section>
std::vector<std::string_view> names_of(std::span<const KeySpec<Section>> keys) {
    std::vector<std::string_view> names;
    for (const auto& key : keys) {
        names.push_back(key.name);
    }
    return names;
}

}  // namespace

std::span<const KeySpec<Config>> top_level_keys() {
    return k_top_level;
}
std::span<const KeySpec<HttpSettings>> http_keys() {
    return k_http;
}
std::span<const KeySpec<DaemonSettings>> daemon_keys() {
    return k_daemon;
}
std::span<const KeySpec<LogSettings>> log_keys() {
    return k_log;
}
std::span<const KeySpec<ServeSettings>> serve_keys() {
    return k_serve;
}
std::span<const KeySpec<TextSettings>> text_keys() {
    return k_text;
}
std::span<const KeySpec<EndpointConfig>> endpoint_keys() {
    return k_endpoint;
}

const std::vector<SectionKeys>& all_section_keys() {
    static const std::vector<SectionKeys> sections = [] {
        auto top = names_of(top_level_keys());
        top.insert(top.end(), {"http", "daemon", "log", "serve", "text", "endpoint"});
        return std::vector<SectionKeys>{
            {"", std::move(top)},
            {"http", names_of(http_keys())},
            {"daemon", names_of(daemon_keys())},
            {"log", names_of(log_keys())},
            {"serve", names_of(serve_keys())},
            {"text", names_of(text_keys())},
            {"endpoint", names_of(endpoint_keys())},
        };
    }();
    return sections;
}

}  // namespace oaiharvest::config::detail
