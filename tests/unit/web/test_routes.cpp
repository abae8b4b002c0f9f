// What every page shares (lib/serve/web/layout, web.cpp): an HTML5 document in UTF-8 that a
// phone can read and that needs no script, the home page, and 404 for any other path.

#include <catch2/catch.hpp>

#include "web_mirror.hpp"

using namespace oaiharvest;
using test::HtmlDoc;
using test::Query;

namespace {

struct Request {
    const char* path;
    Query query;
};

// One request of each page, as the mirror can answer it.
std::vector<Request> every_page() {
    const std::string id = "oai:eprints.oailab.local:2";
    return {{"/", {}},
            {"/search", {{"q", "diplomacy"}}},
            {"/endpoint", {{"endpoint", "eprints"}}},
            {"/set", {{"endpoint", "eprints"}, {"set", "74797065733D626F6F6B"}}},
            {"/year", {{"endpoint", "eprints"}, {"year", "2021"}}},
            {"/author", {{"endpoint", "eprints"}, {"name", "Назарова"}}},
            {"/sets", {{"endpoint", "eprints"}}},
            {"/years", {{"endpoint", "eprints"}}},
            {"/authors", {{"endpoint", "eprints"}}},
            {"/record", {{"endpoint", "eprints"}, {"id", id}}}};
}

}  // namespace

TEST_CASE("Every page is an HTML5 document in UTF-8 for a phone, without script", "[web]") {
    test::WebMirror m;
    for (const auto& request : every_page()) {
        INFO(request.path);
        const auto reply = m.get(request.path, request.query);
        CHECK(reply.status == 200);
        CHECK(reply.content_type == "text/html; charset=utf-8");
        CHECK(reply.body.starts_with("<!DOCTYPE html>\n<html lang=\"en\">"));
        const HtmlDoc doc(reply.body);
        CHECK(doc.text("//html/@lang") == "en");
        CHECK(doc.text("//meta/@charset") == "utf-8");
        CHECK(doc.text("//meta[@name='viewport']/@content") ==
              "width=device-width, initial-scale=1");
        CHECK(doc.count("//style") == 1);
        CHECK(doc.count("//h1") >= 1);
        CHECK(doc.count("//script") == 0);
        CHECK(doc.count("//@*[starts-with(name(), 'on')]") == 0);
        CHECK(doc.count("//form[@action='/search' and @method='get']//input[@name='q']") == 1);
        // Every link is one of ours or a record's own http(s) URL.
        for (const auto& href : doc.texts("//a/@href")) {
            INFO(href);
            CHECK((href.starts_with("/") || href.starts_with("http://") ||
                   href.starts_with("https://")));
        }
    }
}

TEST_CASE("The home page has the search box and each repository with its records", "[web]") {
    test::WebMirror m;
    const auto reply = m.get("/");
    REQUIRE(reply.status == 200);
    const HtmlDoc doc(reply.body);
    CHECK(doc.text("//main//form/@action") == "/search");
    CHECK(doc.text("//main//form//input/@type") == "search");
    CHECK(doc.texts("//tbody/tr/td[1]/a") == std::vector<std::string>{"eprints", "hostile"});
    CHECK(doc.texts("//tbody/tr/td[1]/a/@href") ==
          std::vector<std::string>{"/endpoint?endpoint=eprints", "/endpoint?endpoint=hostile"});
    CHECK(doc.texts("//tbody/tr/td[2]") == std::vector<std::string>{"258", "2"});
}

TEST_CASE("A path that names no page is 404, with a page that says so and escapes it", "[web]") {
    test::WebMirror m;
    for (const char* path : {"/nothing", "/record/", "/Search", "/index.html", "//", "/oai2",
                             "/<script>alert(1)</script>"}) {
        INFO(path);
        const auto reply = m.get(path);
        CHECK(reply.status == 404);
        CHECK(reply.content_type == "text/html; charset=utf-8");
        const HtmlDoc doc(reply.body);
        CHECK(doc.text("//h1") == "Not found");
        CHECK(doc.text("//main/p[1]") == "There is no page at " + std::string(path) + ".");
        CHECK(doc.count("//script") == 0);
    }
}
