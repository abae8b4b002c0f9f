// search::read_query: plain words are never an FTS5 syntax error; FTS5 syntax is there when
// asked for.

#include <catch2/catch.hpp>

#include "search/query.hpp"

using namespace oaiharvest;
using search::QuerySyntax;

namespace {

std::string verbatim(const std::string& key) {
    return std::string(search::k_verbatim_mark) + key;
}

}  // namespace

TEST_CASE("Each word of a plain query is a phrase, punctuation included", "[search]") {
    auto q = search::read_query("qo'llanilishi Ibn-Sino", QuerySyntax::words);
    REQUIRE(q);
    CHECK(q->all == "\"qo'llanilishi\" \"Ibn-Sino\"");
    CHECK(q->own == "\"" + verbatim("qollanilishi") + "\" \"" + verbatim("ibn") + " " +
                        verbatim("sino") + "\"");
}

TEST_CASE("FTS5 operators in a plain query are words", "[search]") {
    auto q = search::read_query("water AND NOT title:x (a) ^b NEAR", QuerySyntax::words);
    REQUIRE(q);
    CHECK(q->all == "\"water\" \"AND\" \"NOT\" \"title:x\" \"(a)\" \"^b\" \"NEAR\"");
}

TEST_CASE("Double quotes keep a phrase, a star makes a prefix", "[search]") {
    auto q = search::read_query("\"O'zbekiston tarixi\" Наза* \"say \"\"hi\"*", QuerySyntax::words);
    REQUIRE(q);
    CHECK(q->all == "\"O'zbekiston tarixi\" \"Наза\"* \"say \" \"hi\"*");
    CHECK(q->own == "\"" + verbatim("ozbekiston") + " " + verbatim("tarixi") + "\" \"" +
                        verbatim("~naza") + "\"* \"" + verbatim("say") + "\" \"" + verbatim("hi") +
                        "\"*");
    // An unclosed quote runs to the end.
    auto open = search::read_query("\"water diplomacy", QuerySyntax::words);
    REQUIRE(open);
    CHECK(open->all == "\"water diplomacy\"");
}

TEST_CASE("A plain query of punctuation alone has no words", "[search]") {
    for (const char* text : {"", "   ", "-", "\"\"", "* ' ‘ «»", "\"", "ь"}) {
        INFO(text);
        auto q = search::read_query(text, QuerySyntax::words);
        REQUIRE_FALSE(q);
        CHECK(q.error() == "it has no words to search for");
    }
    // A word among the punctuation is searched alone.
    auto q = search::read_query("- water -", QuerySyntax::words);
    REQUIRE(q);
    CHECK(q->all == "\"water\"");
}

TEST_CASE("A query with no word that has another script needs no second pass", "[search]") {
    auto q = search::read_query("1991 日本語", QuerySyntax::words);
    REQUIRE(q);
    CHECK(q->own.empty());
}

TEST_CASE("An FTS5 query is passed on as typed", "[search]") {
    auto q = search::read_query("title:water OR \"x y\"", QuerySyntax::fts5);
    REQUIRE(q);
    CHECK(q->all == "title:water OR \"x y\"");
    CHECK(q->own.empty());
    // Its errors are SQLite's to find.
    CHECK(search::read_query("qo'llanilishi", QuerySyntax::fts5));
}

TEST_CASE("Control characters in a plain query separate words, even in a phrase", "[search]") {
    // FTS5 stops reading a query at a NUL: none reaches it.
    auto q = search::read_query(std::string("\"a\0b\" c\x01"
                                            "d",
                                            9),
                                QuerySyntax::words);
    REQUIRE(q);
    CHECK(q->all == "\"a b\" \"c\" \"d\"");
}

TEST_CASE("A typed U+E000 is a space, not a request for raw keys", "[search]") {
    auto q =
        search::read_query(std::string(search::k_verbatim_mark) + "Nazarova", QuerySyntax::words);
    REQUIRE(q);
    CHECK(q->all == "\"Nazarova\"");
    CHECK(q->own == "\"" + verbatim("nazarova") + "\"");
}
