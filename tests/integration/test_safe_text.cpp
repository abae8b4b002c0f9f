// What a hostile server's bytes can reach: error bodies with bytes that are not UTF-8 and
// terminal escapes, credentials in a base URL, datestamps that are not dates. None of it may
// reach a terminal, a log line or `status` raw, and none of it may make `status` unreadable.

#include <sqlite3.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "harness.hpp"
#include "util/safe_text.hpp"

using namespace oaiharvest;
using test::Harness;

namespace {

// A body as a hostile or broken server sends it: bytes that are not UTF-8, a clear-screen, a
// window title (OSC), a bell, a carriage return that would overwrite the line.
const std::string k_hostile_body =
    "\xFF\xFE"
    "Not here\x1B[2J\x1B]0;pwned\x07\x07\rforged line";

// True when every line of the output is what printable() would make of it: valid UTF-8, no
// control character (ESC, BEL, CR), no C1 control.
bool is_clean(const std::string& output) {
    std::istringstream lines(output);
    for (std::string line; std::getline(lines, line);) {
        if (util::printable(line) != line) {
            return false;
        }
    }
    return true;
}

testing::Script not_found_for_lists() {
    return [](const testing::RequestInfo& request) -> std::optional<testing::Fault> {
        if (request.verb == "ListRecords" || request.verb == "ListMetadataFormats") {
            return testing::http_status(404, std::nullopt, k_hostile_body);
        }
        return std::nullopt;
    };
}

// Requests without the politeness pause and failures without retries: the tests stay fast.
void quick(Harness& h) {
    h.use_config("[http]\nrequest_interval = \"0s\"\nretries = 0\n");
}

sample::GenerateOptions few_records() {
    sample::GenerateOptions options;
    options.records = 20;
    return options;
}

std::string file_bytes(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream bytes;
    bytes << in.rdbuf();
    return bytes.str();
}

}  // namespace

TEST_CASE("A 404 body with bytes 0xFF 0xFE and terminal escapes leaves stderr and status clean",
          "[integration][safe_text]") {
    Harness h(few_records());
    quick(h);
    h.server.set_script(not_found_for_lists());

    auto harvest = h.harvest({"--prefix", "oai_dc"});
    CHECK(harvest.exit_code == 1);
    CHECK_THAT(harvest.err, Catch::Contains("HTTP 404"));
    CHECK_THAT(harvest.err, Catch::Contains("\xEF\xBF\xBD\xEF\xBF\xBDNot here\\x1B[2J"));
    CHECK(is_clean(harvest.err));

    // It used to fail for the whole database: the stored error was not UTF-8.
    auto status_json = h.run({"status", "--json"});
    REQUIRE(status_json.exit_code == 0);
    auto status = nlohmann::json::parse(status_json.out);
    REQUIRE(status.size() == 1);
    auto error = status[0]["last_run"]["error"].get<std::string>();
    CHECK_THAT(error, Catch::Contains("HTTP 404"));
    CHECK(util::printable(error) == error);
    CHECK(is_clean(status_json.out));

    auto status_text = h.run({"status"});
    CHECK(status_text.exit_code == 0);
    CHECK_THAT(status_text.out, Catch::Contains("error: HTTP 404"));
    CHECK(is_clean(status_text.out));
}

TEST_CASE("An endpoint error from a hostile body is stored and printed clean",
          "[integration][safe_text]") {
    Harness h(few_records());
    quick(h);
    h.server.set_script(not_found_for_lists());
    // No prefix: ListMetadataFormats is asked, and its failure is the endpoint's error.
    auto harvest = h.harvest({"--log-format", "json"});
    CHECK(harvest.exit_code == 1);
    std::istringstream lines(harvest.err);
    int parsed = 0;
    for (std::string line; std::getline(lines, line); ++parsed) {
        INFO(line);
        auto entry = nlohmann::json::parse(line);  // throws on invalid UTF-8 or a raw control
        CHECK(entry.contains("message"));
    }
    CHECK(parsed > 0);
    CHECK(is_clean(harvest.err));

    auto status = h.status();
    auto error = status[0]["endpoint_error"].get<std::string>();
    CHECK_THAT(error, Catch::Contains("ListMetadataFormats failed"));
    CHECK(util::printable(error) == error);
    CHECK(is_clean(h.run({"status"}).out));
}

TEST_CASE("status reads a database that an older version left with raw bytes in it",
          "[integration][safe_text]") {
    Harness h(few_records());
    quick(h);
    h.server.set_script(not_found_for_lists());
    REQUIRE(h.harvest({"--prefix", "oai_dc"}).exit_code == 1);
    {
        sqlite3* db = nullptr;
        REQUIRE(sqlite3_open(h.db.c_str(), &db) == SQLITE_OK);
        const std::string raw = "UPDATE harvest_runs SET error = '" + k_hostile_body +
                                "'; UPDATE endpoints SET repository_name = '\xC3\x28\x1B[31m', "
                                "base_url = 'http://user:secret@127.0.0.1:1/oai'";
        CHECK(sqlite3_exec(db, raw.c_str(), nullptr, nullptr, nullptr) == SQLITE_OK);
        sqlite3_close(db);
    }
    auto status_json = h.run({"status", "--json"});
    REQUIRE(status_json.exit_code == 0);
    auto status = nlohmann::json::parse(status_json.out);
    CHECK(status[0]["base_url"] == "http://***@127.0.0.1:1/oai");
    CHECK(is_clean(status_json.out));
    auto status_text = h.run({"status"});
    CHECK(status_text.exit_code == 0);
    CHECK(is_clean(status_text.out));
    CHECK(status_text.out.find("secret") == std::string::npos);
}

