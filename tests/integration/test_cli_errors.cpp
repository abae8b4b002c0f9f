#include <curl/curlver.h>
#include <libxml/xmlversion.h>
#include <sqlite3.h>
#include <unistd.h>

#include <algorithm>
#include <catch2/catch.hpp>

#include "harness.hpp"
#include "store/lock.hpp"
#include "util/version.hpp"

using namespace oaiharvest;
using test::Harness;

TEST_CASE("A bad flag or a bad date is a usage error (exit 2) naming it", "[integration][cli]") {
    Harness h;
    auto unknown = h.run({"harvest", "--frm", "2026-01-01"});
    CHECK(unknown.exit_code == 2);
    CHECK(unknown.err.find("--frm") != std::string::npos);

    auto bad_date = h.harvest({"--from", "yesterday"});
    CHECK(bad_date.exit_code == 2);
    CHECK(bad_date.err.find("--from \"yesterday\" is not a date") != std::string::npos);

    auto no_command = h.run({});
    CHECK(no_command.exit_code == 2);

    auto bad_url = h.run({"harvest", "--url", "ftp://example.org/oai"});
    CHECK(bad_url.exit_code == 2);
    CHECK(bad_url.err.find("must start with http:// or https://") != std::string::npos);
    // A port curl cannot use is refused before any request (it used to be retried).
    auto bad_port = h.run({"harvest", "--url", "http://127.0.0.1:/cgi/oai2"});
    CHECK(bad_port.exit_code == 2);
    CHECK(bad_port.err.find("the port \"\" is not a number from 1 to 65535") != std::string::npos);
    CHECK(h.server.request_count() == 0);
}

TEST_CASE("Reading commands on a missing database say so (exit 2)", "[integration][cli]") {
    Harness h;
    auto status = h.run({"status"});
    CHECK(status.exit_code == 2);
    CHECK(status.err.find("no database at " + h.db) != std::string::npos);
}

TEST_CASE("A second harvesting process exits 3 naming the holder's pid", "[integration][cli]") {
    Harness h;
    auto lock = store::HarvestLock::acquire(h.db);
    REQUIRE(lock);
    auto result = h.harvest();
    CHECK(result.exit_code == 3);
    CHECK(result.err.find("pid " + std::to_string(::getpid())) != std::string::npos);
    CHECK(h.server.request_count() == 0);
}

TEST_CASE("An invalid search query gets a clear message, not an SQL error", "[integration][cli]") {
    Harness h;
    REQUIRE(h.harvest().exit_code == 0);
    auto result = h.run({"search", "--fts5", "\"unbalanced"});
    CHECK(result.exit_code == 2);
    CHECK(result.err.find("is not a valid FTS5 query") != std::string::npos);
    auto empty = h.run({"search", "- '"});
    CHECK(empty.exit_code == 2);
    CHECK(empty.err.find("search: \"- '\" cannot be searched: it has no words to search for") !=
          std::string::npos);
}

TEST_CASE("The version and help flags exit 0", "[integration][cli]") {
    Harness h;
    auto version = h.run({"--version"});
    CHECK(version.exit_code == 0);
    CHECK(version.out.find("oaiharvest ") != std::string::npos);
    CHECK(h.run({"--help"}).exit_code == 0);
}

TEST_CASE("The version flag names the libcurl, libxml2 and SQLite the binary runs with",
          "[integration][cli]") {
    Harness h;
    auto version = h.run({"--version"});
    CHECK(version.exit_code == 0);
    CHECK(version.err.empty());
    // Debian has one of each library: the headers this test is built with (curl, libxml2) and
    // the SQLite it loads are those the binary runs with.
    CHECK_THAT(version.out, Catch::StartsWith(std::string("oaiharvest ") + k_version +
                                              "\nlibcurl " + LIBCURL_VERSION + " ("));
    CHECK_THAT(version.out,
               Catch::Contains(std::string("\nlibxml2 ") + LIBXML_DOTTED_VERSION + "\n"));
    CHECK_THAT(version.out,
               Catch::EndsWith(std::string("\nSQLite ") + sqlite3_libversion() + "\n"));
}

