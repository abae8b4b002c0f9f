#include <catch2/catch.hpp>
#include <fstream>
#include <sstream>

#include "config/config.hpp"

using namespace oaiharvest::config;

namespace {

// The message parse_config throws for the text, or "" when it reads.
std::string error_of(std::string_view text) {
    try {
        (void)parse_config(text, "oaiharvest.toml");
    } catch (const ConfigError& error) {
        return error.what();
    }
    return {};
}

constexpr std::string_view k_endpoint = "[[endpoint]]\nname = \"e\"\nurl = \"http://x.org/oai\"\n";

std::string with_endpoint(std::string_view key_line) {
    return std::string{k_endpoint} + std::string{key_line} + "\n";
}

}  // namespace

TEST_CASE("a TOML syntax error names line and column", "[config][error]") {
    CHECK(error_of("a = \n") ==
          "oaiharvest.toml:1:5: not valid TOML: Error while parsing key-value pair: expected "
          "value, saw '\\n'");
    CHECK(error_of("[http]\nretries = 1\nretries = 2\n").starts_with("oaiharvest.toml:3:"));
}

TEST_CASE("an unknown top-level key suggests the one meant", "[config][error]") {
    CHECK(error_of("databse = \"x.db\"\n") ==
          "oaiharvest.toml:1:1: databse: unknown key; did you mean 'database'?");
    CHECK(error_of("[htpp]\n") == "oaiharvest.toml:1:2: htpp: unknown key; did you mean 'http'?");
    CHECK(error_of("colour = 1\n") == "oaiharvest.toml:1:1: colour: unknown key");
}

TEST_CASE("a key in the wrong table says where it belongs", "[config][error]") {
    CHECK(error_of("parallel = 3\n") ==
          "oaiharvest.toml:1:1: parallel: unknown key; it belongs in the [daemon] table");
    CHECK(error_of("[http]\ndatabase = \"x.db\"\n") ==
          "oaiharvest.toml:2:1: http.database: unknown key; it belongs at the top level, before "
          "any table");
    CHECK(error_of("[daemon]\nschedule = \"@daily\"\n") ==
          "oaiharvest.toml:2:1: daemon.schedule: unknown key; it belongs in an [[endpoint]] table");
}

TEST_CASE("an unknown key in [http], [daemon] or [log] is an error", "[config][error]") {
    CHECK(error_of("[http]\ntimout = \"5s\"\n") ==
          "oaiharvest.toml:2:1: http.timout: unknown key; did you mean 'timeout'?");
    CHECK(error_of("[http]\nuser-agent = \"x\"\n") ==
          "oaiharvest.toml:2:1: http.user-agent: unknown key; did you mean 'user_agent'?");
    CHECK(error_of("[daemon]\nparalel = 2\n") ==
          "oaiharvest.toml:2:1: daemon.paralel: unknown key; did you mean 'parallel'?");
    CHECK(error_of("[log]\nLevel = \"info\"\n") ==
          "oaiharvest.toml:2:1: log.Level: unknown key; did you mean 'level'?");
}

TEST_CASE("an unknown key in an [[endpoint]] is an error", "[config][error]") {
    CHECK(error_of(with_endpoint("prefix = [\"mets\"]")) ==
          "oaiharvest.toml:4:1: endpoint[0].prefix: unknown key; did you mean 'prefixes'?");
}

TEST_CASE("a value of the wrong type is an error", "[config][error]") {
    CHECK(error_of("[http]\nretries = \"5\"\n") ==
          "oaiharvest.toml:2:11: http.retries = \"5\": expected an integer, got a string");
    CHECK(error_of("[http]\nuser_agent = 1.5\n") ==
          "oaiharvest.toml:2:14: http.user_agent = 1.5: expected a string, got a float");
    CHECK(error_of("database = true\n") ==
          "oaiharvest.toml:1:12: database = true: expected a string (a file path), got a boolean");
    CHECK(error_of(with_endpoint("prefixes = \"mets\"")) ==
          "oaiharvest.toml:4:12: endpoint[0].prefixes = \"mets\": expected an array of strings, "
          "got a string");
    CHECK(error_of(with_endpoint("sets = [\"a\", 3]")) ==
          "oaiharvest.toml:4:14: endpoint[0].sets[1] = 3: expected a string, got an integer");
    CHECK(error_of(with_endpoint("schedule = 5")) ==
          "oaiharvest.toml:4:12: endpoint[0].schedule = 5: expected a schedule string such as "
          "\"0 2 * * *\", got an integer");
}

