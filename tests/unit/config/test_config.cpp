#include <algorithm>
#include <catch2/catch.hpp>
#include <fstream>
#include <sstream>

#include "config/config.hpp"
#include "config/detail/key_table.hpp"

using namespace oaiharvest::config;
using namespace std::chrono_literals;

namespace {

// The contract's example file.
constexpr std::string_view k_contract_example =
    R"toml(database = "oaiharvest.db"          # relative to the config file's folder

[http]
user_agent = "oaiharvest/0.1 (+mailto:admin@example.org)"
timeout = "60s"                      # durations: "500ms", "30s", "5m", "2h"
retries = 5
request_interval = "1s"              # politeness: least time between requests to one host
max_retry_after = "1h"

[daemon]
parallel = 4                         # endpoints harvested at once

[[endpoint]]
name = "sample"
url = "http://127.0.0.1:8399/cgi/oai2"
prefixes = ["mets"]
sets = []                            # none: the whole repository
schedule = "0 2 * * *"               # 5-field cron, @hourly/@daily/@weekly/@monthly, or "@every 6h"
)toml";

std::string read_text(const std::filesystem::path& file) {
    std::ifstream in{file};
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

}  // namespace

TEST_CASE("the contract's example reads as written", "[config]") {
    const auto config = parse_config(k_contract_example, "/srv/oai/oaiharvest.toml");
    CHECK(config.file == "/srv/oai/oaiharvest.toml");
    CHECK(config.database == std::filesystem::path{"/srv/oai/oaiharvest.db"});
    CHECK(config.http.user_agent == "oaiharvest/0.1 (+mailto:admin@example.org)");
    CHECK(config.http.timeout == 60s);
    CHECK(config.http.retries == 5);
    CHECK(config.http.request_interval == 1s);
    CHECK(config.http.max_retry_after == 1h);
    CHECK(config.daemon.parallel == 4);
    REQUIRE(config.endpoints.size() == 1);
    const auto& sample = config.endpoints[0];
    CHECK(sample.name == "sample");
    CHECK(sample.url == "http://127.0.0.1:8399/cgi/oai2");
    CHECK(sample.prefixes == std::vector<std::string>{"mets"});
    CHECK(sample.sets.empty());
    REQUIRE(sample.schedule);
    CHECK(sample.schedule->text() == "0 2 * * *");
}

TEST_CASE("an empty file gives every default", "[config]") {
    const auto config = parse_config("", "/srv/oai/oaiharvest.toml");
    CHECK_FALSE(config.database);
    CHECK(config.http == HttpSettings{});
    CHECK(config.http.user_agent == std::string{"oaiharvest/"} + oaiharvest::k_version +
                                        " (+https://github.com/oaiharvest/oaiharvest)");
    CHECK(config.http.timeout == 60s);
    CHECK(config.http.connect_timeout == 30s);
    CHECK(config.http.retries == 5);
    CHECK(config.http.max_response_bytes == 1ULL << 30);
    CHECK(config.daemon.parallel == 4);
    CHECK(config.log.level == "info");
    CHECK(config.log.format == "text");
    CHECK_FALSE(config.log.file);
    CHECK(config.log.max_size == 10ULL << 20);
    CHECK(config.log.max_files == 5);
    CHECK(config.endpoints.empty());
}

TEST_CASE("relative paths follow the config file's folder", "[config]") {
    const auto config =
        parse_config("database = \"../data/mirror.db\"\n[log]\nfile = \"log/oaiharvest.log\"\n",
                     "/etc/oaiharvest/oaiharvest.toml");
    CHECK(config.database == std::filesystem::path{"/etc/data/mirror.db"});
    CHECK(config.log.file == std::filesystem::path{"/etc/oaiharvest/log/oaiharvest.log"});

    const auto absolute = parse_config("database = \"/var/lib/oai.db\"\n", "/etc/o.toml");
    CHECK(absolute.database == std::filesystem::path{"/var/lib/oai.db"});

    // A config named without a folder lives in the working directory.
    const auto here = parse_config("database = \"oai.db\"\n", "oaiharvest.toml");
    CHECK(here.database == std::filesystem::current_path() / "oai.db");
}

