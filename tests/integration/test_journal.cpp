// Logging to systemd's journal: when JOURNAL_STREAM names the process's stderr (a service with
// StandardError=journal, the default), each line starts with its syslog priority and the text
// lines carry no timestamp of their own (docs/operations.md#logs).

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <regex>

#include "harness.hpp"

using namespace oaiharvest;
using test::BackgroundProcess;
using test::Harness;

namespace {

test::ProcessResult run_as_service(const std::vector<std::string>& args) {
    BackgroundProcess process(BackgroundProcess::StderrAsJournal{}, args);
    return process.wait();
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
    const std::regex priority_then_level(R"(<[2-7]>(debug|info|warning|error|critical): .+)");
    for (const auto& line : lines) {
        INFO(line);
        CHECK(std::regex_match(line, priority_then_level));
    }
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

TEST_CASE("A stderr that JOURNAL_STREAM does not name gets timestamped lines, no priority",
          "[integration][log]") {
    // The variable is inherited by processes whose stderr is elsewhere: here it names this test's
    // stderr, and the harvest's stderr is a pipe.
    struct stat own_stderr {};
    REQUIRE(::fstat(STDERR_FILENO, &own_stderr) == 0);
    REQUIRE(
        ::setenv(
            "JOURNAL_STREAM",
            (std::to_string(own_stderr.st_dev) + ":" + std::to_string(own_stderr.st_ino)).c_str(),
            1) == 0);
    Harness h;
    auto result = h.harvest();
    REQUIRE(::unsetenv("JOURNAL_STREAM") == 0);
    REQUIRE(result.exit_code == 0);
    const std::regex timestamped(R"(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d (info|warning): .+)");
    for (const auto& line : test::lines_of(result.err)) {
        INFO(line);
        CHECK(std::regex_match(line, timestamped));
    }
}
