// oai_dc made from a normalized record (lib/serve/dublin_core), and first the offline schema
// check (tests/support/schema_check) its validity tests rely on: that it passes what EPrints
// serves and fails what it must.

#include <libxml/parser.h>
#include <libxml/tree.h>

#include <catch2/catch.hpp>
#include <memory>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "metadata/metadata.hpp"
#include "oai/provider_response.hpp"
#include "serve/dublin_core.hpp"
#include "support/fixtures.hpp"
#include "support/schema_check.hpp"
#include "util/time.hpp"

using namespace oaiharvest;
using nlohmann::ordered_json;

namespace {

bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

struct DocFree {
    void operator()(xmlDoc* doc) const { xmlFreeDoc(doc); }
};
struct XmlFree {
    void operator()(xmlChar* text) const { xmlFree(text); }
};

using Elements = std::vector<std::pair<std::string, std::string>>;

// The children of the <oai_dc:dc> in `xml`, as ("dc:name", text), read back by libxml2.
Elements dc_elements(const std::string& xml) {
    std::unique_ptr<xmlDoc, DocFree> doc(xmlReadMemory(xml.data(), static_cast<int>(xml.size()),
                                                       "dc.xml", nullptr, XML_PARSE_NONET));
    REQUIRE(doc);
    const xmlNode* root = xmlDocGetRootElement(doc.get());
    REQUIRE(root);
    REQUIRE(root->ns);
    CHECK(std::string(reinterpret_cast<const char*>(root->name)) == "dc");
    CHECK(std::string(reinterpret_cast<const char*>(root->ns->href)) ==
          "http://www.openarchives.org/OAI/2.0/oai_dc/");
    Elements out;
    for (const xmlNode* c = root->children; c != nullptr; c = c->next) {
        REQUIRE(c->type == XML_ELEMENT_NODE);  // no stray text: nothing a value broke out of
        REQUIRE(c->ns);
        CHECK(std::string(reinterpret_cast<const char*>(c->ns->href)) ==
              "http://purl.org/dc/elements/1.1/");
        std::unique_ptr<xmlChar, XmlFree> text(xmlNodeGetContent(c));
        REQUIRE(text);
        out.emplace_back("dc:" + std::string(reinterpret_cast<const char*>(c->name)),
                         reinterpret_cast<const char*>(text.get()));
    }
    return out;
}

// `dc` served as the metadata of a GetRecord response.
std::string get_record_with(const std::string& dc) {
    const oai::ResponseFrame frame{
        *util::parse_utc("2026-12-02T10:00:00Z"),
        "http://127.0.0.1:8080/oai",
        {{"verb", "GetRecord"}, {"identifier", "oai:x:1"}, {"metadataPrefix", "oai_dc"}}};
    const oai::ServedRecord record{
        {"oai:x:1", *util::parse_utc("2025-01-06T08:00:00Z"), {"a:b"}, false}, dc};
    return oai::get_record_response(frame, record);
}

// Every key of the contract, null or empty.
ordered_json empty_record() {
    return ordered_json::parse(R"({"endpoint": "sample", "identifier": "oai:x:1",
        "datestamp": "2025-01-06T08:00:00Z", "deleted": false, "metadata_prefix": "mods",
        "sets": [], "title": null, "subtitle": null, "names": [], "abstract": null,
        "subjects": [], "genre": null, "type": null, "language": null, "date_issued": null,
        "publisher": null, "host": null, "identifiers": [], "urls": [], "files": [],
        "rights": null, "mets": null, "parse_error": null})");
}