TEST_CASE("a table that is not a table is an error", "[config][error]") {
    CHECK(error_of("http = 5\n") == "oaiharvest.toml:1:8: http: expected a table [http]");
    CHECK(error_of("[endpoint]\nname = \"e\"\n") ==
          "oaiharvest.toml:1:1: endpoint: expected [[endpoint]] tables, one per endpoint");
}

TEST_CASE("a bad duration is an error", "[config][error]") {
    const std::string expected_syntax =
        ": not a duration: write numbers with units ms, s, m, h, d, largest first, such as "
        "\"500ms\", \"30s\" or \"1h30m\"";
    CHECK(error_of("[http]\ntimeout = \"60 s\"\n") ==
          "oaiharvest.toml:2:11: http.timeout = \"60 s\"" + expected_syntax);
    CHECK(error_of("[http]\nmax_retry_after = \"-1h\"\n") ==
          "oaiharvest.toml:2:19: http.max_retry_after = \"-1h\"" + expected_syntax);
    CHECK(error_of("[http]\ntimeout = 60\n") ==
          "oaiharvest.toml:2:11: http.timeout = 60: expected a duration string such as \"30s\", "
          "got an integer");
    CHECK(error_of("[http]\ntimeout = \"0s\"\n") ==
          "oaiharvest.toml:2:11: http.timeout = \"0s\": must be at least 1ms");
}

TEST_CASE("a bad size is an error", "[config][error]") {
    CHECK(error_of("[http]\nmax_response_size = \"12XB\"\n") ==
          "oaiharvest.toml:2:21: http.max_response_size = \"12XB\": not a size: write a number "
          "of bytes, or a number and a unit B, KB, MB, GB, TB (powers of 1000), KiB, MiB, GiB, "
          "TiB (powers of 1024), such as \"512MB\"");
    CHECK(error_of("[log]\nmax_size = 0\n") ==
          "oaiharvest.toml:2:12: log.max_size = 0: must be at least 1B");
    CHECK(error_of("[log]\nmax_size = -5\n").find("not a size") != std::string::npos);
}

TEST_CASE("a bad [serve] address or e-mail is an error that says why", "[config][error]") {
    CHECK(error_of("[serve]\nlisten = \"8080\"\n") ==
          "oaiharvest.toml:2:10: serve.listen = \"8080\": must be HOST:PORT, e.g. "
          "127.0.0.1:8080, 0.0.0.0:8080 or [::1]:8080");
    CHECK(error_of("[serve]\nlisten = \"127.0.0.1:99999\"\n")
              .find("the port must be a number from 0 to 65535") != std::string::npos);
    CHECK(error_of("[serve]\nlisten = \"::1:80\"\n").find("in brackets") != std::string::npos);
    CHECK(error_of("[serve]\nadmin_email = [\"root@localhost\"]\n")
              .find("the domain must have a dot") != std::string::npos);
    CHECK(error_of("[serve]\nadmin_email = [\"nobody\"]\n").find("must be an e-mail address") !=
          std::string::npos);
    CHECK(error_of("[serve]\nworkers = 0\n") ==
          "oaiharvest.toml:2:11: serve.workers = 0: must be at least 1");
    CHECK(error_of("[serve]\nport = 80\n").find("serve") != std::string::npos);
}

TEST_CASE("a bad schedule is an error that says why", "[config][error]") {
    CHECK(error_of(with_endpoint("schedule = \"0 25 * * *\"")) ==
          "oaiharvest.toml:4:12: endpoint[0].schedule = \"0 25 * * *\": hour 25 is out of range "
          "0-23");
    CHECK(error_of(with_endpoint("schedule = \"0 0 30 2 *\"")) ==
          "oaiharvest.toml:4:12: endpoint[0].schedule = \"0 0 30 2 *\": never runs: day 30 does "
          "not occur in FEB");
}

