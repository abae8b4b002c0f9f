// "/record": every field of a record's normalized JSON, its links and files, which copy of
// which format is shown, a deleted record said so, and 400 and 404 for what is not there.

#include <catch2/catch.hpp>

#include "web_mirror.hpp"

using namespace oaiharvest;
using test::HtmlDoc;

namespace {

const std::string k_record2 = "oai:eprints.oailab.local:2";

// The <dd> text of the field `label` (its <dt>).
std::string field(const HtmlDoc& doc, const std::string& label) {
    return doc.text(("//dt[text()='" + label + "']/following-sibling::dd[1]").c_str());
}

}  // namespace

TEST_CASE("A record's page shows every field of its JSON", "[web][record]") {
    test::WebMirror m;
    const auto reply = m.get("/record", {{"endpoint", "eprints"}, {"id", k_record2}});
    REQUIRE(reply.status == 200);
    const HtmlDoc doc(reply.body);
    CHECK(doc.text("//title") ==
          "Проблемы и перспективы высшего образования в Республике Узбекистан · oaiharvest "
          "mirror");
    CHECK(doc.text("//article/h1") ==
          "Проблемы и перспективы высшего образования в Республике Узбекистан");
    CHECK(doc.texts("//dt[text()='Names']/following-sibling::dd[1]//li/a") ==
          std::vector<std::string>{"Назарова, Сардор", "Сулейменов, Жасур", "Каримов, Зилола"});
    CHECK(doc.texts("//dt[text()='Names']/following-sibling::dd[1]//li/span") ==
          std::vector<std::string>{"author", "author", "author"});
    CHECK(doc.text("//dt[text()='Names']/following-sibling::dd[1]//li[1]/a/@href") ==
          "/author?endpoint=eprints&name=%D0%9D%D0%B0%D0%B7%D0%B0%D1%80%D0%BE%D0%B2%D0%B0");
    CHECK(field(doc, "Abstract").starts_with("Мақолада Марказий Осиё давлатлари ўртасидаги"));
    CHECK(field(doc, "Abstract").find("qo‘llanilishi mumkin") != std::string::npos);
    CHECK(doc.texts("//dt[text()='Subjects']/following-sibling::dd[1]//li") ==
          std::vector<std::string>{"DK Russia. Soviet Union. Former Soviet Republics",
                                   "K Law (General)",
                                   "PG Slavic, Baltic, Albanian languages and literature"});
    CHECK(field(doc, "Genre") == "Article");
    CHECK(field(doc, "Issued") == "2025-06 (more of 2025)");
    CHECK(field(doc, "Publisher") == "Kazakh National University Press");
    const std::string file = "http://127.0.0.1:18180/id/eprint/2/1/fulltext_2.txt";
    CHECK(doc.text("//dt[text()='Files']/following-sibling::dd[1]//li/a/@href") == file);
    CHECK(doc.text("//dt[text()='Files']/following-sibling::dd[1]//li") ==
          file + " text/plain · 726 bytes · reference");
    CHECK(field(doc, "Rights").starts_with("For work being deposited by its own author:"));
    CHECK(doc.count("//dt[text()='Rights']/following-sibling::dd[1]/p") == 3);
    CHECK(doc.texts("//dt[text()='Sets']/following-sibling::dd[1]//li/a") ==
          std::vector<std::string>{"status=pub", "subjects=D:DK", "subjects=K:K1", "subjects=P:PG",
                                   "types=article"});
    CHECK(field(doc, "Repository") == "eprints");
    CHECK(field(doc, "OAI identifier") == k_record2);
    CHECK(field(doc, "Datestamp") == "2025-01-07T17:36:43Z");
    CHECK(field(doc, "Format") == "mets");
    CHECK(field(doc, "Status") == "live");
    CHECK(field(doc, "METS OBJID") == "eprint_2");
    CHECK(field(doc, "Custodian") == "Central Asia OAI Lab Repository");
    CHECK(doc.count("//p[@class='notice']") == 0);
}