ordered_json full_record() {
    ordered_json r = empty_record();
    r["title"] = "Water in Fergana";
    r["subtitle"] = "a survey";
    r["names"] = ordered_json::parse(R"([
        {"given": "Feruza", "family": "Nazarova", "display": "Nazarova, Feruza", "role": "author"},
        {"given": "Ali", "family": "Karimov", "display": null, "role": "editor"},
        {"given": null, "family": null, "display": "Tashkent State University", "role": null},
        {"given": "Olim", "family": null, "display": null, "role": "Creator"}])");
    r["abstract"] = "First paragraph.\nSecond.";
    r["subjects"] = {"Irrigation", "Central Asia"};
    r["genre"] = "article";
    r["type"] = "text";
    r["language"] = "uzb";
    r["date_issued"] = "2026-01";
    r["publisher"] = "Fan";
    r["host"] = ordered_json::parse(R"({"title": "Journal of Water", "issn": "0378-5955",
        "volume": "3", "issue": "2", "pages": "1-7"})");
    r["identifiers"] = ordered_json::parse(R"([{"type": "doi", "value": "10.1234/abc"},
        {"type": "uri", "value": "https://repo.example/1"},
        {"type": "isbn", "value": "978-3-16-148410-0"}])");
    r["urls"] = {"https://repo.example/1", "https://repo.example/1/paper.pdf"};
    r["files"] = ordered_json::parse(R"([
        {"href": "https://repo.example/1/paper.pdf", "mimetype": "application/pdf",
         "size": 123, "use": "fulltext"},
        {"href": "https://repo.example/1/data.csv", "mimetype": "text/csv", "size": null,
         "use": null}])");
    r["rights"] = "CC BY 4.0";
    return r;
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

TEST_CASE("A full record maps to Dublin Core field by field", "[serve][dublin_core]") {
    const std::string dc = serve::oai_dc_from_record_json(full_record().dump());
    INFO(dc);
    CHECK(dc.starts_with("<oai_dc:dc "));  // an element for <metadata>, no XML declaration
    CHECK(contains(dc,
                   "xsi:schemaLocation=\"http://www.openarchives.org/OAI/2.0/oai_dc/ "
                   "http://www.openarchives.org/OAI/2.0/oai_dc.xsd\""));
    const Elements expected{{"dc:title", "Water in Fergana: a survey"},
                            {"dc:creator", "Nazarova, Feruza"},
                            {"dc:creator", "Tashkent State University"},
                            {"dc:creator", "Olim"},
                            {"dc:subject", "Irrigation"},
                            {"dc:subject", "Central Asia"},
                            {"dc:description", "First paragraph.\nSecond."},
                            {"dc:publisher", "Fan"},
                            {"dc:contributor", "Karimov, Ali"},
                            {"dc:date", "2026-01"},
                            {"dc:type", "article"},
                            {"dc:type", "text"},
                            {"dc:format", "application/pdf"},
                            {"dc:format", "text/csv"},
                            {"dc:identifier", "https://doi.org/10.1234/abc"},
                            {"dc:identifier", "https://repo.example/1"},
                            {"dc:identifier", "ISBN 978-3-16-148410-0"},
                            {"dc:identifier", "https://repo.example/1/paper.pdf"},
                            {"dc:identifier", "https://repo.example/1/data.csv"},
                            {"dc:source", "Journal of Water; Vol. 3, No. 2; pp. 1-7"},
                            {"dc:source", "ISSN 0378-5955"},
                            {"dc:language", "uzb"},
                            {"dc:rights", "CC BY 4.0"}};
    CHECK(dc_elements(dc) == expected);
    CHECK(test::schema_errors(get_record_with(dc)) == std::nullopt);
}

