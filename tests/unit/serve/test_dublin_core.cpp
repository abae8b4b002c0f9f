// oai_dc made from a normalized record (lib/serve/dublin_core), and first the offline schema
// check (tests/support/schema_check) its validity tests rely on: that it passes what EPrints
// serves and fails what it must.

#include <catch2/catch.hpp>
#include <string>

#include "support/fixtures.hpp"
#include "support/schema_check.hpp"

using namespace oaiharvest;

namespace {

bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

}  // namespace

TEST_CASE("The schema check passes EPrints responses with oai_dc, MODS and METS payloads",
          "[serve][schema]") {
    for (const char* name : {"GetRecord_oai_dc_1.xml", "GetRecord_mods_1.xml",
                             "GetRecord_mets_2_with_file.xml", "GetRecord_deleted_13_oai_dc.xml"}) {
        INFO(name);
        CHECK(test::schema_errors(test::read_fixture(std::string("eprints-3.4/") + name)) ==
              std::nullopt);
    }
}

TEST_CASE("The schema check fails an unknown element in oai_dc and names its line",
          "[serve][schema]") {
    std::string xml = test::read_fixture("eprints-3.4/GetRecord_oai_dc_1.xml");
    const auto at = xml.find("<dc:title>");
    REQUIRE(at != std::string::npos);
    xml.insert(at, "<dc:headline>x</dc:headline>");  // on line 18 of the fixture
    const auto errors = test::schema_errors(xml);
    REQUIRE(errors);
    INFO(*errors);
    CHECK(contains(*errors,
                   "line 18: Element '{http://purl.org/dc/elements/1.1/}headline': This "
                   "element is not expected."));
}

TEST_CASE("The schema check fails a payload its schema does not declare", "[serve][schema]") {
    // OAI-PMH.xsd's <metadata> is a strict wildcard: an element no loaded schema declares fails.
    std::string xml = test::read_fixture("eprints-3.4/GetRecord_oai_dc_1.xml");
    const auto from = xml.find("<oai_dc:dc");
    const auto to = xml.find("</oai_dc:dc>") + std::string("</oai_dc:dc>").size();
    REQUIRE(from != std::string::npos);
    xml.replace(from, to - from, "<x:thing xmlns:x=\"urn:example:unknown\"/>");
    const auto errors = test::schema_errors(xml);
    REQUIRE(errors);
    INFO(*errors);
    CHECK(contains(*errors, "line 16: "));
    CHECK(contains(*errors, "strict wildcard"));
}

TEST_CASE("The schema check fails a document that is not well-formed and names its line",
          "[serve][schema]") {
    std::string xml = test::read_fixture("eprints-3.4/GetRecord_oai_dc_1.xml");
    xml.replace(xml.find("</dc:creator>"), std::string("</dc:creator>").size(), "</dc:author>");
    const auto errors = test::schema_errors(xml);
    REQUIRE(errors);
    INFO(*errors);
    CHECK(contains(*errors, "line 19: Opening and ending tag mismatch: creator"));
}
