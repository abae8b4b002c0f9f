// The shared seeds must yield exactly the contract's record JSON.

#include <algorithm>
#include <catch2/catch.hpp>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "metadata/metadata.hpp"
#include "support/fixtures.hpp"

using namespace oaiharvest::metadata;
using oaiharvest::test::read_fixture;

namespace {

std::vector<std::string> keys_of(const nlohmann::ordered_json& j) {
    std::vector<std::string> keys;
    for (const auto& [key, value] : j.items()) {
        keys.push_back(key);
    }
    return keys;
}

std::string golden(const std::string& name) {
    std::ifstream in(std::string(OAIHARVEST_METADATA_GOLDEN_DIR) + "/" + name, std::ios::binary);
    REQUIRE(in);
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
}

Envelope seed_envelope(const std::string& prefix) {
    return {"sample", "oai:repo.example.org:85694", "2026-06-03T02:27:02Z", false,
            prefix,   {"7374617475733D707562"}};
}

void check_golden(const std::string& seed, const std::string& prefix, const std::string& file) {
    const auto actual = nlohmann::ordered_json::parse(
        to_json_text(seed_envelope(prefix), describe(read_fixture(seed))));
    const auto expected = nlohmann::ordered_json::parse(golden(file));
    INFO(actual.dump(2));
    CHECK(actual == expected);
    CHECK(keys_of(actual) == keys_of(expected));
    CHECK(keys_of(actual["names"][0]) == keys_of(expected["names"][0]));
}

}  // namespace

TEST_CASE("golden: the MODS seed", "[metadata][golden]") {
    check_golden("seeds/000_6d3e3e1f7bd03d25.txt", "mods", "000_mods_seed.json");
}

TEST_CASE("golden: the METS seed", "[metadata][golden]") {
    check_golden("seeds/001_41e69035f2cc746a.txt", "mets", "001_mets_seed.json");
}

TEST_CASE("golden: the METS seed's fields the contract spells out", "[metadata][golden]") {
    const auto d = describe(read_fixture("seeds/001_41e69035f2cc746a.txt"));
    CHECK(d.title ==
          "MECHANISMS FOR DEVELOPING CULTURAL DIPLOMACY BETWEEN THE REPUBLICS OF KYRGYZSTAN AND "
          "TAJIKISTAN");
    REQUIRE(d.abstract);
    CHECK(d.abstract->starts_with("In this article, author examines"));
    CHECK(d.abstract->ends_with("confidence-building measures."));
    CHECK(d.abstract->find("potential of shared") != std::string::npos);
    REQUIRE(d.rights);
    CHECK(d.rights->starts_with("For work being deposited by its own author: In self-archiving"));
    CHECK(d.rights->ends_with("button indicates your agreement to these terms."));
    CHECK(std::count(d.rights->begin(), d.rights->end(), '\n') == 2);
    REQUIRE(d.mets);
    CHECK(d.mets->objid == "eprint_85694");
    CHECK(d.mets->created == "2026-06-03T02:27:02Z");
    CHECK(d.mets->custodian == "Arxiv Universal Publishings");
}
