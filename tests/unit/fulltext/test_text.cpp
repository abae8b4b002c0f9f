// The pure extractors of lib/fulltext/text.hpp: plain text and HTML.

#include <catch2/catch.hpp>

#include "fulltext/text.hpp"

using namespace oaiharvest;

TEST_CASE("plain text keeps valid UTF-8, tabs and line feeds", "[fulltext]") {
    CHECK(fulltext::plain_text("Kyrgyz–Tajik\tdiplomacy\nO‘zbekiston", 1000) ==
          "Kyrgyz–Tajik\tdiplomacy\nO‘zbekiston");
}

TEST_CASE("plain text turns each ill-formed UTF-8 sequence into U+FFFD", "[fulltext]") {
    CHECK(fulltext::plain_text("a\xFF"
                               "b\xC3"
                               "c\xE2\x80",
                               1000) ==
          "a\xEF\xBF\xBD"
          "b\xEF\xBF\xBD"
          "c\xEF\xBF\xBD");
    CHECK(fulltext::plain_text("\xC0\xAF", 1000) == "\xEF\xBF\xBD\xEF\xBF\xBD");  // overlong
}

TEST_CASE("plain text drops control characters and reads CR LF as LF", "[fulltext]") {
    CHECK(fulltext::plain_text("one\r\ntwo\x01\x1B\x7F three\xC2\x85!\x0C", 1000) ==
          "one\ntwo three!");
}

TEST_CASE("plain text drops a byte order mark and trailing blank lines", "[fulltext]") {
    CHECK(fulltext::plain_text("\xEF\xBB\xBFtext\n\n  \n", 1000) == "text");
}

TEST_CASE("plain text stops at the cap, never inside a character", "[fulltext]") {
    CHECK(fulltext::plain_text("abcdef", 4) == "abcd");
    CHECK(fulltext::plain_text("ab\xC3\xA9", 3) == "ab");  // é would pass the cap
    CHECK(fulltext::plain_text("ab\xC3\xA9", 4) == "ab\xC3\xA9");
}

TEST_CASE("HTML text drops script and style and decodes entities", "[fulltext]") {
    auto text = fulltext::html_text(
        "<html><head><title>Title</title><style>p { color: red }</style>"
        "<script>var secret = 'no';</script></head><body><p>Caf&eacute; &amp; "
        "&#x263A; &lt;tag&gt;</p><noscript>hidden</noscript></body></html>",
        1000);
    REQUIRE(text);
    CHECK(*text == "Title\nCafé & ☺ <tag>");
}

TEST_CASE("HTML text ends a line at each block and collapses spaces", "[fulltext]") {
    auto text = fulltext::html_text(
        "<body><h1>Heading</h1><p>one   <b>bold</b>\n  word</p><ul><li>first</li><li>second"
        "</li></ul>line<br>break<div><div>deep</div></div>tail</body>",
        1000);
    REQUIRE(text);
    CHECK(*text == "Heading\none bold word\nfirst\nsecond\nline\nbreak\ndeep\ntail");
}

TEST_CASE("HTML text reads broken markup as a browser would, without failing", "[fulltext]") {
    auto text = fulltext::html_text("<p>unclosed <i>italic<p>next</div></span>&bogus; end", 1000);
    REQUIRE(text);
    CHECK(*text == "unclosed italic\nnext&bogus; end");
}

TEST_CASE("HTML text loads no external entity", "[fulltext]") {
    auto text = fulltext::html_text(
        "<!DOCTYPE html [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><p>before &x; after</p>", 1000);
    REQUIRE(text);
    CHECK(text->find("root:") == std::string::npos);
    CHECK(text->find("before") != std::string::npos);
}

TEST_CASE("HTML text repairs invalid UTF-8 and drops control characters", "[fulltext]") {
    auto text = fulltext::html_text(
        "<html><head><meta charset=\"utf-8\"></head><body><p>a\xFF"
        "b\x01"
        "c</p></body></html>",
        1000);
    REQUIRE(text);
    CHECK(*text ==
          "a\xEF\xBF\xBD"
          "bc");
}

TEST_CASE("HTML text survives nesting deeper than any stack", "[fulltext]") {
    std::string deep;
    for (int i = 0; i < 20000; ++i) {
        deep += "<div>";
    }
    deep += "bottom";
    auto text = fulltext::html_text(deep, 1000);
    REQUIRE(text);  // libxml2 may stop at its depth limit; what it read is kept
}

TEST_CASE("HTML text stops at the cap", "[fulltext]") {
    std::string page = "<p>";
    for (int i = 0; i < 1000; ++i) {
        page += "word ";
    }
    auto text = fulltext::html_text(page, 100);
    REQUIRE(text);
    CHECK(text->size() <= 100);
    CHECK(text->starts_with("word word"));
}

TEST_CASE("status names are the schema's", "[fulltext]") {
    CHECK(fulltext::status_name(fulltext::TextStatus::extracted) == "extracted");
    CHECK(fulltext::status_name(fulltext::TextStatus::empty) == "empty");
    CHECK(fulltext::status_name(fulltext::TextStatus::unsupported) == "unsupported");
    CHECK(fulltext::status_name(fulltext::TextStatus::failed) == "failed");
}

TEST_CASE("HTML text repairs invalid UTF-8 in a page that declares no charset", "[fulltext]") {
    auto text = fulltext::html_text(
        "<p>caf\xC3\xA9 a\xFF"
        "b</p>",
        1000);
    REQUIRE(text);
    CHECK(*text ==
          "café a\xEF\xBF\xBD"
          "b");
}

TEST_CASE("HTML text reads the charset the page or the server names", "[fulltext]") {
    const std::string cp1251 = "<p>\xCF\xF0\xE8\xE2\xE5\xF2</p>";  // Привет
    auto declared = fulltext::html_text(
        "<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; "
        "charset=windows-1251\"></head><body>" +
            cp1251 + "</body></html>",
        1000);
    REQUIRE(declared);
    CHECK(*declared == "Привет");
    auto given = fulltext::html_text(cp1251, 1000, "windows-1251");
    REQUIRE(given);
    CHECK(*given == "Привет");
}
