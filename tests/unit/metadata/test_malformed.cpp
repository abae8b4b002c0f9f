// Each malformed input its own case: describe() reports it in parse_error and never throws.

#include <catch2/catch.hpp>
#include <string>

#include "metadata/detail/xml.hpp"
#include "metadata/metadata.hpp"
#include "support/fixtures.hpp"

using namespace oaiharvest::metadata;
using oaiharvest::metadata::detail::DocPtr;

namespace {

bool mentions(const std::optional<std::string>& error, const std::string& what) {
    return error && error->find(what) != std::string::npos;
}

}  // namespace

TEST_CASE("malformed: an element left open", "[metadata][malformed]") {
    const auto d = describe(
        "<mods:mods xmlns:mods=\"http://www.loc.gov/mods/v3\">\n<mods:titleInfo>\n"
        "<mods:title>Open</mods:titleInfo></mods:mods>");
    REQUIRE(d.parse_error);
    CHECK(mentions(d.parse_error, "line 3"));
    CHECK_FALSE(d.title);
}

TEST_CASE("malformed: empty input", "[metadata][malformed]") {
    CHECK(describe("").parse_error);
}

TEST_CASE("malformed: not XML at all", "[metadata][malformed]") {
    CHECK(describe("EPrints System Error").parse_error);
    CHECK(describe("<html><head><title>EPrints System Error</title></head><body><p>x<br></p>"
                   "</body></html>")
              .parse_error);
}

TEST_CASE("malformed: a record cut off in the middle", "[metadata][malformed]") {
    const std::string seed = oaiharvest::test::read_fixture("seeds/001_41e69035f2cc746a.txt");
    for (std::size_t length = 0; length + 1 < seed.size(); length += 7) {
        INFO(length);
        CHECK(describe(std::string_view(seed).substr(0, length)).parse_error);
    }
}

TEST_CASE("malformed: an HTML entity not escaped twice", "[metadata][malformed]") {
    const auto d = describe(
        "<oai_dc:dc xmlns:oai_dc=\"http://www.openarchives.org/OAI/2.0/oai_dc/\" "
        "xmlns:dc=\"http://purl.org/dc/elements/1.1/\"><dc:title>a&nbsp;b</dc:title></oai_dc:dc>");
    CHECK(mentions(d.parse_error, "nbsp"));
}

TEST_CASE("malformed: bytes that are not UTF-8", "[metadata][malformed]") {
    const auto d = describe(
        "<oai_dc:dc xmlns:oai_dc=\"http://www.openarchives.org/OAI/2.0/oai_dc/\" "
        "xmlns:dc=\"http://purl.org/dc/elements/1.1/\"><dc:title>caf\xE9</dc:title></oai_dc:dc>");
    CHECK(d.parse_error);
}

TEST_CASE("malformed: an unknown root element", "[metadata][malformed]") {
    const auto d = describe(
        "<record xmlns=\"http://www.loc.gov/MARC21/slim\"><leader>00000</leader></record>");
    CHECK(mentions(d.parse_error, "unknown root element {http://www.loc.gov/MARC21/slim}record"));
    CHECK(mentions(d.parse_error, "line 1"));
}

TEST_CASE("malformed: a MODS prefix that is never declared", "[metadata][malformed]") {
    // Without its namespace the element is no MODS element, whatever its prefix says.
    const auto d = describe(
        "<mods:mods><mods:titleInfo><mods:title>x</mods:title>"
        "</mods:titleInfo></mods:mods>");
    CHECK(mentions(d.parse_error, "unknown root element"));
}

TEST_CASE("malformed: an undeclared xsi prefix is not an error", "[metadata][malformed]") {
    // EPrints declares xsi: only on the OAI-PMH root; a record cut out as is keeps the attribute.
    const auto d = describe(
        "<mods:mods xmlns:mods=\"http://www.loc.gov/mods/v3\" xsi:schemaLocation=\"a b\">"
        "<mods:titleInfo><mods:title>Kept</mods:title></mods:titleInfo></mods:mods>");
    CHECK_FALSE(d.parse_error);
    CHECK(d.title == "Kept");
}

TEST_CASE("malformed: an external entity is never read", "[metadata][malformed]") {
    const auto d = describe(
        "<!DOCTYPE dc [<!ENTITY e SYSTEM \"file:///etc/passwd\">]>"
        "<oai_dc:dc xmlns:oai_dc=\"http://www.openarchives.org/OAI/2.0/oai_dc/\" "
        "xmlns:dc=\"http://purl.org/dc/elements/1.1/\"><dc:title>x&e;y</dc:title></oai_dc:dc>");
    if (d.title) {
        CHECK(d.title->find("root:") == std::string::npos);
    }
}

TEST_CASE("malformed: an entity bomb is not expanded", "[metadata][malformed]") {
    std::string doctype = "<!DOCTYPE dc [<!ENTITY a \"aaaaaaaaaa\">";
    for (char c = 'b'; c <= 'k'; ++c) {
        const std::string prev(1, static_cast<char>(c - 1));
        doctype += "<!ENTITY " + std::string(1, c) + " \"";
        for (int i = 0; i < 10; ++i) {
            doctype += "&" + prev + ";";
        }
        doctype += "\">";
    }
    const auto d =
        describe(doctype +
                 "]><oai_dc:dc xmlns:oai_dc=\"http://www.openarchives.org/OAI/2.0/oai_dc/\" "
                 "xmlns:dc=\"http://purl.org/dc/elements/1.1/\"><dc:title>&k;</dc:title>"
                 "</oai_dc:dc>");
    CHECK((d.parse_error || !d.title || d.title->size() < 1000));
}

TEST_CASE("hostile: a description nesting 200,000 elements is read without recursion",
          "[metadata][malformed]") {
    // Built as the OAI reader builds it (a libxml2 tree, no parse, so no parser depth limit):
    // reading its text must walk it in constant stack.
    DocPtr doc(xmlNewDoc(reinterpret_cast<const xmlChar*>("1.0")));
    REQUIRE(doc);
    xmlNode* root =
        xmlNewDocNode(doc.get(), nullptr, reinterpret_cast<const xmlChar*>("dc"), nullptr);
    xmlDocSetRootElement(doc.get(), root);
    xmlNs* oai_dc = xmlNewNs(
        root, reinterpret_cast<const xmlChar*>("http://www.openarchives.org/OAI/2.0/oai_dc/"),
        reinterpret_cast<const xmlChar*>("oai_dc"));
    xmlNs* dc = xmlNewNs(root, reinterpret_cast<const xmlChar*>("http://purl.org/dc/elements/1.1/"),
                         reinterpret_cast<const xmlChar*>("dc"));
    xmlSetNs(root, oai_dc);
    xmlNode* at = xmlNewChild(root, dc, reinterpret_cast<const xmlChar*>("description"), nullptr);
    for (int i = 0; i < 200'000; ++i) {
        at = xmlNewChild(at, nullptr, reinterpret_cast<const xmlChar*>("b"), nullptr);
        REQUIRE(at != nullptr);
    }
    xmlNodeAddContent(at, reinterpret_cast<const xmlChar*>("deep text"));
    const auto d = describe(*root);
    CHECK_FALSE(d.parse_error);
    REQUIRE(d.abstract);
    CHECK(*d.abstract == "deep text");
}
