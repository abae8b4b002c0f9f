// The pieces every page is written with (lib/serve/web/html, params, fragments): escaping,
// which URLs may be links, our own links' encoding, and reading paging parameters.

#include <catch2/catch.hpp>

#include "serve/web/fragments.hpp"
#include "serve/web/html.hpp"
#include "serve/web/params.hpp"
#include "serve/web/record_fields.hpp"

using namespace oaiharvest::serve::web;

TEST_CASE("Escaping turns the five markup characters into references", "[web][html]") {
    CHECK(escape("<a href=\"x\" title='y'>&amp;</a>") ==
          "&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;amp;&lt;/a&gt;");
    CHECK(escape("") == "");
}

TEST_CASE("Cyrillic and Uzbek Latin text is escaped byte for byte", "[web][html]") {
    const std::string text = "Ўзбекистон Республикаси · O‘zbekiston · Oʻzbekiston · Қозоғистон";
    CHECK(escape(text) == text);
}

TEST_CASE("Bytes that are not UTF-8 and controls HTML forbids become U+FFFD", "[web][html]") {
    CHECK(escape("a\xFF"
                 "b") ==
          "a\xEF\xBF\xBD"
          "b");
    CHECK(escape("\xD0") == "\xEF\xBF\xBD");  // cut short
    CHECK(escape(std::string("a\0b", 3)) ==
          "a\xEF\xBF\xBD"
          "b");
    CHECK(escape("a\x1B[2Jb") == "a\xEF\xBF\xBD[2Jb");
    CHECK(escape("\xC2\x85") == "\xEF\xBF\xBD");  // C1 NEL
    CHECK(escape("tab\tline\nreturn\r") == "tab\tline\nreturn\r");
}

TEST_CASE("Only absolute http and https URLs may become a link", "[web][html]") {
    CHECK(is_web_url("http://example.org/"));
    CHECK(is_web_url("HTTPS://example.org/a?b=1&c=%22"));
    CHECK(is_web_url("https://example.org/\"onmouseover=\"x"));  // escaped where written
    CHECK_FALSE(is_web_url("javascript:alert(1)"));
    CHECK_FALSE(is_web_url("JavaScript:alert(1)"));
    CHECK_FALSE(is_web_url(" javascript:alert(1)"));
    CHECK_FALSE(is_web_url(" https://example.org/"));
    CHECK_FALSE(is_web_url("data:text/html,<script>alert(1)</script>"));
    CHECK_FALSE(is_web_url("//example.org/"));
    CHECK_FALSE(is_web_url("/record?id=1"));
    CHECK_FALSE(is_web_url("https://"));
    CHECK_FALSE(is_web_url("http://exa mple.org/"));
    CHECK_FALSE(is_web_url("https://example.org/\tjavascript:x"));
    CHECK_FALSE(is_web_url("http:\\\\example.org"));
}

TEST_CASE("A link to our own page percent-encodes each value", "[web][html]") {
    const auto link = Link("/record").with("endpoint", "a b&c").with("id", "oai:x:ў/1?#=");
    CHECK(link.str() == "/record?endpoint=a%20b%26c&id=oai%3Ax%3A%D1%9E%2F1%3F%23%3D");
    Html h;
    h.link(Link("/set").with("set", "\"><script>"), "<x>");
    CHECK(h.str() == "<a href=\"/set?set=%22%3E%3Cscript%3E\">&lt;x&gt;</a>");
}

TEST_CASE("A record URL that is not http(s) is written as text", "[web][html]") {
    Html h;
    h.external_link("javascript:alert(1)", "javascript:alert(1)");
    CHECK(h.str() == "javascript:alert(1)");
    Html quoted;
    quoted.external_link("https://e.org/\"x", "https://e.org/\"x");
    CHECK(quoted.str() ==
          "<a href=\"https://e.org/&quot;x\" rel=\"nofollow noopener noreferrer\">"
          "https://e.org/&quot;x</a>");
}

TEST_CASE("A page number is digits within its bounds, else a message", "[web][params]") {
    const Query query{{"page", "3"},
                      {"neg", "-1"},
                      {"abc", "abc"},
                      {"plus", "+2"},
                      {"huge", "99999999999999999999999"},
                      {"zero", "0"},
                      {"space", " 2"},
                      {"empty", ""},
                      {"page", "9"}};
    const Params params(query);
    CHECK(params.number("page", 1, 50).value() == 3);  // the first of two
    CHECK_FALSE(params.number("missing", 1, 50).value().has_value());
    for (const char* bad : {"neg", "abc", "plus", "huge", "zero", "space", "empty"}) {
        INFO(bad);
        const auto n = params.number(bad, 1, 50);
        REQUIRE_FALSE(n);
        CHECK(n.error().find(bad) != std::string::npos);
    }
    CHECK(params.number("page", 1, 2).error() == "The parameter page must be from 1 to 2.");
    CHECK(params.required("empty").error() == "The parameter empty is missing.");
    CHECK(params.required("page").value() == "3");
}

TEST_CASE("EPrints' hex setSpecs are shown decoded, other setSpecs as they are", "[web]") {
    CHECK(set_label("74797065733D626F6F6B") == "types=book");
    CHECK(set_label("7375626A656374733D48:4844") == "subjects=H:HD");
    CHECK(set_label("math") == "math");
    CHECK(set_label("2024") == "2024");  // decodes to " $": no key=value
    CHECK(set_label("74797065733D:zz") == "74797065733D:zz");
    CHECK(set_label("0A3D") == "0A3D");  // a line feed
    CHECK(set_label("") == "");
}

TEST_CASE("Counts, sizes and language tags read as people write them", "[web]") {
    CHECK(count_of(1, "record", "records") == "1 record");
    CHECK(count_of(0, "record", "records") == "0 records");
    CHECK(count_of(1234567, "record", "records") == "1,234,567 records");
    CHECK(grouped(999) == "999");
    CHECK(size_text(726) == "726 bytes");
    CHECK(size_text(1536) == "1.5 KiB");
    CHECK(size_text(std::int64_t{5} << 30) == "5.0 GiB");
    CHECK(language_tag("uzb") == "uz");
    CHECK(language_tag("ru") == "ru");
    CHECK_FALSE(language_tag("Uzbek"));
    CHECK_FALSE(language_tag("\"><x"));
}
