// to_json_text() must write exactly what to_json(...).dump() writes: the store keeps one, show
// and export print it, and the golden tests check the other.

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "metadata/metadata.hpp"
#include "support/fixtures.hpp"

using namespace oaiharvest::metadata;
using oaiharvest::test::read_fixture;

namespace {

const Envelope k_envelope{"sample", "oai:x:1", "2026-06-03T02:27:02Z", false, "mets", {"a", "b"}};

void check_same(const Envelope& envelope, const Description& d) {
    CHECK(to_json_text(envelope, d) == to_json(envelope, d).dump());
}

}  // namespace

TEST_CASE("to_json_text equals to_json's dump for the seeds", "[metadata][json]") {
    check_same(k_envelope, describe(read_fixture("seeds/000_6d3e3e1f7bd03d25.txt")));
    check_same(k_envelope, describe(read_fixture("seeds/001_41e69035f2cc746a.txt")));
    check_same(Envelope{"e", "oai:x:2", "2026-01-01", true, "oai_dc", {}}, Description{});
}

TEST_CASE("to_json_text escapes as dump does, every object and list filled", "[metadata][json]") {
    Description d;
    d.title = "A \"quoted\" title\\with a backslash\tand\ttabs\nand a new line";
    d.subtitle = "controls \x01\x1f\b\f\r and \x7f";
    d.abstract = "Кыргызстан ва Тоҷикистон: ҳамкорӣ, o‘zbek tili, өнүгүү ң";
    d.names = {Name{"Feruza", "Nazarova", "Nazarova, Feruza", "author", "Uni", "0000"},
               Name{std::nullopt, "Solo", std::nullopt, std::nullopt, {}, {}}};
    d.subjects = {"one", "two \"2\""};
    d.genre = "Maqola";
    d.host = Host{"Journal", "1234-5678", "3", std::nullopt, "10-20"};
    d.identifiers = {Identifier{"doi", "10.1/x"}, Identifier{"uri", "http://x/?a=1&b=2"}};
    d.urls = {"http://x/1"};
    d.files = {File{"http://x/f.pdf", "application/pdf", 123456789012, "fulltext", {}, {}},
               File{"http://x/g", std::nullopt, std::nullopt, std::nullopt, {}, {}}};
    d.rights = "<p>rights</p>";
    d.mets = MetsInfo{"eprint_1", "2026-06-03T02:27:02Z", "Arxiv", "2026-06-04"};
    d.parse_error = "line 3: bad";
    check_same(k_envelope, d);
}

TEST_CASE("to_json_text turns bytes that are not UTF-8 into U+FFFD", "[metadata][json]") {
    Description d;
    d.title = std::string("bad \xC3 byte \xED\xA0\x80 surrogate \xF8 end");
    auto text = to_json_text(k_envelope, d);
    auto parsed = nlohmann::json::parse(text);  // valid JSON, valid UTF-8
    CHECK(parsed["title"].get<std::string>().find("\xEF\xBF\xBD") != std::string::npos);
    CHECK(parsed["title"].get<std::string>().find(" end") != std::string::npos);
}