TEST_CASE("The command line reference of the man page lists what --help lists, nothing hidden",
          "[integration][cli]") {
    Harness h;
    auto result = h.run({"__cli-reference"});
    REQUIRE(result.exit_code == 0);
    const auto cli = nlohmann::json::parse(result.out);
    std::vector<std::string> commands;
    for (const auto& command : cli["commands"]) {
        commands.push_back(command["name"]);
    }
    CHECK(commands == std::vector<std::string>{"identify", "harvest", "reconcile", "status", "show",
                                               "search", "export", "copy", "config", "daemon",
                                               "serve"});
    const auto daemon = std::find_if(cli["commands"].begin(), cli["commands"].end(),
                                     [](const auto& c) { return c["name"] == "daemon"; });
    REQUIRE(daemon != cli["commands"].end());
    std::vector<std::string> daemon_options;
    for (const auto& option : (*daemon)["options"]) {
        daemon_options.push_back(option["names"].back());
    }
    // --harvest-child, --host-slot and --reconcile are the daemon's own, hidden from --help.
    CHECK(daemon_options == std::vector<std::string>{"--help", "--once", "--serve"});
    CHECK(cli["options"][2]["names"] == nlohmann::json{"-c", "--config"});
    CHECK(cli["options"][2]["flag"] == false);
}

TEST_CASE("An unknown command is named, exit 2", "[integration][cli]") {
    Harness h;
    auto typo = h.run({"hravest"});
    CHECK(typo.exit_code == 2);
    CHECK_THAT(typo.err, Catch::Contains("unknown command \"hravest\""));
    CHECK_THAT(typo.err, Catch::Contains("harvest"));
    auto no_command = h.run({});
    CHECK(no_command.exit_code == 2);
    CHECK(no_command.err.find("unknown command") == std::string::npos);
}

TEST_CASE("A --from after --until is refused before any request (exit 2)", "[integration][cli]") {
    Harness h;
    auto reversed = h.harvest({"--from", "2026-01-01", "--until", "2025-01-01"});
    CHECK(reversed.exit_code == 2);
    CHECK_THAT(reversed.err, Catch::Contains("--from 2026-01-01 is after --until 2025-01-01"));
    auto seconds = h.harvest({"--from", "2025-06-01T12:00:00Z", "--until", "2025-06-01T11:59:59Z"});
    CHECK(seconds.exit_code == 2);
    CHECK(h.server.request_count() == 0);
}

TEST_CASE("Names, prefixes and sets on the command line are checked as the config checks them",
          "[integration][cli]") {
    Harness h;
    const std::string url = h.server.base_url();
    auto prefix = h.run({"harvest", "--url", url, "--prefix", "oai dc"});
    CHECK(prefix.exit_code == 2);
    CHECK_THAT(prefix.err, Catch::Contains("--prefix \"oai dc\": character ' ' is not allowed"));
    auto set = h.run({"harvest", "--url", url, "--set", "a/b"});
    CHECK(set.exit_code == 2);
    CHECK_THAT(set.err, Catch::Contains("--set \"a/b\": character '/' is not allowed"));
    auto twice = h.run({"harvest", "--url", url, "--set", "x", "--set", "x"});
    CHECK(twice.exit_code == 2);
    CHECK_THAT(twice.err, Catch::Contains("--set \"x\": given twice"));
    auto name = h.run({"harvest", "--url", url, "--name", "my repo"});
    CHECK(name.exit_code == 2);
    CHECK_THAT(name.err, Catch::Contains("--name \"my repo\": character ' ' is not allowed"));
    auto endpoint = h.run({"harvest", "bad\x1B[2Jname"});
    CHECK(endpoint.exit_code == 2);
    CHECK_THAT(endpoint.err, Catch::Contains("endpoint name \"bad\\x1B[2Jname\""));
    CHECK(endpoint.err.find('\x1B') == std::string::npos);
    CHECK(h.server.request_count() == 0);
}
