// Logging to systemd's journal: when JOURNAL_STREAM names the process's stderr (a service with
// StandardError=journal, the default), each line starts with its syslog priority and the text
// lines carry no timestamp of their own (docs/operations.md#logs).

#include <algorithm>
#include <catch2/catch.hpp>
#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>

#include "harness.hpp"

using namespace oaiharvest;
using test::BackgroundProcess;
using test::Harness;

namespace {

test::ProcessResult run_as_service(const std::vector<std::string>& args,
                                   BackgroundProcess::JournalStream journal = {}) {
    BackgroundProcess process(journal, args);
    return process.wait();
}

// Checks every line of the output, naming the one that does not match.
void check_every_line_matches(const std::vector<std::string>& lines, const std::regex& pattern) {
    for (const auto& line : lines) {
        INFO(line);
        CHECK(std::regex_match(line, pattern));
    }
}

bool any_line_starts_with(const std::vector<std::string>& lines, std::string_view prefix) {
    return std::any_of(lines.begin(), lines.end(),
                       [&](const std::string& line) { return line.starts_with(prefix); });
}

}  // namespace

TEST_CASE("In the journal a harvest's lines start with their priority and carry no timestamp",
          "[integration][log]") {
    Harness h;
    // One 503 on the first list request: a retry, logged as a warning.
    h.server.set_script(testing::fault_at(2, testing::http_status(503, "0")));
    auto result =
        run_as_service({"--db", h.db, "harvest", "--url", h.server.base_url(), "--name", "sample"});
    INFO(result.err);
    REQUIRE(result.exit_code == 0);
    auto lines = test::lines_of(result.err);
    REQUIRE_FALSE(lines.empty());
    check_every_line_matches(lines,
                             std::regex(R"(<[2-7]>(debug|info|warning|error|critical): .+)"));
    CHECK(any_line_starts_with(lines, "<6>info: sample mets: 292 new, "));
    CHECK(any_line_starts_with(lines, "<4>warning: HTTP 503 from "));
}

TEST_CASE("In the journal a command's error is one line at priority error", "[integration][log]") {
    Harness h;
    auto missing = h.dir.file("missing.db");
    auto result = run_as_service({"--db", missing, "status"});
    CHECK(result.exit_code == 2);
    CHECK(result.err ==
          "<3>oaiharvest: no database at " + missing + " (harvest first, or name one with --db)\n");
}

TEST_CASE("In the journal JSON lines keep their time field after the priority",
          "[integration][log]") {
    Harness h;
    auto result = run_as_service({"--log-format", "json", "--db", h.db, "harvest", "--url",
                                  h.server.base_url(), "--name", "sample"});
    INFO(result.err);
    REQUIRE(result.exit_code == 0);
    auto lines = test::lines_of(result.err);
    REQUIRE_FALSE(lines.empty());
    for (const auto& line : lines) {
        INFO(line);
        REQUIRE(line.starts_with("<6>{"));
        auto object = nlohmann::json::parse(line.substr(3));
        CHECK(object.at("level") == "info");
        CHECK(object.at("time").get<std::string>().size() >= 19);
    }
}

TEST_CASE("In the journal each line of a multi-line error is at priority error",
          "[integration][log]") {
    Harness h;
    auto config = h.dir.file("two-problems.toml");
    std::ofstream(config) << "databse = \"mirror.db\"\n[http]\ntimeout = \"soon\"\n";
    auto result = run_as_service({"-c", config, "config", "check"});
    CHECK(result.exit_code == 2);
    auto lines = test::lines_of(result.err);
    REQUIRE(lines.size() >= 2);
    CHECK(lines.front().starts_with("<3>oaiharvest: "));
    check_every_line_matches(lines, std::regex("<3>.*"));
    CHECK(result.err.find("databse") != std::string::npos);
    CHECK(result.err.find("timeout") != std::string::npos);
}

TEST_CASE("In the journal a bad option is an error too", "[integration][log]") {
    auto result = run_as_service({"status", "--no-such-option"});
    CHECK(result.exit_code == 2);
    auto lines = test::lines_of(result.err);
    REQUIRE_FALSE(lines.empty());
    CHECK(lines.front().starts_with("<3>oaiharvest: "));
    CHECK(result.err.find("--no-such-option") != std::string::npos);
    check_every_line_matches(lines, std::regex("<3>.*"));
}

TEST_CASE("A stderr that JOURNAL_STREAM does not name gets timestamped lines, no priority",
          "[integration][log]") {
    // The variable is inherited by processes whose stderr is elsewhere: here it names the
    // harvest's stdout, not its stderr.
    Harness h;
    auto result =
        run_as_service({"--db", h.db, "harvest", "--url", h.server.base_url(), "--name", "sample"},
                       BackgroundProcess::JournalStream{.names_stderr = false});
    REQUIRE(result.exit_code == 0);
    auto lines = test::lines_of(result.err);
    REQUIRE_FALSE(lines.empty());
    check_every_line_matches(lines,
                             std::regex(R"(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d (info|warning): .+)"));
}
