// "/search": the same full-text search as `oaiharvest search`, plain words, 20 hits a page, and
// a message (never a 500) for a query with no words.

#include <catch2/catch.hpp>

#include "store/queries.hpp"
#include "util/url.hpp"
#include "web_mirror.hpp"

using namespace oaiharvest;
using test::HtmlDoc;

namespace {

// The record pages a results page links to, in order.
std::vector<std::string> hit_links(const HtmlDoc& doc) {
    return doc.texts("//ol[@class='records']/li/a/@href");
}

}  // namespace

TEST_CASE("Search results show title, names, year and repository, and link to the record",
          "[web][search]") {
    test::WebMirror m;
    const auto reply = m.get("/search", {{"q", "Проблемы высшего образования"}});
    REQUIRE(reply.status == 200);
    const HtmlDoc doc(reply.body);
    CHECK(doc.text("//h1") == "Search: Проблемы высшего образования");
    CHECK(doc.text("//header//input[@name='q']/@value") == "Проблемы высшего образования");
    const auto links = hit_links(doc);
    REQUIRE_FALSE(links.empty());
    CHECK(std::find(links.begin(), links.end(),
                    "/record?endpoint=eprints&id=oai%3Aeprints.oailab.local%3A2") != links.end());
    const auto item =
        doc.texts("//ol/li[a/@href='/record?endpoint=eprints&id=oai%3Aeprints.oailab.local%3A2']");
    REQUIRE(item.size() == 1);
    CHECK(item[0] ==
          "Проблемы и перспективы высшего образования в Республике Узбекистан"
          "Назарова, Сардор; Сулейменов, Жасур; Каримов, Зилола · 2025 · eprints");
}

TEST_CASE("A record found through a document's text only is marked so", "[web][search]") {
    test::WebMirror m;
    const auto reply = m.get("/search", {{"q", test::WebMirror::k_body_word}});
    REQUIRE(reply.status == 200);
    const HtmlDoc doc(reply.body);
    const auto items = doc.texts("//ol[@class='records']/li/span[@class='meta']");
    REQUIRE(items.size() == 1);
    CHECK(items[0].ends_with(" · eprints · found in the full text"));
    // A match in the record itself is not.
    const HtmlDoc metadata(m.get("/search", {{"q", "diplomacy"}}).body);
    for (const auto& meta : metadata.texts("//ol[@class='records']/li/span[@class='meta']")) {
        CHECK_FALSE(meta.ends_with("found in the full text"));
    }
}

TEST_CASE("Search pages hold 20 hits each, page 2 goes on where page 1 ends", "[web][search]") {
    test::WebMirror m;
    const auto first = m.get("/search", {{"q", "diplomacy"}});
    REQUIRE(first.status == 200);
    const HtmlDoc one(first.body);
    const auto page1 = hit_links(one);
    CHECK(page1.size() == 20);
    CHECK(one.text("//a[@rel='next']/@href") == "/search?q=diplomacy&page=2");
    const auto second = m.get("/search", {{"q", "diplomacy"}, {"page", "2"}});
    REQUIRE(second.status == 200);
    const HtmlDoc two(second.body);
    const auto page2 = hit_links(two);
    REQUIRE_FALSE(page2.empty());
    CHECK(two.text("//ol/@start") == "21");
    for (const auto& link : page2) {
        CHECK(std::find(page1.begin(), page1.end(), link) == page1.end());
    }
    // The pages are store::search's hits in its order.
    const auto hits = store::search(m.store(), "diplomacy", 40);
    REQUIRE(hits);
    REQUIRE(hits->size() >= 21);
    CHECK(page2.front() == "/record?endpoint=" + (*hits)[20].endpoint +
                               "&id=" + util::percent_encode((*hits)[20].identifier));
}

TEST_CASE("A word is found whichever apostrophe it is typed with", "[web][search]") {
    test::WebMirror m;
    // The titles spell it O‘zbekistonda (U+2018); the search reads plain words, so the ASCII
    // apostrophe is no syntax, and the same letter.
    const auto reply = m.get("/search", {{"q", "O'zbekistonda"}});
    REQUIRE(reply.status == 200);
    const HtmlDoc doc(reply.body);
    CHECK(doc.count("//p[@class='notice']") == 0);
    // The 11 records that spell it in Latin first, then those that spell it Ўзбекистонда.
    const auto titles = doc.texts("//ol/li/a");
    REQUIRE(titles.size() == 20);
    for (std::size_t i = 0; i < titles.size(); ++i) {
        INFO(titles[i]);
        CHECK(titles[i].starts_with(i < 11 ? "O‘zbekistonda" : "Ўзбекистонда"));
    }
    CHECK(hit_links(doc) == hit_links(HtmlDoc(m.get("/search", {{"q", "Oʻzbekistonda"}}).body)));
    for (const char* query :
         {"don't", "ta'lim", "\"unbalanced", "title:", "AND", "a (b", "NEAR(a b)"}) {
        INFO(query);
        const auto plain = m.get("/search", {{"q", query}});
        CHECK(plain.status == 200);
    }
    // A NUL between words (%00 in the URL) separates them: FTS5 would stop reading there.
    CHECK(m.get("/search", {{"q", std::string("diplomacy\0water", 15)}}).status == 200);
}

TEST_CASE("A search with no hits, an empty one and one in Uzbek Latin answer 200",
          "[web][search]") {
    test::WebMirror m;
    const auto none = m.get("/search", {{"q", "xyzzyplugh"}});
    CHECK(none.status == 200);
    CHECK(HtmlDoc(none.body).count("//ol") == 0);
    CHECK(m.get("/search", {{"q", "   "}}).status == 200);
    CHECK(m.get("/search").status == 200);
    const auto uzbek = m.get("/search", {{"q", "O‘zbekistonda"}});
    REQUIRE(uzbek.status == 200);
    CHECK(hit_links(HtmlDoc(uzbek.body)).size() == 20);
}

TEST_CASE("A page number that is no number, below 1 or past the cap is 400", "[web][search]") {
    test::WebMirror m;
    for (const char* page : {"-1", "0", "abc", "", "1.5", "51", "99999999999999999999"}) {
        INFO(page);
        const auto reply = m.get("/search", {{"q", "diplomacy"}, {"page", page}});
        CHECK(reply.status == 400);
        const HtmlDoc doc(reply.body);
        CHECK(doc.text("//h1") == "Bad request");
        CHECK(doc.text("//main/p[1]").find("page") != std::string::npos);
    }
}

TEST_CASE("A page past the last hit is 404", "[web][search]") {
    test::WebMirror m;
    const auto reply = m.get("/search", {{"q", "O‘zbekistonda"}, {"page", "3"}});
    CHECK(reply.status == 404);
    CHECK(HtmlDoc(reply.body).text("//main/p[1]") ==
          "Page 3 of this search is past its 24 results.");
}

TEST_CASE("A search longer than 1000 bytes is 400", "[web][search]") {
    test::WebMirror m;
    const auto reply = m.get("/search", {{"q", std::string(1001, 'a')}});
    CHECK(reply.status == 400);
}

TEST_CASE("A query with no words is 400 with a message", "[web][search]") {
    test::WebMirror m;
    for (const std::string& q : {std::string(1, '\0'), std::string("- ' \"\""), std::string("*")}) {
        const auto reply = m.get("/search", {{"q", q}});
        CHECK(reply.status == 400);
        const HtmlDoc doc(reply.body);
        CHECK(doc.text("//p[@class='notice']") ==
              "The search could not be read: it has no words to search for.");
        CHECK(doc.count("//ol") == 0);
    }
}