TEST_CASE("retries below 0 is an error", "[config][error]") {
    CHECK(error_of("[http]\nretries = -1\n") ==
          "oaiharvest.toml:2:11: http.retries = -1: must be at least 0");
    CHECK(error_of("[http]\nretries = 3000000000\n") ==
          "oaiharvest.toml:2:11: http.retries = 3000000000: must be at most 2147483647");
}

TEST_CASE("parallel below 1 is an error", "[config][error]") {
    CHECK(error_of("[daemon]\nparallel = 0\n") ==
          "oaiharvest.toml:2:12: daemon.parallel = 0: must be at least 1");
}

TEST_CASE("a log level or format outside the list is an error", "[config][error]") {
    CHECK(error_of("[log]\nlevel = \"verbose\"\n") ==
          "oaiharvest.toml:2:9: log.level = \"verbose\": must be one of trace, debug, info, warn, "
          "error, critical, off");
    CHECK(error_of("[log]\nformat = \"xml\"\n") ==
          "oaiharvest.toml:2:10: log.format = \"xml\": must be one of text, json");
    CHECK(error_of("[log]\nfile = \"\"\n") ==
          "oaiharvest.toml:2:8: log.file = \"\": must not be empty");
}

TEST_CASE("an endpoint without name or url is an error", "[config][error]") {
    CHECK(error_of("[[endpoint]]\nurl = \"http://x.org/oai\"\n") ==
          "oaiharvest.toml:1:1: endpoint[0].name: missing (it is required)");
    CHECK(error_of("[[endpoint]]\nname = \"e\"\n") ==
          "oaiharvest.toml:1:1: endpoint[0].url: missing (it is required)");
}

TEST_CASE("an endpoint url that is not http(s) is an error", "[config][error]") {
    CHECK(error_of("[[endpoint]]\nname = \"e\"\nurl = \"ftp://x.org/oai\"\n") ==
          "oaiharvest.toml:3:7: endpoint[0].url = \"ftp://x.org/oai\": the URL must start with "
          "http:// or https://");
    CHECK(error_of("[[endpoint]]\nname = \"e\"\nurl = \"http://\"\n").find("must start with") !=
          std::string::npos);
    CHECK(error_of("[[endpoint]]\nname = \"e\"\nurl = \"http://x.org/a b\"\n") ==
          "oaiharvest.toml:3:7: endpoint[0].url = \"http://x.org/a b\": the URL must not contain "
          "white space (percent-encode it)");
    CHECK(error_of("[[endpoint]]\nname = \"e\"\nurl = \"http://x.org:80a/oai\"\n") ==
          "oaiharvest.toml:3:7: endpoint[0].url = \"http://x.org:80a/oai\": the port \"80a\" is "
          "not a number from 1 to 65535");
    CHECK(error_of("[[endpoint]]\nname = \"e\"\nurl = \"https://:8080/oai\"\n") ==
          "oaiharvest.toml:3:7: endpoint[0].url = \"https://:8080/oai\": the URL has no host");
}

TEST_CASE("an endpoint name outside [A-Za-z0-9._-] is an error", "[config][error]") {
    CHECK(error_of("[[endpoint]]\nname = \"my repo\"\nurl = \"http://x.org/oai\"\n") ==
          "oaiharvest.toml:2:8: endpoint[0].name = \"my repo\": character ' ' is not allowed in "
          "an endpoint name (use A-Z a-z 0-9 . _ -)");
    CHECK(error_of("[[endpoint]]\nname = \"\"\nurl = \"http://x.org/oai\"\n") ==
          "oaiharvest.toml:2:8: endpoint[0].name = \"\": an endpoint name must not be empty");
    CHECK(error_of("[[endpoint]]\nname = \"a/b\"\nurl = \"http://x.org/oai\"\n")
              .find("character '/' is not allowed") != std::string::npos);
}

