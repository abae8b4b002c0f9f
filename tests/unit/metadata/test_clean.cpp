#include <catch2/catch.hpp>
#include <optional>
#include <string>

#include "metadata/detail/clean.hpp"

using oaiharvest::metadata::detail::clean;
using oaiharvest::metadata::detail::html_entity;
using oaiharvest::metadata::detail::k_break;

TEST_CASE("clean collapses whitespace runs and trims", "[metadata][clean]") {
    CHECK(clean("  a  b\t\r\nc  ") == "a b c");
    CHECK(clean("CULTURAL DIPLOMACY  BETWEEN") == "CULTURAL DIPLOMACY BETWEEN");
    // no-break space, thin space, narrow no-break space, ideographic space, NEL
    CHECK(clean("a\u00A0b\u2009c\u202Fd\u3000e\u0085f") == "a b c d e f");
    CHECK(clean("line one\r\nline two") == "line one line two");
}

TEST_CASE("clean decodes HTML entities that arrived escaped twice", "[metadata][clean]") {
    CHECK(clean("&nbsp;In this article&nbsp;of it. &nbsp;") == "In this article of it.");
    CHECK(clean("Taylor &amp; Francis") == "Taylor & Francis");
    CHECK(clean("&lt;&gt;&quot;&apos;") == "<>\"'");
    CHECK(clean("a&ndash;b&mdash;c&hellip;") == "a\u2013b\u2014c\u2026");
    CHECK(clean("&laquo;x&raquo; &lsquo;y&rsquo; &ldquo;z&rdquo;") ==
          "\u00ABx\u00BB \u2018y\u2019 \u201Cz\u201D");
    CHECK(clean("&copy; 2026") == "\u00A9 2026");
    CHECK(clean("&eacute;t&eacute; &alpha;&beta;") == "\u00E9t\u00E9 \u03B1\u03B2");
}

TEST_CASE("clean removes soft hyphens, zero-width spaces and BOMs", "[metadata][clean]") {
    CHECK(clean("hy&shy;phen") == "hyphen");
    CHECK(clean("hy\u00ADphen") == "hyphen");
    CHECK(clean("\uFEFFzero\u200Bwidth") == "zerowidth");
    // ZWNJ carries meaning in Persian and Tajik text written in Arabic script.
    CHECK(clean("\u0645\u06CC\u200C\u062E\u0648\u0627\u0647\u0645") ==
          "\u0645\u06CC\u200C\u062E\u0648\u0627\u0647\u0645");
}

TEST_CASE("clean decodes numeric character references", "[metadata][clean]") {
    CHECK(clean("caf&#233; caf&#xE9; caf&#XE9;") == "caf\u00E9 caf\u00E9 caf\u00E9");
    CHECK(clean("a&#13;\nb") == "a b");
    CHECK(clean("1990&#150;2000") == "1990\u20132000");  // Windows-1252, as HTML5 reads it
    CHECK(clean("&#128512;") == "\U0001F600");
}

TEST_CASE("html_entity reads HTML 4's names, case-sensitive, and XHTML's apos",
          "[metadata][clean]") {
    CHECK(html_entity("eacute") == 0x00E9);
    CHECK(html_entity("Eacute") == 0x00C9);
    CHECK(html_entity("thetasym") == 0x03D1);  // the longest name
    CHECK(html_entity("zwnj") == 0x200C);
    CHECK(html_entity("apos") == 0x0027);
    CHECK(html_entity("Amp") == 0);
    CHECK(html_entity("thetasyms") == 0);
    CHECK(html_entity(std::string_view("amp\0x", 5)) == 0);
    CHECK(html_entity("") == 0);
}

TEST_CASE("clean keeps what is not an entity", "[metadata][clean]") {
    CHECK(clean("AT&T") == "AT&T");
    CHECK(clean("R&D; costs") == "R&D; costs");  // unknown name
    CHECK(clean("&unknown;") == "&unknown;");
    CHECK(clean("&#0; &#xD800; &#x110000;") == "&#0; &#xD800; &#x110000;");
    CHECK(clean("& alone") == "& alone");
}

TEST_CASE("clean decodes in one pass", "[metadata][clean]") {
    // Escaped three times: one level is left, and a decoded '<' is text, never markup.
    CHECK(clean("&amp;nbsp;") == "&nbsp;");
    CHECK(clean("&lt;p&gt;x&lt;/p&gt;") == "<p>x</p>");
}

TEST_CASE("clean reduces HTML markup left in the text to its text", "[metadata][clean]") {
    CHECK(clean("<p>One</p><p>Two<br/>Three</p>") == "One\nTwo\nThree");
    CHECK(clean("<P>Upper</P>\n\n<P>case</P>") == "Upper\ncase");
    CHECK(clean("<i>E. coli</i> and <span class=\"x\">H<sub>2</sub>O</span>") == "E. coli and H2O");
    CHECK(clean("<ul><li>a</li> <li>b</li></ul>") == "a\nb");
}

TEST_CASE("clean keeps angle brackets that are not HTML tags", "[metadata][clean]") {
    CHECK(clean("a < b > c") == "a < b > c");
    CHECK(clean("x <y> z") == "x <y> z");
    CHECK(clean("p<0.05") == "p<0.05");
    CHECK(clean("<p unterminated") == "<p unterminated");
}

TEST_CASE("clean turns paragraph breaks into one newline", "[metadata][clean]") {
    const std::string raw =
        std::string(1, k_break) + " first \n" + k_break + k_break + "  second " + k_break + " ";
    CHECK(clean(raw) == "first\nsecond");
}

TEST_CASE("clean gives nothing for text that is empty once cleaned", "[metadata][clean]") {
    CHECK(clean("") == std::nullopt);
    CHECK(clean(" \t\r\n ") == std::nullopt);
    CHECK(clean("&nbsp; &nbsp;") == std::nullopt);
    CHECK(clean("<p></p><br>") == std::nullopt);
}

TEST_CASE("clean passes non-Latin text through unchanged", "[metadata][clean]") {
    const std::string cyrillic = "Проблемы и перспективы высшего образования";
    const std::string uzbek = "Ta’lim va o‘qituvchi, Oʻzbekiston";
    const std::string tajik = "Ҷумҳурии Тоҷикистон: ӣ ӯ ҳ қ ғ ҷ";
    const std::string kyrgyz = "Кыргыз Республикасы: ө ү ң Өзгөчө";
    const std::string mixed = "Мақолада Tadqiqot natijalari qo‘llanilishi — ҳамкорлик";
    for (const auto& text : {cyrillic, uzbek, tajik, kyrgyz, mixed}) {
        CHECK(clean(text) == text);
    }
}