TEST_CASE("A record harvested in two formats links its other copy", "[web][record]") {
    test::WebMirror m;
    const HtmlDoc mets(m.get("/record", {{"endpoint", "eprints"}, {"id", k_record2}}).body);
    CHECK(mets.text("//main/p[@class='meta']/strong") == "mets");
    const auto other = mets.text("//main/p[@class='meta']/a/@href");
    CHECK(other == "/record?endpoint=eprints&id=oai%3Aeprints.oailab.local%3A2&format=oai_dc");
    const auto reply =
        m.get("/record", {{"endpoint", "eprints"}, {"id", k_record2}, {"format", "oai_dc"}});
    REQUIRE(reply.status == 200);
    const HtmlDoc dc(reply.body);
    CHECK(field(dc, "Format") == "oai_dc");
    CHECK(dc.text("//main/p[@class='meta']/strong") == "oai_dc");
    CHECK(
        m.get("/record", {{"endpoint", "eprints"}, {"id", k_record2}, {"format", "marc"}}).status ==
        404);
}

TEST_CASE("A deleted record's page says it was deleted", "[web][record]") {
    test::WebMirror m;
    const auto reply =
        m.get("/record", {{"endpoint", "eprints"}, {"id", "oai:eprints.oailab.local:13"}});
    REQUIRE(reply.status == 200);
    const HtmlDoc doc(reply.body);
    CHECK(doc.text("//p[@class='notice']") ==
          "The repository deleted this record (2026-02-02T09:13:00Z). The mirror never held its "
          "metadata.");
    CHECK(field(doc, "Status") == "deleted");
}

TEST_CASE("Cyrillic and Uzbek Latin text comes through byte for byte, with its language",
          "[web][record]") {
    test::WebMirror m;
    const std::string id = "oai:hostile:ў/2 &x";
    const auto reply = m.get("/record", {{"endpoint", "hostile"}, {"id", id}});
    REQUIRE(reply.status == 200);
    CHECK(reply.body.find("<h1>" + test::k_cyrillic_title + "</h1>") != std::string::npos);
    const HtmlDoc doc(reply.body);
    CHECK(doc.text("//article/@lang") == "uz");
    CHECK(doc.text("//article/h1") == test::k_cyrillic_title);
    CHECK(field(doc, "OAI identifier") == id);
    CHECK(doc.texts("//dt[text()='Names']/following-sibling::dd[1]//li/a/@href") ==
          std::vector<std::string>{"/author?endpoint=hostile&name=UNESCO",
                                   "/author?endpoint=hostile&name=%D0%8E%D1%80%D0%B8%D0%BD%D0%B1%"
                                   "D0%BE%D0%B5%D0%B2"});
    // Its link from the endpoint's list is percent-encoded, and leads back here.
    const HtmlDoc list(m.get("/endpoint", {{"endpoint", "hostile"}}).body);
    CHECK(list.text("//ol/li[2]/a/@href") ==
          "/record?endpoint=hostile&id=oai%3Ahostile%3A%D1%9E%2F2%20%26x");
}

TEST_CASE("A record page without an endpoint or id is 400, an unknown record 404",
          "[web][record]") {
    test::WebMirror m;
    CHECK(m.get("/record", {{"endpoint", "eprints"}}).status == 400);
    CHECK(m.get("/record", {{"endpoint", "eprints"}, {"id", ""}}).status == 400);
    CHECK(m.get("/record", {{"id", k_record2}}).status == 400);
    const auto unknown = m.get("/record", {{"endpoint", "eprints"}, {"id", "oai:nowhere:1"}});
    CHECK(unknown.status == 404);
    CHECK(HtmlDoc(unknown.body).text("//main/p[1]") ==
          "The mirror holds no record oai:nowhere:1 of eprints.");
    // The identifier is EPrints', but not of this endpoint.
    CHECK(m.get("/record", {{"endpoint", "hostile"}, {"id", k_record2}}).status == 404);
}
