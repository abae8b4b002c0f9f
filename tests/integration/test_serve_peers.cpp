// Other harvesters on the served mirror (issue 14): Catmandu::OAI and HTTP::OAI, the Debian
// packages libcatmandu-oai-perl and libhttp-oai-perl, harvest it to the end in oai_dc and in
// mets, in pages of 7. Each case runs where its Perl module loads; elsewhere it warns, in a line
// that starts with SKIPPED, and passes.

#include <catch2/catch.hpp>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "harness.hpp"
#include "serve_fixture.hpp"

using namespace oaiharvest;
using oaiharvest::test::lines_of;

namespace {

const std::vector<std::string> k_formats{"oai_dc", "mets"};

bool perl_module_loads(const std::string& module) {
    try {
        return test::run_program({"perl", "-M" + module, "-e", "1"}).exit_code == 0;
    } catch (const std::runtime_error&) {
        return false;  // no perl at all
    }
}

// What the mirror holds in the format: identifier -> "live" or "deleted".
std::map<std::string, std::string> held(const std::string& db, const std::string& prefix) {
    std::map<std::string, std::string> out;
    for (const auto& [key, row] : test::mirror_rows(db)) {
        if (key.second == prefix) {
            out[key.first] = row.deleted ? "deleted" : "live";
        }
    }
    return out;
}

// The cursors of the pages a list of `size` items in pages of 7 has: 0, 7, 14 ...
std::set<std::string> page_cursors(std::size_t size) {
    std::set<std::string> out;
    for (std::size_t cursor = 0; cursor < size; cursor += 7) {
        out.insert(std::to_string(cursor));
    }
    return out;
}

}  // namespace

TEST_CASE(
    "Catmandu::OAI harvests the served mirror to the end in oai_dc and mets (skipped without "
    "libcatmandu-oai-perl)",
    "[integration][serve][peers]") {
    if (!perl_module_loads("Catmandu::Importer::OAI")) {
        WARN("SKIPPED: Catmandu::OAI is not installed (apt-get install libcatmandu-oai-perl)");
        return;
    }
    test::ServedSample s;
    for (const auto& prefix : k_formats) {
        INFO(prefix);
        const auto expected = held(s.h.db, prefix);
        REQUIRE(expected.size() == 60);
        auto run =
            test::run_program({"catmandu", "convert", "OAI", "--url", s.server->oai_url(),
                               "--metadataPrefix", prefix, "to", "JSON", "--line_delimited", "1"});
        INFO(run.err);
        REQUIRE(run.exit_code == 0);
        std::map<std::string, std::string> harvested;
        std::set<std::string> cursors;
        const auto lines = lines_of(run.out);
        for (const auto& line : lines) {
            auto record = nlohmann::json::parse(line);
            const auto identifier = record["_id"].get<std::string>();
            const bool deleted = record.value("_status", "") == "deleted";
            harvested[identifier] = deleted ? "deleted" : "live";
            if (prefix == "oai_dc" && !deleted) {
                INFO(identifier);
                CHECK(!record.value("title", nlohmann::json::array()).empty());
            }
            // Each record says which page it came on.
            if (record.contains("_resumption") && record["_resumption"].is_object()) {
                cursors.insert(record["_resumption"].value("cursor", ""));
            }
        }
        CHECK(lines.size() == expected.size());
        CHECK(harvested == expected);
        CHECK(cursors == page_cursors(expected.size()));
    }
}

TEST_CASE(
    "HTTP::OAI harvests the served mirror to the end in oai_dc and mets (skipped without "
    "libhttp-oai-perl)",
    "[integration][serve][peers]") {
    if (!perl_module_loads("HTTP::OAI")) {
        WARN("SKIPPED: HTTP::OAI is not installed (apt-get install libhttp-oai-perl)");
        return;
    }
    test::ServedSample s;
    const std::string script =
        std::string(OAIHARVEST_SOURCE_DIR) + "/tests/integration/http_oai_list.pl";
    for (const auto& prefix : k_formats) {
        INFO(prefix);
        const auto expected = held(s.h.db, prefix);
        REQUIRE(expected.size() == 60);
        auto run = test::run_program({"perl", script, s.server->oai_url(), prefix});
        INFO(run.err);
        REQUIRE(run.exit_code == 0);
        std::map<std::string, std::string> harvested;
        const auto lines = lines_of(run.out);
        for (const auto& line : lines) {
            auto first_tab = line.find('\t');
            auto second_tab = line.find('\t', first_tab + 1);
            REQUIRE(second_tab != std::string::npos);
            const auto identifier = line.substr(0, first_tab);
            const auto status = line.substr(first_tab + 1, second_tab - first_tab - 1);
            const auto root = line.substr(second_tab + 1);
            harvested[identifier] = status;
            INFO(line);
            CHECK(root == (status == "deleted" ? "-" : prefix == "oai_dc" ? "dc" : "mets"));
        }
        // More records than a page holds: HTTP::OAI followed the tokens to the list's end.
        CHECK(lines.size() == expected.size());
        CHECK(harvested == expected);
    }
}
