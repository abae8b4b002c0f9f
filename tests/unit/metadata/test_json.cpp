#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "metadata/metadata.hpp"

using namespace oaiharvest::metadata;

namespace {

std::vector<std::string> keys_of(const nlohmann::ordered_json& j) {
    std::vector<std::string> keys;
    for (const auto& [key, value] : j.items()) {
        keys.push_back(key);
    }
    return keys;
}

const Envelope k_envelope{"sample", "oai:x:1", "2026-06-03T02:27:02Z", true, "oai_dc", {}};

// The record JSON as a tree, keys in the order the text has them.
nlohmann::ordered_json to_json(const Envelope& envelope, const Description& d) {
    return nlohmann::ordered_json::parse(to_json_text(envelope, d));
}

}  // namespace

TEST_CASE("to_json_text: every key, in the contract's order, null or [] when empty",
          "[metadata][json]") {
    const auto j = to_json(k_envelope, Description{});
    CHECK(keys_of(j) == std::vector<std::string>{
                            "endpoint",  "identifier", "datestamp",   "deleted",  "metadata_prefix",
                            "sets",      "title",      "subtitle",    "names",    "abstract",
                            "subjects",  "genre",      "type",        "language", "date_issued",
                            "publisher", "host",       "identifiers", "urls",     "files",
                            "rights",    "mets",       "parse_error"});
    CHECK(j["deleted"] == true);
    CHECK(j["sets"] == nlohmann::ordered_json::array());
    for (const char* key : {"names", "subjects", "identifiers", "urls", "files"}) {
        CHECK(j[key] == nlohmann::ordered_json::array());
    }
    for (const char* key : {"title", "subtitle", "abstract", "genre", "type", "language",
                            "date_issued", "publisher", "host", "rights", "mets", "parse_error"}) {
        CHECK(j[key].is_null());
    }
}

TEST_CASE("to_json_text: names have exactly four keys", "[metadata][json]") {
    Description d;
    d.names.push_back({std::nullopt, "Nazarova", "Nazarova", "author", "Uni", "0000-0001"});
    const auto j = to_json(k_envelope, d);
    CHECK(keys_of(j["names"][0]) == std::vector<std::string>{"given", "family", "display", "role"});
    CHECK(j["names"][0]["given"].is_null());
    CHECK(j["names"][0]["family"] == "Nazarova");
}

TEST_CASE("to_json_text: host, identifiers, files and mets objects", "[metadata][json]") {
    Description d;
    d.host = Host{"Journal", "1234-5678", "12", std::nullopt, "1-7"};
    d.identifiers.push_back({"doi", "10.1000/x"});
    d.files.push_back({"http://x/a.txt", "text/plain", 726, "reference", "abc", "MD5"});
    d.files.push_back({"http://x/b", std::nullopt, std::nullopt, std::nullopt, {}, {}});
    d.mets = MetsInfo{"eprint_1", "2026-06-03T02:27:02Z", std::nullopt, "2026-06-04"};
    d.parse_error = "line 1, column 2: oops";
    const auto j = to_json(k_envelope, d);
    CHECK(keys_of(j["host"]) ==
          std::vector<std::string>{"title", "issn", "volume", "issue", "pages"});
    CHECK(j["host"]["issue"].is_null());
    CHECK(j["identifiers"] ==
          nlohmann::ordered_json::parse(R"([{"type":"doi","value":"10.1000/x"}])"));
    CHECK(keys_of(j["files"][0]) == std::vector<std::string>{"href", "mimetype", "size", "use"});
    CHECK(j["files"][0]["size"] == 726);
    CHECK(j["files"][0]["size"].is_number_integer());
    CHECK(j["files"][1]["size"].is_null());
    CHECK(keys_of(j["mets"]) == std::vector<std::string>{"objid", "created", "custodian"});
    CHECK(j["mets"]["custodian"].is_null());
    CHECK(j["parse_error"] == "line 1, column 2: oops");
}