TEST_CASE("Our own oai_dc reader reads the mapped fields back", "[serve][dublin_core]") {
    ordered_json r = full_record();
    r["abstract"] = "One paragraph.";  // the reader folds a line break into a space
    const auto d = metadata::describe(serve::oai_dc_from_record_json(r.dump()));
    REQUIRE_FALSE(d.parse_error);
    CHECK(d.title == "Water in Fergana: a survey");
    REQUIRE(d.names.size() == 4);
    CHECK(d.names[0].display == "Nazarova, Feruza");
    CHECK(d.names[0].role == "author");
    CHECK(d.names[3].display == "Karimov, Ali");
    CHECK(d.names[3].role == "contributor");
    CHECK(d.subjects == std::vector<std::string>{"Irrigation", "Central Asia"});
    CHECK(d.abstract == "One paragraph.");
    CHECK(d.publisher == "Fan");
    CHECK(d.date_issued == "2026-01");
    CHECK(d.type == "article");
    CHECK(d.language == "uzb");
    CHECK(d.rights == "CC BY 4.0");
    REQUIRE(d.host);
    CHECK(d.host->title == "Journal of Water");
    CHECK(d.host->issn == "0378-5955");
    REQUIRE(d.identifiers.size() >= 2);
    CHECK(d.identifiers[0].type == "doi");
    CHECK(d.identifiers[0].value == "10.1234/abc");
    CHECK(std::ranges::count(d.urls, "https://repo.example/1/paper.pdf") == 1);
}

TEST_CASE("A record with only nulls and empty lists gives an empty valid dc",
          "[serve][dublin_core]") {
    for (const std::string& json : {empty_record().dump(), std::string("{}")}) {
        INFO(json);
        const std::string dc = serve::oai_dc_from_record_json(json);
        INFO(dc);
        CHECK(dc_elements(dc).empty());
        CHECK(test::schema_errors(get_record_with(dc)) == std::nullopt);
    }
}

TEST_CASE("Empty strings and values of the wrong type are left out", "[serve][dublin_core]") {
    ordered_json r = empty_record();
    r["title"] = "";
    r["subtitle"] = "only a subtitle";
    r["subjects"] = ordered_json::parse(R"(["", 7, null, {"a": 1}, "kept"])");
    r["names"] = ordered_json::parse(R"([{"display": null, "role": "author"}, "Just a string"])");
    r["host"] = ordered_json::parse(R"({"title": null, "issn": null, "volume": "4"})");
    r["language"] = 12;
    const Elements expected{
        {"dc:title", "only a subtitle"}, {"dc:subject", "kept"}, {"dc:source", "Vol. 4"}};
    CHECK(dc_elements(serve::oai_dc_from_record_json(r.dump())) == expected);
}

TEST_CASE("Hostile values stay text and characters XML forbids never reach the output",
          "[serve][dublin_core]") {
    ordered_json r = empty_record();
    r["title"] = "</dc:title><x>";
    r["subjects"] = {"]]>",
                     "a & b <c> \"d\" 'e' &amp;",
                     "bell\u0001here",
                     std::string("nul") + '\0' + "here",
                     "\uFFFE\uFFFF\u001B[2J",
                     "tab\tand\r\nnewline"};
    // nlohmann cannot write bytes that are not UTF-8, but an older database might hold them.
    std::string json = r.dump();
    json.replace(json.find("\"publisher\":null"), 16, "\"publisher\":\"caf\xE9 \xFF\"");
    const std::string dc = serve::oai_dc_from_record_json(json);
    INFO(dc);
    const Elements expected{{"dc:title", "</dc:title><x>"},
                            {"dc:subject", "]]>"},
                            {"dc:subject", "a & b <c> \"d\" 'e' &amp;"},
                            {"dc:subject", "bell\uFFFDhere"},
                            {"dc:subject", "nul\uFFFDhere"},
                            {"dc:subject", "\uFFFD\uFFFD\uFFFD[2J"},
                            {"dc:subject", "tab\tand\r\nnewline"},
                            {"dc:publisher", "caf\uFFFD \uFFFD"}};
    CHECK(dc_elements(dc) == expected);
    CHECK_FALSE(contains(dc, "<x>"));
    CHECK(test::schema_errors(get_record_with(dc)) == std::nullopt);
}

TEST_CASE("Text that is not a record JSON object is refused", "[serve][dublin_core]") {
    for (const char* text : {"", "not json", "[]", "\"a string\"", "null", "{\"title\": "}) {
        INFO(text);
        CHECK_THROWS_AS(serve::oai_dc_from_record_json(text), std::invalid_argument);
    }
}
