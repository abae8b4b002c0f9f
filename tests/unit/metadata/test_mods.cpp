#include <catch2/catch.hpp>
#include <string>

#include "metadata/metadata.hpp"

using namespace oaiharvest::metadata;

namespace {

// A MODS record around body, with the prefix given (empty: the default namespace).
std::string mods(const std::string& body, const std::string& prefix = "mods") {
    const std::string p = prefix.empty() ? "" : prefix + ":";
    const std::string decl = prefix.empty() ? "xmlns" : "xmlns:" + prefix;
    std::string out = "<" + p + "mods " + decl + "=\"http://www.loc.gov/mods/v3\" version=\"3.7\">";
    // The body is written with "m:"; give it the record's prefix.
    for (std::size_t i = 0; i < body.size(); ++i) {
        if (body.compare(i, 2, "m:") == 0 && i > 0 && (body[i - 1] == '<' || body[i - 1] == '/')) {
            out += p;
            ++i;
        } else {
            out += body[i];
        }
    }
    return out + "</" + p + "mods>";
}

}  // namespace

TEST_CASE("MODS main title: the untyped titleInfo, nonSort first", "[metadata][mods]") {
    const auto d =
        describe(mods("<m:titleInfo type=\"alternative\"><m:title>Other</m:title></m:titleInfo>"
                      "<m:titleInfo><m:nonSort>The </m:nonSort><m:title>Main\r\n title</m:title>"
                      "<m:subTitle>a &amp;nbsp;study</m:subTitle></m:titleInfo>"));
    CHECK(d.title == "The Main title");
    CHECK(d.subtitle == "a study");
    CHECK_FALSE(d.parse_error);
}

TEST_CASE("MODS main title: the first when all are typed", "[metadata][mods]") {
    const auto d = describe(mods(
        "<m:titleInfo type=\"translated\"><m:nonSort>L'</m:nonSort><m:title>amour</m:title>"
        "</m:titleInfo><m:titleInfo type=\"abbreviated\"><m:title>Abbr</m:title></m:titleInfo>"));
    CHECK(d.title == "L'amour");
    CHECK_FALSE(d.subtitle);
}

TEST_CASE("MODS matches namespaces, not prefixes", "[metadata][mods]") {
    const std::string body =
        "<m:titleInfo><m:title>Same</m:title></m:titleInfo>"
        "<m:genre>Article</m:genre>";
    for (const std::string prefix : {"mods", "", "x"}) {
        const auto d = describe(mods(body, prefix));
        CHECK(d.title == "Same");
        CHECK(d.genre == "Article");
    }
    // The right local names in another namespace are not MODS.
    const auto other = describe(
        "<mods:mods xmlns:mods=\"http://www.loc.gov/mods/v3\" xmlns:o=\"urn:other\">"
        "<o:titleInfo><o:title>No</o:title></o:titleInfo></mods:mods>");
    CHECK_FALSE(other.title);
}