TEST_CASE("a PostgreSQL URL as the database is kept as written, not made a path", "[config]") {
    for (const std::string url : {"postgresql://oaiharvest@db.example.org/mirror",
                                  "postgres://oaiharvest@/mirror?host=/var/run/postgresql"}) {
        const auto config =
            parse_config("database = \"" + url + "\"\n", "/etc/oaiharvest/oaiharvest.toml");
        CHECK(config.database == std::filesystem::path{url});
    }
    // Only the database takes a URL: a log file named so is a path like any other.
    const auto log = parse_config("[log]\nfile = \"postgresql://x\"\n", "/etc/o/o.toml");
    CHECK(log.log.file == std::filesystem::path{"/etc/o/postgresql:/x"});
}

TEST_CASE("durations, sizes and optional keys are read", "[config]") {
    const auto config = parse_config(R"(
[http]
timeout = "1h30m"
connect_timeout = "500ms"
retries = 0
request_interval = "0s"
max_response_size = "200MB"
[daemon]
parallel = 1
[log]
level = "debug"
format = "json"
max_size = 4096
max_files = 1
[[endpoint]]
name = "a.b_c-1"
url = "HTTPS://example.org/oai"
sets = ["74797065733D61727469636C65", "ddc:004"]
schedule = "@every 6h"
[[endpoint]]
name = "second"
url = "http://example.org/oai2"
)",
                                     "/x/c.toml");
    CHECK(config.http.timeout == 90min);
    CHECK(config.http.connect_timeout == 500ms);
    CHECK(config.http.retries == 0);
    CHECK(config.http.request_interval == 0ms);
    CHECK(config.http.max_response_bytes == 200'000'000u);
    CHECK(config.daemon.parallel == 1);
    CHECK(config.log.level == "debug");
    CHECK(config.log.format == "json");
    CHECK(config.log.max_size == 4096u);
    CHECK(config.log.max_files == 1);
    REQUIRE(config.endpoints.size() == 2);
    CHECK(config.endpoints[0].name == "a.b_c-1");
    CHECK(config.endpoints[0].prefixes.empty());
    CHECK(config.endpoints[0].sets ==
          std::vector<std::string>{"74797065733D61727469636C65", "ddc:004"});
    CHECK(config.endpoints[0].schedule->interval() == 6h);
    CHECK_FALSE(config.endpoints[1].schedule);
    CHECK(find_endpoint(config, "second") == &config.endpoints[1]);
    CHECK(find_endpoint(config, "third") == nullptr);
}

TEST_CASE("the shipped example file loads", "[config]") {
    const std::filesystem::path file{OAIHARVEST_SOURCE_DIR "/config/oaiharvest.example.toml"};
    const auto config = load_config(file);
    CHECK(config.database == file.parent_path() / "oaiharvest.db");
    REQUIRE(config.endpoints.size() == 1);
    CHECK(config.endpoints[0].name == "sample");
    CHECK(config.endpoints[0].url == "http://127.0.0.1:8399/cgi/oai2");
    CHECK(config.endpoints[0].prefixes == std::vector<std::string>{"mets"});
    CHECK(config.endpoints[0].schedule->text() == "0 2 * * *");
}

TEST_CASE("the example file and the docs show every key", "[config]") {
    const auto example = read_text(OAIHARVEST_SOURCE_DIR "/config/oaiharvest.example.toml");
    const auto docs = read_text(OAIHARVEST_SOURCE_DIR "/docs/configuration.md");
    const auto& sections = detail::all_section_keys();
    const auto is_table = [&](std::string_view key) {
        return std::any_of(sections.begin(), sections.end(),
                           [&](const auto& section) { return section.section == key; });
    };
    for (const auto& section : sections) {
        for (const auto key : section.keys) {
            if (is_table(key)) {
                continue;
            }
            INFO(section.section << "." << key);
            CHECK(example.find(std::string{key} + " = ") != std::string::npos);
            CHECK(docs.find("`" + std::string{key} + "`") != std::string::npos);
        }
    }
}

TEST_CASE("load_config names a file it cannot read", "[config]") {
    CHECK_THROWS_WITH(load_config("/nonexistent/oaiharvest.toml"),
                      "/nonexistent/oaiharvest.toml: cannot read: No such file or directory");
    CHECK_THROWS_WITH(load_config("/tmp"), "/tmp: cannot read: it is a directory");
}
