#include <catch2/catch.hpp>

#include "config/config.hpp"

using namespace oaiharvest::config;
using Catch::Matchers::Contains;

namespace {

constexpr std::string_view k_config = R"toml(
database = "mirror.db"
[http]
user_agent = "bot \"quoted\" \\ (+mailto:a@b.org)"
timeout = "90s"
retries = 2
max_response_size = 1048576
[log]
file = "log/oai.log"
[[endpoint]]
name = "sample"
url = "http://127.0.0.1:8399/cgi/oai2"
prefixes = ["mets", "oai_dc"]
schedule = "0 2 * * *"
overlap = "10m"
reconcile = "@weekly"
documents = true
document_types = ["application/pdf"]
document_max_size = "5MB"
document_hosts = ["cdn.example.org"]
[[endpoint]]
name = "other"
url = "https://example.org/oai"
sets = ["a:b"]
)toml";

}  // namespace

TEST_CASE("describe_effective reads back to the same config", "[config][describe]") {
    const auto config = parse_config(k_config, "/etc/oai/oaiharvest.toml");
    const auto text = describe_effective(config);
    INFO(text);
    CHECK(parse_config(text, config.file) == config);
    // Read from elsewhere too: the paths it writes are absolute.
    CHECK(parse_config(text, "/tmp/other/place.toml").database == config.database);
}

TEST_CASE("describe_effective writes every key with its value", "[config][describe]") {
    const auto text = describe_effective(parse_config(k_config, "/etc/oai/oaiharvest.toml"));
    CHECK_THAT(text, Contains("# Effective settings of /etc/oai/oaiharvest.toml"));
    CHECK_THAT(text, Contains("\ndatabase = \"/etc/oai/mirror.db\"\n"));
    CHECK_THAT(text, Contains("\nuser_agent = \"bot \\\"quoted\\\" \\\\ (+mailto:a@b.org)\"\n"));
    CHECK_THAT(text, Contains("\ntimeout = \"1m30s\"\n"));
    CHECK_THAT(text, Contains("\nretries = 2\n"));
    CHECK_THAT(text, Contains("\nmax_response_size = \"1MiB\"\n"));
    CHECK_THAT(text, Contains("\nfile = \"/etc/oai/log/oai.log\"\n"));
    CHECK_THAT(text, Contains("\n[[endpoint]]\n"));
    CHECK_THAT(text, Contains("\nprefixes = [\"mets\", \"oai_dc\"]\n"));
    CHECK_THAT(text, Contains("\nschedule = \"0 2 * * *\"\n"));
    CHECK_THAT(text, Contains("\nsets = [\"a:b\"]\n"));
    CHECK_THAT(text, Contains("\noverlap = \"10m\"\n"));
    CHECK_THAT(text, Contains("\nreconcile = \"@weekly\"\n"));
    CHECK_THAT(text, Contains("\ndocuments = true\n"));
    CHECK_THAT(text, Contains("\ndocument_types = [\"application/pdf\"]\n"));
    CHECK_THAT(text, Contains("\ndocument_hosts = [\"cdn.example.org\"]\n"));
    CHECK_THAT(text, Contains("\ndocuments = false  # default\n"));
}

TEST_CASE("describe_effective marks defaults and explains absent keys", "[config][describe]") {
    const auto text = describe_effective(parse_config(k_config, "/etc/oai/oaiharvest.toml"));
    CHECK_THAT(text, Contains("\nconnect_timeout = \"30s\"  # default\n"));
    CHECK_THAT(text, Contains("\nparallel = 4  # default\n"));
    CHECK_THAT(text, Contains("\nlevel = \"info\"  # default\n"));
    CHECK_THAT(text, Contains("\nsets = []  # default\n"));
    CHECK_THAT(text, Contains("\n# schedule is not set: the daemon skips it"));
    CHECK_THAT(text, Contains("\noverlap = \"5m\"  # default\n"));
    CHECK_THAT(text, Contains("\n# reconcile is not set: the daemon never reconciles it"));
    CHECK_THAT(text, Contains("\n# Longest time connecting to a server may take.\n"));
}