TEST_CASE("MODS names: parts, display, roles as text and as codes", "[metadata][mods]") {
    const auto d = describe(mods(
        "<m:name type=\"personal\"><m:namePart type=\"given\">Feruza</m:namePart>"
        "<m:namePart type=\"family\">Nazarova</m:namePart><m:namePart type=\"date\">1980-"
        "</m:namePart><m:namePart type=\"termsOfAddress\">Dr.</m:namePart>"
        "<m:role><m:roleTerm type=\"text\">author</m:roleTerm></m:role>"
        "<m:affiliation>Tashkent State University</m:affiliation>"
        "<m:nameIdentifier type=\"orcid\">https://orcid.org/0000-0002-1825-0097</m:nameIdentifier>"
        "</m:name>"
        "<m:name><m:namePart type=\"given\">Jasur</m:namePart><m:namePart type=\"given\">A."
        "</m:namePart><m:namePart type=\"family\">Karimov</m:namePart>"
        "<m:role><m:roleTerm type=\"code\" authority=\"marcrelator\">edt</m:roleTerm></m:role>"
        "</m:name>"
        "<m:name><m:displayForm>Smith, J. (ed.)</m:displayForm><m:namePart type=\"family\">Smith"
        "</m:namePart><m:role><m:roleTerm type=\"code\">ths</m:roleTerm>"
        "<m:roleTerm type=\"text\">thesis advisor (text)</m:roleTerm></m:role></m:name>"
        "<m:name><m:namePart type=\"given\"/><m:namePart type=\"family\">Alone</m:namePart>"
        "<m:role><m:roleTerm>AUT</m:roleTerm></m:role></m:name>"
        "<m:name type=\"personal\"><m:namePart>Tan, Uner</m:namePart>"
        "<m:role><m:roleTerm type=\"code\">zzz</m:roleTerm></m:role></m:name>"
        "<m:name type=\"corporate\"><m:namePart>University</m:namePart>"
        "<m:namePart>Faculty, Department</m:namePart></m:name>"
        "<m:name><m:namePart type=\"given\"> </m:namePart></m:name>"));
    REQUIRE(d.names.size() == 6);
    CHECK(d.names[0].given == "Feruza");
    CHECK(d.names[0].family == "Nazarova");
    CHECK(d.names[0].display == "Nazarova, Feruza");
    CHECK(d.names[0].role == "author");
    CHECK(d.names[0].affiliation == "Tashkent State University");
    CHECK(d.names[0].orcid == "0000-0002-1825-0097");
    CHECK(d.names[1].given == "Jasur A.");
    CHECK(d.names[1].role == "editor");
    CHECK(d.names[2].display == "Smith, J. (ed.)");
    CHECK(d.names[2].role == "thesis advisor (text)");
    CHECK_FALSE(d.names[3].given);  // EPrints writes empty given names
    CHECK(d.names[3].display == "Alone");
    CHECK(d.names[3].role == "author");
    CHECK(d.names[4].family == "Tan");
    CHECK(d.names[4].given == "Uner");
    CHECK(d.names[4].role == "zzz");
    CHECK_FALSE(d.names[5].family);
    CHECK(d.names[5].display == "University, Faculty, Department");
    CHECK_FALSE(d.names[5].role);
}

TEST_CASE("MODS abstract: the first that is not empty", "[metadata][mods]") {
    const auto d =
        describe(mods("<m:abstract lang=\"eng\">&amp;nbsp;</m:abstract>"
                      "<m:abstract lang=\"rus\">Аннотация&#13;\nстатьи</m:abstract>"
                      "<m:abstract lang=\"eng\">Abstract</m:abstract>"));
    CHECK(d.abstract == "Аннотация статьи");
}

TEST_CASE("MODS subjects, classification, genre, type and language", "[metadata][mods]") {
    const auto d = describe(mods(
        "<m:subject><m:topic>Diplomacy</m:topic><m:geographic>Central Asia</m:geographic>"
        "</m:subject><m:subject authority=\"local\">Whole subject</m:subject>"
        "<m:subject><m:topic>Diplomacy</m:topic></m:subject>"
        "<m:classification authority=\"lcc\">JZ International relations</m:classification>"
        "<m:genre>Maqola</m:genre><m:genre>Second</m:genre>"
        "<m:typeOfResource>text</m:typeOfResource>"
        "<m:language><m:languageTerm type=\"text\">Uzbek</m:languageTerm>"
        "<m:languageTerm type=\"code\" authority=\"iso639-2b\">uzb</m:languageTerm></m:language>"));
    CHECK(d.subjects == std::vector<std::string>{"Diplomacy", "Central Asia", "Whole subject",
                                                 "JZ International relations"});
    CHECK(d.genre == "Maqola");
    CHECK(d.type == "text");
    CHECK(d.language == "uzb");
}

TEST_CASE("MODS originInfo: several merged, dates normalized", "[metadata][mods]") {
    SECTION("EPrints: date in one, publisher in another") {
        const auto d = describe(mods(
            "<m:originInfo><m:dateIssued encoding=\"iso8061\">2026-01-01T00:00:00Z</m:dateIssued>"
            "</m:originInfo><m:originInfo><m:publisher>FAN</m:publisher>"
            "<m:place><m:placeTerm type=\"code\">uz</m:placeTerm>"
            "<m:placeTerm type=\"text\">Tashkent</m:placeTerm></m:place></m:originInfo>"));
        CHECK(d.date_issued == "2026-01-01");
        CHECK(d.publisher == "FAN");
        CHECK(d.place == "Tashkent");
    }
    SECTION("keyDate and encoded dates first") {
        const auto d =
            describe(mods("<m:originInfo><m:dateIssued>c1999</m:dateIssued>"
                          "<m:dateIssued encoding=\"w3cdtf\" point=\"end\">2001</m:dateIssued>"
                          "<m:dateIssued encoding=\"w3cdtf\">2000-05</m:dateIssued>"
                          "<m:dateIssued encoding=\"marc\" keyDate=\"yes\">1999</m:dateIssued>"
                          "</m:originInfo>"));
        CHECK(d.date_issued == "1999");
    }
    SECTION("dateCreated when nothing was issued") {
        const auto d = describe(
            mods("<m:originInfo><m:dateCreated>2010/02/03</m:dateCreated></m:originInfo>"));
        CHECK(d.date_issued == "2010-02-03");
    }
}

