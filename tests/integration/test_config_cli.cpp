// The config file as the commands use it: `config check`, `harvest NAME`, exit codes for a bad
// file or name, an unreachable endpoint, and JSON log lines.

#include <catch2/catch.hpp>
#include <fstream>
#include <sstream>

#include "harness.hpp"

using namespace oaiharvest;
using test::Harness;

namespace {

std::string write_file(const test::TempDir& dir, const std::string& name, const std::string& text) {
    std::string path = dir.file(name);
    std::ofstream(path) << text;
    return path;
}

std::string two_endpoints(const Harness& h) {
    return "database = \"mirror.db\"\n[http]\nretries = 0\nrequest_interval = \"0s\"\n"
           "[[endpoint]]\nname = \"sample\"\nurl = \"" +
           h.server.base_url() +
           "\"\nschedule = \"@daily\"\n"
           "[[endpoint]]\nname = \"unreachable\"\nurl = \"http://127.0.0.1:1/cgi/oai2\"\n";
}

}  // namespace

TEST_CASE("config check prints the effective settings, and a bad file is exit 2 naming it",
          "[integration][config]") {
    Harness h;
    auto good = write_file(h.dir, "good.toml", two_endpoints(h));
    auto check = test::run_oaiharvest({"-c", good, "config", "check"});
    INFO(check.err);
    CHECK(check.exit_code == 0);
    CHECK_THAT(check.out, Catch::Contains("name = \"unreachable\""));
    CHECK_THAT(check.out, Catch::Contains("parallel = 4  # default"));
    CHECK(h.server.request_count() == 0);

    auto bad = write_file(h.dir, "bad.toml",
                          "[http]\ntimeout = \"soon\"\n[[endpoint]]\nname = \"a\"\n"
                          "url = \"http://x.org/oai\"\nschedule = \"0 25 * * *\"\n");
    auto refused = test::run_oaiharvest({"-c", bad, "config", "check"});
    CHECK(refused.exit_code == 2);
    CHECK_THAT(refused.err, Catch::Contains("bad.toml:2:"));
    CHECK_THAT(refused.err, Catch::Contains("timeout"));
    CHECK_THAT(refused.err, Catch::Contains("\"soon\""));
    CHECK_THAT(refused.err, Catch::Contains("hour 25"));
    // Every command reads the config first: a bad file stops a harvest before any request.
    CHECK(test::run_oaiharvest({"-c", bad, "harvest"}).exit_code == 2);

    auto missing = test::run_oaiharvest({"-c", h.dir.file("nowhere.toml"), "config", "check"});
    CHECK(missing.exit_code == 2);
    CHECK_THAT(missing.err, Catch::Contains("nowhere.toml"));
}

TEST_CASE("harvest NAME runs one configured endpoint, and an unreachable one is exit 1",
          "[integration][config]") {
    Harness h;
    auto config = write_file(h.dir, "oaiharvest.toml", two_endpoints(h));
    auto one = test::run_oaiharvest({"-c", config, "harvest", "sample"});
    INFO(one.err);
    CHECK(one.exit_code == 0);
    CHECK_THAT(one.err, Catch::Contains("sample mets: 292 new"));
    // The database named in the config, relative to its folder.
    CHECK(h.exported_from(h.dir.file("mirror.db")).size() == 300);

    auto unknown = test::run_oaiharvest({"-c", config, "harvest", "nosuch"});
    CHECK(unknown.exit_code == 2);
    CHECK_THAT(unknown.err, Catch::Contains("no endpoint named \"nosuch\""));

    // All: the healthy one is harvested, the unreachable one named with its cause, exit 1.
    auto all = test::run_oaiharvest({"-c", config, "harvest"});
    CHECK(all.exit_code == 1);
    CHECK_THAT(all.err, Catch::Contains("unreachable"));
    CHECK_THAT(all.err, Catch::Contains("127.0.0.1:1"));
    CHECK_THAT(all.err, Catch::Contains("sample mets: 0 new"));
    auto status = test::run_oaiharvest({"-c", config, "status", "--json", "unreachable"});
    REQUIRE(status.exit_code == 0);
    auto entry = nlohmann::json::parse(status.out).at(0);
    CHECK(entry["metadata_prefix"].is_null());
    CHECK_THAT(entry["endpoint_error"].get<std::string>(), Catch::Contains("127.0.0.1:1"));
}

TEST_CASE("JSON log format writes one JSON object a line", "[integration][config]") {
    Harness h;
    // Server text with quotes, a backslash and a tab ends up in the log's error line (the tab
    // as a space: a log line holds no control character).
    h.server.set_script([](const testing::RequestInfo& r) -> std::optional<testing::Fault> {
        if (r.verb == "ListRecords") {
            return testing::oai_error(200, "badArgument", "the \"from\" value \\ is\tbad");
        }
        return std::nullopt;
    });
    auto json = h.run({"--log-format", "json", "-v", "harvest", "--url", h.server.base_url(),
                       "--name", "sample"});
    CHECK(json.exit_code == 1);
    std::istringstream lines(json.err);
    int parsed = 0;
    bool quoted = false;
    for (std::string line; std::getline(lines, line);) {
        INFO(line);
        auto object = nlohmann::json::parse(line);  // throws, failing the test, if not JSON
        CHECK(object.contains("level"));
        REQUIRE(object["message"].is_string());
        quoted = quoted || object["message"].get<std::string>().find(
                               "the \"from\" value \\ "
                               "is bad") != std::string::npos;  // the tab: a space
        ++parsed;
    }
    CHECK(parsed > 1);
    CHECK(quoted);
}

TEST_CASE("harvest --prefix P NAME takes NAME as the endpoint, not as a second prefix",
          "[integration][config]") {
    Harness h;
    auto config = write_file(h.dir, "oaiharvest.toml", two_endpoints(h));
    // It used to harvest every endpoint, with the prefixes oai_dc and "sample".
    auto one = test::run_oaiharvest({"-c", config, "harvest", "--prefix", "oai_dc", "sample"});
    INFO(one.err);
    CHECK(one.exit_code == 0);
    CHECK_THAT(one.err, Catch::Contains("sample oai_dc: 292 new"));
    CHECK(one.err.find("unreachable") == std::string::npos);
    CHECK(one.err.find("sample sample") == std::string::npos);
    for (const auto& request : h.server.requests()) {
        if (auto prefix = request.args.find("metadataPrefix"); prefix != request.args.end()) {
            CHECK(prefix->second == "oai_dc");
        }
    }

    // Repeated options still add up, and names may come before or after them.
    auto two = test::run_oaiharvest(
        {"-c", config, "harvest", "sample", "--prefix", "oai_dc", "--prefix", "mods"});
    INFO(two.err);
    CHECK(two.exit_code == 0);
    CHECK_THAT(two.err, Catch::Contains("sample oai_dc: 0 new"));
    CHECK_THAT(two.err, Catch::Contains("sample mods: 292 new"));
}