TEST_CASE("describe_effective of an empty file shows every default", "[config][describe]") {
    const auto config = parse_config("", "/etc/oai/oaiharvest.toml");
    const auto text = describe_effective(config);
    CHECK(text ==
          "# Effective settings of /etc/oai/oaiharvest.toml (\"# default\" marks a default "
          "value)\n"
          "# The mirror: a SQLite file, relative to this file's folder, or a PostgreSQL "
          "database as postgresql://user@host/db (docs/scaling.md).\n"
          "# database is not set: --db, else oaiharvest.db in the working directory\n"
          "\n[http]\n"
          "# Sent as User-Agent with every request; say how to reach you.\n"
          "user_agent = \"oaiharvest/" +
              std::string{oaiharvest::k_version} +
              " (+https://github.com/oaiharvest/oaiharvest)\"  # default\n"
              "# A request fails when no byte arrives for this long (a stalled transfer).\n"
              "timeout = \"1m\"  # default\n"
              "# Longest time connecting to a server may take.\n"
              "connect_timeout = \"30s\"  # default\n"
              "# Retries of a failed request, with growing waits between them.\n"
              "retries = 5  # default\n"
              "# Politeness: least time between two requests to one host.\n"
              "request_interval = \"1s\"  # default\n"
              "# Longest Retry-After honoured; a longer one fails the request.\n"
              "max_retry_after = \"1h\"  # default\n"
              "# Largest response body accepted; a larger one fails the request.\n"
              "max_response_size = \"1GiB\"  # default\n"
              "# Longest a whole request may take, however steadily bytes arrive.\n"
              "request_deadline = \"10m\"  # default\n"
              "# Largest metadata of one record; a larger record is kept without it, as "
              "unreadable.\n"
              "max_record_size = \"16MiB\"  # default\n"
              "# Deepest element nesting in one record's metadata; a deeper record is kept "
              "without it.\n"
              "max_nesting_depth = 256  # default\n"
              "# Most decoded bytes per byte received (gzip bombs); 0: no limit.\n"
              "max_compression_ratio = 100  # default\n"
              "# Follow a redirect from https to http.\n"
              "allow_insecure_redirects = false  # default\n"
              "# Pages one list may take; a longer list fails (a server whose list never ends).\n"
              "max_pages = 200000  # default\n"
              "\n[daemon]\n"
              "# Endpoints the daemon harvests at once.\n"
              "parallel = 4  # default\n"
              "# Address space of each harvest process; over it the run dies. 0: no limit.\n"
              "memory_limit = \"1GiB\"  # default\n"
              "# CPU time of each harvest process; over it the run dies. 0: no limit.\n"
              "cpu_limit = \"2h\"  # default\n"
              "# Wall-clock time of each harvest process; then SIGTERM, SIGKILL 2 s later. 0: no "
              "limit.\n"
              "run_deadline = \"12h\"  # default\n"
              "# PostgreSQL: wait before looking again at an endpoint another harvester has.\n"
              "lease_recheck = \"30s\"  # default\n"
              "\n[log]\n"
              "# Least level logged; -v and -q override it.\n"
              "level = \"info\"  # default\n"
              "# Log line format; --log-format overrides it.\n"
              "format = \"text\"  # default\n"
              "# Log to this rotating file; relative to this file's folder.\n"
              "# file is not set: logs go to stderr\n"
              "# Size at which the log file is rotated.\n"
              "max_size = \"10MiB\"  # default\n"
              "# Rotated log files kept.\n"
              "max_files = 5  # default\n"
              "\n[serve]\n"
              "# Address `serve` listens on: HOST:PORT or [IPv6]:PORT.\n"
              "listen = \"127.0.0.1:8080\"  # default\n"
              "# The OAI-PMH base URL harvesters reach (behind a reverse proxy); empty: "
              "http://<the request's Host>/oai.\n"
              "base_url = \"\"  # default\n"
              "# Identify's repositoryName.\n"
              "repository_name = \"oaiharvest mirror\"  # default\n"
              "# Identify's adminEmail (one or more).\n"
              "admin_email = [\"root@localhost.localdomain\"]  # default\n"
              "# Records, headers or sets in one page of a list.\n"
              "page_size = 100  # default\n"
              "# Requests answered at once.\n"
              "workers = 8  # default\n"
              "# Connections that may wait for a worker; more are answered 503 at once.\n"
              "queue = 128  # default\n"
              "# Longest a request may take (reading it, its queries, sending the answer).\n"
              "request_timeout = \"10s\"  # default\n"
              "# The expirationDate a resumptionToken promises (tokens carry their state and "
              "outlive it).\n"
              "token_lifetime = \"1d\"  # default\n"
              "# The daemon serves the mirror too, beside its harvests.\n"
              "in_daemon = false  # default\n"
              "\n[text]\n"
              "# Text kept of one document; the rest is cut off.\n"
              "max_text_size = \"8MiB\"  # default\n"
              "# Largest plain-text or HTML body read; a larger one's text is failed.\n"
              "max_input_size = \"64MiB\"  # default\n"
              "# Address space of the process a PDF is read in; over it that document fails. "
              "0: no limit.\n"
              "worker_memory_limit = \"1GiB\"  # default\n"
              "# CPU time of the process a PDF is read in, in whole seconds; over it that "
              "document fails. 0: no limit.\n"
              "worker_cpu_limit = \"1m\"  # default\n"
              "# Wall-clock time a PDF's reading may take; then its process is killed and the "
              "document fails.\n"
              "worker_timeout = \"2m\"  # default\n");
    CHECK(parse_config(text, config.file) == config);
}
