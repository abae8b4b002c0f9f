#include <catch2/catch.hpp>
#include <string>

#include "metadata/metadata.hpp"

using namespace oaiharvest::metadata;

namespace {

std::string oai_dc(const std::string& body) {
    return "<oai_dc:dc xmlns:oai_dc=\"http://www.openarchives.org/OAI/2.0/oai_dc/\" "
           "xmlns:dc=\"http://purl.org/dc/elements/1.1/\">" +
           body + "</oai_dc:dc>";
}

}  // namespace

TEST_CASE("oai_dc: the fifteen elements", "[metadata][dc]") {
    const auto d = describe(oai_dc(
        "<dc:title>First  title</dc:title><dc:title>Second title</dc:title>"
        "<dc:creator>Nazarova, Feruza</dc:creator><dc:creator>UNESCO</dc:creator>"
        "<dc:contributor>Karimov, Jasur</dc:contributor>"
        "<dc:subject>JZ International relations</dc:subject><dc:subject>DS Asia</dc:subject>"
        "<dc:description>&amp;nbsp;Abstract.</dc:description><dc:description>More</dc:description>"
        "<dc:publisher>FAN</dc:publisher><dc:date>2026-01-01T00:00:00Z</dc:date>"
        "<dc:type>Article</dc:type><dc:type>PeerReviewed</dc:type>"
        "<dc:format>application/pdf</dc:format>"
        "<dc:identifier>http://repo.example.org/1/1/a.pdf</dc:identifier>"
        "<dc:source>0120-6230</dc:source><dc:language>uz</dc:language>"
        "<dc:relation>http://repo.example.org/1/</dc:relation><dc:relation>eqf</dc:relation>"
        "<dc:coverage>Central Asia</dc:coverage><dc:rights>cc_by</dc:rights>"));
    CHECK_FALSE(d.parse_error);
    CHECK(d.title == "First title");
    REQUIRE(d.names.size() == 3);
    CHECK(d.names[0].family == "Nazarova");
    CHECK(d.names[0].given == "Feruza");
    CHECK(d.names[0].display == "Nazarova, Feruza");
    CHECK(d.names[0].role == "author");
    CHECK_FALSE(d.names[1].family);
    CHECK(d.names[1].display == "UNESCO");
    CHECK(d.names[2].role == "contributor");
    CHECK(d.subjects ==
          std::vector<std::string>{"JZ International relations", "DS Asia", "Central Asia"});
    CHECK(d.abstract == "Abstract.");
    CHECK(d.publisher == "FAN");
    CHECK(d.date_issued == "2026-01-01");
    CHECK(d.type == "Article");
    CHECK_FALSE(d.genre);
    CHECK(d.language == "uz");
    REQUIRE(d.host);
    CHECK(d.host->issn == "0120-6230");
    CHECK_FALSE(d.host->title);
    CHECK(d.rights == "cc_by");
    CHECK(d.urls == std::vector<std::string>{"http://repo.example.org/1/1/a.pdf",
                                             "http://repo.example.org/1/"});
    REQUIRE(d.identifiers.size() == 1);
    CHECK(d.identifiers[0].type == "uri");
    CHECK(d.identifiers[0].value == "http://repo.example.org/1/1/a.pdf");
    CHECK(d.files.empty());
    CHECK_FALSE(d.mets);
}

TEST_CASE("oai_dc identifier: URLs, DOIs, and citations skipped", "[metadata][dc]") {
    const auto d = describe(oai_dc(
        "<dc:identifier>https://doi.org/10.1016/S1473-3099(10)70008-6</dc:identifier>"
        "<dc:identifier>doi:10.1000/xyz</dc:identifier>"
        "<dc:identifier>urn:nbn:de:0001-123</dc:identifier>"
        "<dc:identifier>  Nazarova, Feruza  (2026) MECHANISMS FOR DEVELOPING CULTURAL DIPLOMACY."
        "         </dc:identifier>"
        "<dc:identifier>    Chico, RM &lt;http://researchonline.lshtm.ac.uk/view/creators/1.html"
        "&gt;;  (2010) Quinine.  ISSN 1473-3099 DOI: 10.1016/x</dc:identifier>"));
    REQUIRE(d.identifiers.size() == 3);
    CHECK(d.identifiers[0].type == "doi");
    CHECK(d.identifiers[0].value == "10.1016/S1473-3099(10)70008-6");
    CHECK(d.identifiers[1].type == "doi");
    CHECK(d.identifiers[1].value == "10.1000/xyz");
    CHECK(d.identifiers[2].type == "urn");
    CHECK(d.urls == std::vector<std::string>{"https://doi.org/10.1016/S1473-3099(10)70008-6"});
}

TEST_CASE("oai_dc creator: the OJS affiliation after a semicolon", "[metadata][dc]") {
    const auto d = describe(
        oai_dc("<dc:creator>Rúa Cardona, Alex Fernando; Universidad de Antioquia</dc:creator>"
               "<dc:contributor xml:lang=\"es-ES\" />"));
    REQUIRE(d.names.size() == 1);
    CHECK(d.names[0].family == "Rúa Cardona");
    CHECK(d.names[0].given == "Alex Fernando");
    CHECK(d.names[0].affiliation == "Universidad de Antioquia");
}

TEST_CASE("oai_dc source: the journal before a semicolon as OJS writes it", "[metadata][dc]") {
    const auto d = describe(oai_dc(
        "<dc:source xml:lang=\"es-ES\">Revista Facultad de Ingeniería; núm. 73 (2014): Revista "
        "Facultad de Ingeniería; 134-143</dc:source>"));
    REQUIRE(d.host);
    CHECK(d.host->title == "Revista Facultad de Ingeniería");
}

TEST_CASE("oai_dc with nothing in it", "[metadata][dc]") {
    const auto d = describe(oai_dc("<dc:title> </dc:title>"));
    CHECK_FALSE(d.parse_error);
    CHECK_FALSE(d.title);
    CHECK(d.names.empty());
    CHECK_FALSE(d.host);
}

TEST_CASE("qualified DC (CONTENTdm oai_qdc): dc and dcterms", "[metadata][dc]") {
    const auto d = describe(
        "<oai_qdc:qualifieddc xmlns:oai_qdc=\"http://worldcat.org/xmlschemas/qdc-1.0/\" "
        "xmlns:dcterms=\"http://purl.org/dc/terms/\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\">"
        "<dc:title>A Symbol of Divine Love</dc:title><dc:creator>Gill, Eric 1882-1940</dc:creator>"
        "<dc:date>1927; </dc:date><dcterms:issued>1928</dcterms:issued>"
        "<dcterms:abstract>Engraving</dcterms:abstract>"
        "<dcterms:accessRights>Public</dcterms:accessRights><dcterms:spatial>Ditchling"
        "</dcterms:spatial></oai_qdc:qualifieddc>");
    CHECK_FALSE(d.parse_error);
    CHECK(d.title == "A Symbol of Divine Love");
    REQUIRE(d.names.size() == 1);
    CHECK(d.names[0].family == "Gill");
    CHECK(d.date_issued == "1928");
    CHECK(d.abstract == "Engraving");
    CHECK(d.rights == "Public");
    CHECK(d.subjects == std::vector<std::string>{"Ditchling"});
}