TEST_CASE("MODS relatedItem host", "[metadata][mods]") {
    SECTION("title, ISSN, volume, issue, pages") {
        const auto d = describe(mods(
            "<m:relatedItem type=\"series\"><m:titleInfo><m:title>Series</m:title></m:titleInfo>"
            "</m:relatedItem><m:relatedItem type=\"host\"><m:titleInfo><m:title>Journal of Asian"
            " Studies</m:title></m:titleInfo><m:identifier type=\"issn\">1234-5678</m:identifier>"
            "<m:part><m:detail type=\"volume\"><m:number>12</m:number></m:detail>"
            "<m:detail type=\"issue\"><m:number>3</m:number></m:detail>"
            "<m:extent unit=\"page\"><m:start>101</m:start><m:end>117</m:end></m:extent>"
            "</m:part></m:relatedItem>"));
        REQUIRE(d.host);
        CHECK(d.host->title == "Journal of Asian Studies");
        CHECK(d.host->issn == "1234-5678");
        CHECK(d.host->volume == "12");
        CHECK(d.host->issue == "3");
        CHECK(d.host->pages == "101-117");
    }
    SECTION("a page list, and a part at the top level") {
        const auto d = describe(mods(
            "<m:relatedItem type=\"host\"><m:titleInfo><m:title>J</m:title></m:titleInfo>"
            "</m:relatedItem><m:part><m:detail type=\"volume\"><m:number>4</m:number></m:detail>"
            "<m:extent unit=\"pages\"><m:list>pp. 5-9</m:list></m:extent></m:part>"));
        REQUIRE(d.host);
        CHECK(d.host->volume == "4");
        CHECK(d.host->pages == "pp. 5-9");
    }
    SECTION("none") {
        CHECK_FALSE(describe(mods("<m:relatedItem type=\"host\"/>")).host);
    }
}

TEST_CASE("MODS identifiers, urls and rights", "[metadata][mods]") {
    const auto d = describe(
        mods("<m:identifier type=\"DOI\">https://doi.org/10.1000/abc</m:identifier>"
             "<m:identifier type=\"uri\">http://repo.example.org/85694/</m:identifier>"
             "<m:identifier type=\"isbn\">978-3-16-148410-0</m:identifier>"
             "<m:identifier type=\"local\">85694</m:identifier>"
             "<m:identifier type=\"doi\" invalid=\"yes\">10.9999/old</m:identifier>"
             "<m:identifier>10.1000/untyped</m:identifier>"
             "<m:identifier>Nazarova, F. (2026) A citation.</m:identifier>"
             "<m:location><m:url usage=\"primary\">http://repo.example.org/85694/1/a.pdf</m:url>"
             "<m:url>http://repo.example.org/85694/</m:url></m:location>"
             "<m:accessCondition type=\"use and reproduction\"><p "
             "xmlns=\"http://www.w3.org/1999/xhtml\">"
             "<strong>Open</strong> access</p><p xmlns=\"http://www.w3.org/1999/xhtml\">CC BY</p>"
             "</m:accessCondition>"));
    REQUIRE(d.identifiers.size() == 5);
    CHECK(d.identifiers[0].type == "doi");
    CHECK(d.identifiers[0].value == "10.1000/abc");
    CHECK(d.identifiers[1].type == "uri");
    CHECK(d.identifiers[2].type == "isbn");
    CHECK(d.identifiers[3].type == "local");
    CHECK(d.identifiers[4].type == "doi");
    CHECK(d.identifiers[4].value == "10.1000/untyped");
    CHECK(d.urls == std::vector<std::string>{"https://doi.org/10.1000/abc",
                                             "http://repo.example.org/85694/",
                                             "http://repo.example.org/85694/1/a.pdf"});
    CHECK(d.rights == "Open access\nCC BY");
}

TEST_CASE("MODS modsCollection: its first record", "[metadata][mods]") {
    const auto d = describe(
        "<modsCollection xmlns=\"http://www.loc.gov/mods/v3\"><mods><titleInfo><title>First"
        "</title></titleInfo></mods><mods><titleInfo><title>Second</title></titleInfo></mods>"
        "</modsCollection>");
    CHECK(d.title == "First");
    CHECK_FALSE(d.mets);
}
