// to_json_text() writes the record JSON that the store keeps and show/export print. Its key
// order and nulls are held by the golden tests (which parse it); here: every value reads
// back unchanged, and strings are escaped as nlohmann's dump() escapes a single string.

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "metadata/metadata.hpp"

using namespace oaiharvest::metadata;

namespace {

const Envelope k_envelope{"sample", "oai:x:1", "2026-06-03T02:27:02Z", false, "mets", {"a", "b"}};

// The string as nlohmann writes it alone, quotes included, appears in the text.
void check_escaped(const std::string& text, const std::string& value) {
    INFO(value);
    CHECK(text.find(nlohmann::json(value).dump()) != std::string::npos);
}

}  // namespace

TEST_CASE("to_json_text escapes as dump does, and every object and list reads back",
          "[metadata][json]") {
    Description d;
    d.title = "A \"quoted\" title\\with a backslash\tand\ttabs\nand a new line";
    d.subtitle = "controls \x01\x1f\b\f\r and \x7f";
    d.abstract = "Кыргызстан ва Тоҷикистон: ҳамкорӣ, o‘zbek tili, өнүгүү ң";
    d.names = {Name{"Feruza", "Nazarova", "Nazarova, Feruza", "author", "Uni", "0000"},
               Name{std::nullopt, "Solo", std::nullopt, std::nullopt, {}, {}}};
    d.subjects = {"one", "two \"2\""};
    d.host = Host{"Journal", "1234-5678", "3", std::nullopt, "10-20"};
    d.identifiers = {Identifier{"doi", "10.1/x"}, Identifier{"uri", "http://x/?a=1&b=2"}};
    d.urls = {"http://x/1"};
    d.files = {File{"http://x/f.pdf", "application/pdf", 123456789012, "fulltext", {}, {}},
               File{"http://x/g", std::nullopt, std::nullopt, std::nullopt, {}, {}}};
    d.mets = MetsInfo{"eprint_1", "2026-06-03T02:27:02Z", "Arxiv", "2026-06-04"};
    d.parse_error = "line 3: bad";

    const std::string text = to_json_text(k_envelope, d);
    for (const auto& value : {*d.title, *d.subtitle, *d.abstract, d.subjects[1]}) {
        check_escaped(text, value);
    }
    const auto j = nlohmann::json::parse(text);
    CHECK(j["title"] == *d.title);
    CHECK(j["subtitle"] == *d.subtitle);
    CHECK(j["abstract"] == *d.abstract);
    CHECK(j["sets"] == nlohmann::json::array({"a", "b"}));
    CHECK(j["names"][0] == nlohmann::json{{"given", "Feruza"},
                                          {"family", "Nazarova"},
                                          {"display", "Nazarova, Feruza"},
                                          {"role", "author"}});
    CHECK(j["names"][1]["given"].is_null());
    CHECK(j["subjects"] == nlohmann::json::array({"one", "two \"2\""}));
    CHECK(j["host"]["issue"].is_null());
    CHECK(j["host"]["pages"] == "10-20");
    CHECK(j["identifiers"][1] == nlohmann::json{{"type", "uri"}, {"value", "http://x/?a=1&b=2"}});
    CHECK(j["files"][0]["size"] == 123456789012);
    CHECK(j["files"][1]["size"].is_null());
    CHECK(j["mets"]["custodian"] == "Arxiv");
    CHECK_FALSE(j["mets"].contains("last_modified"));  // not in the contract
    CHECK(j["parse_error"] == "line 3: bad");
    CHECK(j["deleted"] == false);
}

TEST_CASE("to_json_text turns bytes that are not UTF-8 into U+FFFD", "[metadata][json]") {
    Description d;
    d.title = std::string("bad \xC3 byte \xED\xA0\x80 surrogate \xF8 end");
    auto text = to_json_text(k_envelope, d);
    auto parsed = nlohmann::json::parse(text);  // valid JSON, valid UTF-8
    CHECK(parsed["title"].get<std::string>().find("\xEF\xBF\xBD") != std::string::npos);
    CHECK(parsed["title"].get<std::string>().find(" end") != std::string::npos);
}
