// Hostile record content and requests: markup in a title, a name that would close an
// attribute, javascript: and data: URLs, a setSpec and a query that would break out of their
// attribute. Each is shown as the text it is and never becomes markup or a link.

#include <catch2/catch.hpp>

#include "store/queries.hpp"
#include "web_mirror.hpp"

using namespace oaiharvest;
using test::HtmlDoc;

namespace {

void no_markup_from_values(const HtmlDoc& doc) {
    CHECK(doc.count("//script") == 0);
    CHECK(doc.count("//b") == 0);
    CHECK(doc.count("//@*[starts-with(name(), 'on')]") == 0);
    for (const auto& href : doc.texts("//@href | //@src | //@action")) {
        INFO(href);
        CHECK((href.starts_with("/") || href.starts_with("https://example.org/")));
    }
}

}  // namespace

TEST_CASE("Markup in a record is escaped, and its script URLs are no links", "[web][hostile]") {
    test::WebMirror m;
    // The hostile text reaches the stored record as it was sent.
    const auto copies = store::find_records(m.store(), "oai:hostile:1");
    REQUIRE(copies.size() == 1);
    REQUIRE(copies[0].json.find("<script>alert(1)</script>") != std::string::npos);
    REQUIRE(copies[0].json.find("javascript:alert(3)") != std::string::npos);

    const auto reply = m.get("/record", {{"endpoint", "hostile"}, {"id", "oai:hostile:1"}});
    REQUIRE(reply.status == 200);
    CHECK(reply.body.find("<script") == std::string::npos);
    const HtmlDoc doc(reply.body);
    no_markup_from_values(doc);
    CHECK(doc.text("//article/h1") == test::k_hostile_title);
    CHECK(doc.text("//title") == test::k_hostile_title + " · oaiharvest mirror");
    CHECK(doc.text("//dt[text()='Names']/following-sibling::dd[1]//li/a") ==
          test::k_hostile_family + ", Eve");
    CHECK(doc.texts("//dt[text()='Links']/following-sibling::dd[1]//li") ==
          std::vector<std::string>{"javascript:alert(3)",
                                   "data:text/html,<script>alert(4)</script>",
                                   "javascript:alert(5)", test::k_quote_url});
    // Only the https URL is a link, its quotes inside the attribute.
    CHECK(doc.texts("//dt[text()='Links']/following-sibling::dd[1]//a/@href") ==
          std::vector<std::string>{test::k_quote_url});
    CHECK(doc.text("//dt[text()='Identifiers']/following-sibling::dd[1]//li") ==
          "uri javascript:alert(6)");
    CHECK(doc.count("//dt[text()='Identifiers']/following-sibling::dd[1]//a") == 0);
    CHECK(doc.text("//dt[text()='Sets']/following-sibling::dd[1]//a") == "\"><script>x</script>");
}

TEST_CASE("Hostile values in lists and facets stay text", "[web][hostile]") {
    test::WebMirror m;
    for (const auto& [path, query] : std::vector<std::pair<const char*, test::Query>>{
             {"/endpoint", {{"endpoint", "hostile"}}},
             {"/authors", {{"endpoint", "hostile"}}},
             {"/sets", {{"endpoint", "hostile"}}},
             {"/set", {{"endpoint", "hostile"}, {"set", "\"><script>x</script>"}}},
             {"/author", {{"endpoint", "hostile"}, {"name", test::k_hostile_family}}},
             {"/search", {{"q", "alert"}}}}) {
        INFO(path);
        const auto reply = m.get(path, query);
        REQUIRE(reply.status == 200);
        no_markup_from_values(HtmlDoc(reply.body));
    }
    const HtmlDoc list(m.get("/endpoint", {{"endpoint", "hostile"}}).body);
    CHECK(list.text("//ol/li[1]/a") == test::k_hostile_title);
    // The endpoint's base URL is javascript: too: text, not a link.
    CHECK(list.text("//main/p[@class='meta']") ==
          "2 records, deleted ones included. Harvested from javascript:alert(8)");
    const HtmlDoc search(m.get("/search", {{"q", "alert"}}).body);
    CHECK(search.text("//ol/li[1]/a") == test::k_hostile_title);
    const HtmlDoc authors(m.get("/authors", {{"endpoint", "hostile"}}).body);
    CHECK(authors.text("//ul/li[1]/a/@href") ==
          "/author?endpoint=hostile&name=%22%20onmouseover%3D%22x");
}

TEST_CASE("A hostile query stays in its attribute and its heading", "[web][hostile]") {
    test::WebMirror m;
    const std::string query = "\" onmouseover=\"alert(1)\" autofocus=\"<script>x</script>";
    const auto reply = m.get("/search", {{"q", query}});
    REQUIRE(reply.status == 200);
    const HtmlDoc doc(reply.body);
    no_markup_from_values(doc);
    CHECK(doc.text("//header//input[@name='q']/@value") == query);
    CHECK(doc.count("//input/@autofocus") == 0);
    CHECK(doc.text("//h1") == "Search: " + query);
    // Bytes that are not UTF-8 come back as U+FFFD, the page still UTF-8.
    const auto broken = m.get("/search", {{"q", "a\xFF\xFE"}});
    REQUIRE(broken.status == 200);
    CHECK(HtmlDoc(broken.body).text("//h1") == "Search: a\xEF\xBF\xBD\xEF\xBF\xBD");
}
