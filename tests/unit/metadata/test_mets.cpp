#include <catch2/catch.hpp>
#include <string>

#include "metadata/metadata.hpp"

using namespace oaiharvest::metadata;

namespace {

const std::string k_open =
    "<mets:mets OBJID=\"eprint_7\" xmlns:mets=\"http://www.loc.gov/METS/\" "
    "xmlns:mods=\"http://www.loc.gov/mods/v3\" xmlns:xlink=\"http://www.w3.org/1999/xlink\">";

std::string mets(const std::string& body) {
    return k_open + body + "</mets:mets>";
}

std::string dmd(const std::string& data, const std::string& type = "MODS") {
    return "<mets:dmdSec ID=\"d\"><mets:mdWrap MDTYPE=\"" + type + "\"><mets:xmlData>" + data +
           "</mets:xmlData></mets:mdWrap></mets:dmdSec>";
}

}  // namespace

TEST_CASE("METS header: created, last modified, custodian by role", "[metadata][mets]") {
    const auto d = describe(mets(
        "<mets:metsHdr CREATEDATE=\"2026-06-03T02:27:02Z\" LASTMODDATE=\"2026-06-04T00:00:00Z\">"
        "<mets:agent ROLE=\"CREATOR\" TYPE=\"ORGANIZATION\"><mets:name>Not me</mets:name>"
        "</mets:agent><mets:agent ROLE=\"CUSTODIAN\" TYPE=\"ORGANIZATION\"><mets:name> Arxiv "
        " Universal Publishings </mets:name></mets:agent></mets:metsHdr>"));
    REQUIRE(d.mets);
    CHECK(d.mets->objid == "eprint_7");
    CHECK(d.mets->created == "2026-06-03T02:27:02Z");
    CHECK(d.mets->last_modified == "2026-06-04T00:00:00Z");
    CHECK(d.mets->custodian == "Arxiv Universal Publishings");
}

TEST_CASE("METS header: EPrints 3.1 spells CREATEDATE as CREATEDATA", "[metadata][mets]") {
    const auto d = describe(mets("<mets:metsHdr CREATEDATA=\"2009-01-01T00:00:00Z\"/>"));
    REQUIRE(d.mets);
    CHECK(d.mets->created == "2009-01-01T00:00:00Z");
    CHECK_FALSE(d.mets->custodian);
}

TEST_CASE("METS dmdSec: MODS elements directly in xmlData, or wrapped", "[metadata][mets]") {
    const std::string elements =
        "<mods:titleInfo><mods:title>Title</mods:title></mods:titleInfo>"
        "<mods:name type=\"personal\"><mods:namePart type=\"family\">Nazarova</mods:namePart>"
        "</mods:name>";
    const auto bare = describe(mets(dmd(elements)));
    const auto wrapped = describe(mets(dmd("<mods:mods>" + elements + "</mods:mods>")));
    for (const auto& d : {bare, wrapped}) {
        CHECK(d.title == "Title");
        REQUIRE(d.names.size() == 1);
        CHECK(d.names[0].display == "Nazarova");
    }
}

TEST_CASE("METS with several dmdSec: the first gives each field, the next fill gaps",
          "[metadata][mets]") {
    const auto d = describe(
        mets(dmd("<mods:titleInfo><mods:title>From MODS</mods:title></mods:titleInfo>") +
             dmd("<oai_dc:dc xmlns:oai_dc=\"http://www.openarchives.org/OAI/2.0/oai_dc/\" "
                 "xmlns:dc=\"http://purl.org/dc/elements/1.1/\"><dc:title>From DC</dc:title>"
                 "<dc:creator>Karimov, Jasur</dc:creator><dc:date>2020</dc:date></oai_dc:dc>",
                 "DC")));
    CHECK(d.title == "From MODS");
    REQUIRE(d.names.size() == 1);
    CHECK(d.names[0].role == "author");
    CHECK(d.date_issued == "2020");
}

TEST_CASE("METS rights: useAndReproduction in amdSec, XHTML to text", "[metadata][mets]") {
    const std::string amd =
        "<mets:amdSec><mets:rightsMD><mets:mdWrap MDTYPE=\"MODS\"><mets:xmlData>"
        "<mods:useAndReproduction>\n<p xmlns=\"http://www.w3.org/1999/xhtml\"><strong>For "
        "work:</strong>\nIn self-archiving</p>\n\n<p xmlns=\"http://www.w3.org/1999/xhtml\">"
        "Clicking <em>Deposit</em> now.</p>\n  </mods:useAndReproduction></mets:xmlData>"
        "</mets:mdWrap></mets:rightsMD></mets:amdSec>";
    CHECK(describe(mets(amd)).rights == "For work: In self-archiving\nClicking Deposit now.");
    // An accessCondition of the descriptive metadata comes first.
    const auto d =
        describe(mets(dmd("<mods:accessCondition>CC BY 4.0</mods:accessCondition>") + amd));
    CHECK(d.rights == "CC BY 4.0");
}

TEST_CASE("METS fileSec: every file, read without the structMap", "[metadata][mets]") {
    const auto d = describe(
        mets("<mets:fileSec><mets:fileGrp USE=\"reference\">"
             "<mets:file ID=\"eprint_2_1_1\" SIZE=\"726\" MIMETYPE=\"text/plain\" CHECKSUM=\"abc\" "
             "CHECKSUMTYPE=\"MD5\"><mets:FLocat LOCTYPE=\"URL\" xlink:type=\"simple\" "
             "xlink:href=\"http://127.0.0.1:18180/id/eprint/2/1/fulltext_2.txt\"/></mets:file>"
             "<mets:file ID=\"f2\" SIZE=\"big\" USE=\"thumbnail\"><mets:FLocat "
             "xlink:href=\" http://example.org/t.png \"/></mets:file>"
             "<mets:file ID=\"f3\"><mets:FLocat href=\"http://no-xlink\"/></mets:file>"
             "</mets:fileGrp></mets:fileSec>"
             "<mets:structMap><mets:div><mets:fptr FILEID=\"eprint_2_document_1_1\"/></mets:div>"
             "</mets:structMap>"));
    REQUIRE(d.files.size() == 2);
    CHECK(d.files[0].href == "http://127.0.0.1:18180/id/eprint/2/1/fulltext_2.txt");
    CHECK(d.files[0].mimetype == "text/plain");
    CHECK(d.files[0].size == 726);
    CHECK(d.files[0].use == "reference");
    CHECK(d.files[0].checksum == "abc");
    CHECK(d.files[0].checksum_type == "MD5");
    CHECK(d.files[1].href == "http://example.org/t.png");
    CHECK_FALSE(d.files[1].size);
    CHECK_FALSE(d.files[1].mimetype);
    CHECK(d.files[1].use == "thumbnail");
}

TEST_CASE("METS in the default namespace", "[metadata][mets]") {
    const auto d = describe(
        "<mets xmlns=\"http://www.loc.gov/METS/\" OBJID=\"x\"><dmdSec><mdWrap><xmlData>"
        "<titleInfo xmlns=\"http://www.loc.gov/mods/v3\"><title>Default</title></titleInfo>"
        "</xmlData></mdWrap></dmdSec></mets>");
    CHECK(d.title == "Default");
    REQUIRE(d.mets);
    CHECK(d.mets->objid == "x");
}

TEST_CASE("METS without metadata still has its mets block", "[metadata][mets]") {
    const auto d = describe(mets(""));
    CHECK_FALSE(d.parse_error);
    CHECK_FALSE(d.title);
    REQUIRE(d.mets);
    CHECK_FALSE(d.mets->created);
}