TEST_CASE("Credentials in a base URL are used, but never stored, logged or printed",
          "[integration][safe_text]") {
    Harness h(few_records());
    quick(h);
    std::string url = h.server.base_url();
    url.insert(url.find("://") + 3, "harvester:s3cret-pw@");
    auto harvest = h.run({"-v", "harvest", "--url", url, "--name", "sample", "--prefix", "oai_dc"});
    INFO(harvest.err);
    REQUIRE(harvest.exit_code == 0);
    auto requests = h.server.requests();
    REQUIRE(!requests.empty());
    CHECK(requests.front().headers.count("authorization") == 1);  // the server got them
    CHECK(harvest.err.find("s3cret") == std::string::npos);

    auto status = h.run({"status"});
    CHECK(status.out.find("s3cret") == std::string::npos);
    auto json = h.status();
    CHECK(json[0]["base_url"].get<std::string>().find("***@127.0.0.1") != std::string::npos);
    for (const auto& suffix : {"", "-wal"}) {
        if (std::filesystem::exists(h.db + suffix)) {
            CHECK(file_bytes(h.db + suffix).find("s3cret") == std::string::npos);
        }
    }

    // A failing request names the URL, still without them.
    h.server.set_script(not_found_for_lists());
    auto failed = h.run({"harvest", "--url", url, "--name", "sample", "--prefix", "oai_dc"});
    CHECK(failed.exit_code == 1);
    CHECK(failed.err.find("s3cret") == std::string::npos);
    CHECK(h.run({"status", "--json"}).out.find("s3cret") == std::string::npos);
}

TEST_CASE("A base URL with a ?query or #fragment is refused before any request",
          "[integration][safe_text]") {
    Harness h;
    for (const auto& url : {h.server.base_url() + "?site=x", h.server.base_url() + "#top"}) {
        auto harvest = h.run({"harvest", "--url", url});
        CHECK(harvest.exit_code == 2);
        CHECK_THAT(harvest.err, Catch::Contains("a base URL must not have a"));
        auto identify = h.run({"identify", url});
        CHECK(identify.exit_code == 2);
        CHECK_THAT(identify.err, Catch::Contains("a base URL must not have a"));
    }
    h.use_config("[[endpoint]]\nname = \"q\"\nurl = \"" + h.server.base_url() + "?site=x\"\n");
    auto check = h.run({"config", "check"});
    CHECK(check.exit_code == 2);
    CHECK_THAT(check.err, Catch::Contains("oaiharvest.toml:3:"));
    CHECK_THAT(check.err, Catch::Contains("must not have a ?query"));
    CHECK(h.server.request_count() == 0);
}

TEST_CASE("A user_agent with CR or LF is a config error naming file and line",
          "[integration][safe_text]") {
    Harness h;
    h.use_config(
        "[http]\nuser_agent = \"oaiharvest\\r\\nX-Injected: yes\"\n[[endpoint]]\n"
        "name = \"sample\"\nurl = \"" +
        h.server.base_url() + "\"\n");
    auto check = h.run({"config", "check"});
    CHECK(check.exit_code == 2);
    CHECK_THAT(check.err, Catch::Contains("oaiharvest.toml:2:"));
    CHECK_THAT(check.err, Catch::Contains("user_agent"));
    CHECK_THAT(check.err, Catch::Contains("must not contain control characters"));
    CHECK(is_clean(check.err));
    CHECK(h.run({"harvest"}).exit_code == 2);
    CHECK(h.server.request_count() == 0);
}

TEST_CASE("A server datestamp that is not a date is reported and never exported as one",
          "[integration][safe_text]") {
    const auto options = few_records();
    Harness h(options);
    quick(h);
    auto repo = sample::make_sample_repository(options);
    for (auto& r : repo.records) {
        if (r.identifier == "oai:sample.oaiharvest.local:3") {
            r.datestamp = "9999-99-99";
        }
    }
    h.server.set_repository(std::move(repo));
    auto harvest = h.harvest({"--prefix", "oai_dc"});
    INFO(harvest.err);
    REQUIRE(harvest.exit_code == 0);
    CHECK_THAT(harvest.err, Catch::Contains("1 records stored with a parse_error"));

    for (const auto& line : h.exported()) {
        if (line["identifier"] == "oai:sample.oaiharvest.local:3") {
            CHECK(line["datestamp"].is_null());
            CHECK(line["parse_error"] == "the header's datestamp \"9999-99-99\" is not a date");
            CHECK(line["title"].is_string());  // the metadata was read all the same
        } else {
            CHECK(line["datestamp"].is_string());
        }
    }
    auto shown = nlohmann::json::parse(h.run({"show", "oai:sample.oaiharvest.local:3"}).out);
    CHECK(shown["datestamp"].is_null());
    auto csv = h.run({"export", "--format", "csv"});
    auto xml = h.run({"export", "--format", "xml"});
    CHECK(csv.out.find(",9999-99-99,") == std::string::npos);
    CHECK_THAT(csv.out, Catch::Contains("oai:sample.oaiharvest.local:3,,false"));
    CHECK(xml.out.find("<datestamp>9999") == std::string::npos);
    CHECK_THAT(xml.out, Catch::Contains("<identifier>oai:sample.oaiharvest.local:3</identifier>"));
}