TEST_CASE("a duplicate endpoint name names both lines", "[config][error]") {
    CHECK(error_of(std::string{k_endpoint} + "\n" + std::string{k_endpoint}) ==
          "oaiharvest.toml:6:8: endpoint[1].name = \"e\": duplicate endpoint name, first used at "
          "line 2");
}

TEST_CASE("a bad or repeated prefix or set is an error", "[config][error]") {
    CHECK(error_of(with_endpoint("prefixes = [\"mets\", \"mets\"]")) ==
          "oaiharvest.toml:4:21: endpoint[0].prefixes[1] = \"mets\": listed twice");
    CHECK(error_of(with_endpoint("sets = [\"\"]")) ==
          "oaiharvest.toml:4:9: endpoint[0].sets[0] = \"\": must not be empty");
    CHECK(error_of(with_endpoint("sets = [\"a b\"]")) ==
          "oaiharvest.toml:4:9: endpoint[0].sets[0] = \"a b\": character ' ' is not allowed "
          "(OAI-PMH allows A-Z a-z 0-9 and -_.!~*'() in prefixes, and ':' between set levels)");
}

TEST_CASE("every problem is reported, in file order", "[config][error]") {
    CHECK(error_of("[log]\nlevel = \"loud\"\n[http]\nretries = -1\ntimout = \"1s\"\n") ==
          "oaiharvest.toml:2:9: log.level = \"loud\": must be one of trace, debug, info, warn, "
          "error, critical, off\n"
          "oaiharvest.toml:4:11: http.retries = -1: must be at least 0\n"
          "oaiharvest.toml:5:1: http.timout: unknown key; did you mean 'timeout'?");
}

TEST_CASE("a config error is a runtime_error", "[config][error]") {
    CHECK_THROWS_AS(parse_config("retries = 1", "f.toml"), std::runtime_error);
}

TEST_CASE("the error example in docs/configuration.md is what parse_config says",
          "[config][error][docs]") {
    std::ifstream in{OAIHARVEST_SOURCE_DIR "/docs/configuration.md"};
    std::ostringstream docs_stream;
    docs_stream << in.rdbuf();
    const auto docs = docs_stream.str();
    // The first ```toml block after the heading is the file, the next ```text block the errors.
    const auto block = [&](std::string_view fence, std::size_t from) {
        const auto start = docs.find(fence, from);
        REQUIRE(start != std::string::npos);
        const auto body = start + fence.size() + 1;
        const auto end = docs.find("```", body);
        return std::pair{docs.substr(body, end - body), end};
    };
    const auto heading = docs.find("## Error messages");
    REQUIRE(heading != std::string::npos);
    const auto [file, file_end] = block("```toml", heading);
    const auto [errors, errors_end] = block("```text", file_end);
    CHECK(error_of(file) + "\n" == errors);
}

TEST_CASE("a bad document type, host or size is an error that says why", "[config][error]") {
    CHECK(error_of(with_endpoint("document_types = [\"pdf\"]")) ==
          "oaiharvest.toml:4:19: endpoint[0].document_types[0] = \"pdf\": must be a MIME type "
          "type/subtype, e.g. application/pdf");
    CHECK(error_of(with_endpoint("document_types = [\"Application/PDF\"]")).find("lower case") !=
          std::string::npos);
    CHECK(error_of(with_endpoint("document_hosts = [\"https://cdn.example.org\"]")) ==
          "oaiharvest.toml:4:19: endpoint[0].document_hosts[0] = \"https://cdn.example.org\": "
          "must be a host name alone (no scheme, port, path or space), e.g. files.example.org");
    CHECK(error_of(with_endpoint("document_hosts = [\"cdn.example.org:8080\"]"))
              .find("without a port") != std::string::npos);
    CHECK(error_of(with_endpoint("document_max_size = \"lots\"")).find("document_max_size") !=
          std::string::npos);
    CHECK(error_of(with_endpoint("documents = \"yes\"")).find("documents") != std::string::npos);
    CHECK(error_of(with_endpoint("documents = true\ndocument_hosts = [\"cdn.example.org\"]\n"
                                 "document_max_size = \"5MB\""))
              .empty());
}
