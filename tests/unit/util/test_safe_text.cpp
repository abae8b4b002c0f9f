#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <random>
#include <string>

#include "util/safe_text.hpp"
#include "util/utf8.hpp"

using namespace oaiharvest::util;

namespace {

const std::string k_fffd = "\xEF\xBF\xBD";

// What every output of printable must be: valid UTF-8 without a C0 control, DEL, or a C1
// control.
bool is_safe(const std::string& text) {
    for (std::size_t at = 0; at < text.size();) {
        const auto read = read_utf8(text, at);
        if (read.kind != Utf8Sequence::Kind::valid) {
            return false;
        }
        const std::size_t length = read.length;
        const auto lead = static_cast<unsigned char>(text[at]);
        if (length == 1 && (lead < 0x20 || lead == 0x7F)) {
            return false;
        }
        if (lead == 0xC2 && static_cast<unsigned char>(text[at + 1]) <= 0x9F) {
            return false;  // U+0080..U+009F
        }
        at += length;
    }
    return true;
}

}  // namespace

TEST_CASE("printable keeps plain and non-Latin text as it is", "[util][safe_text]") {
    CHECK(printable("").empty());
    CHECK(printable("HTTP 404 from http://example.org/oai: Not Found") ==
          "HTTP 404 from http://example.org/oai: Not Found");
    CHECK(printable("O\u2018zbekiston \u0442\u0438\u043b\u0438 \u4e2d\u6587 \U0001F600") ==
          "O\u2018zbekiston \u0442\u0438\u043b\u0438 \u4e2d\u6587 \U0001F600");
    CHECK(printable("\xEF\xBF\xBD already replaced") == "\xEF\xBF\xBD already replaced");
}

TEST_CASE("printable replaces the bytes 0xFF 0xFE of a 404 body with two U+FFFD",
          "[util][safe_text]") {
    CHECK(printable("\xFF\xFE"
                    "Not Found") == k_fffd + k_fffd + "Not Found");
    CHECK(printable(std::string("a\xFF") + "b") == "a" + k_fffd + "b");
}

TEST_CASE("printable replaces each maximal invalid UTF-8 subpart once", "[util][safe_text]") {
    SECTION("a stray continuation byte") {
        CHECK(printable("\x80x\xBF") == k_fffd + "x" + k_fffd);
    }
    SECTION("a sequence cut short, at the end or before ASCII") {
        CHECK(printable("\xE4\xB8") == k_fffd);
        CHECK(printable("\xF0\x9F\x98") == k_fffd);
        CHECK(printable("\xE4\xB8z") == k_fffd + "z");
        CHECK(printable("\xC3") == k_fffd);
    }
    SECTION("overlong forms") {
        CHECK(printable("\xC0\xAF") == k_fffd + k_fffd);
        CHECK(printable("\xC1\xBF") == k_fffd + k_fffd);
        CHECK(printable("\xE0\x80\xAF") == k_fffd + k_fffd + k_fffd);
        CHECK(printable("\xF0\x80\x80\xAF") == k_fffd + k_fffd + k_fffd + k_fffd);
    }
    SECTION("UTF-16 surrogates") {
        CHECK(printable("\xED\xA0\x80") == k_fffd + k_fffd + k_fffd);
        CHECK(printable("\xED\x9F\xBF") == "\xED\x9F\xBF");  // U+D7FF, the last before them
    }
    SECTION("code points past U+10FFFF and bytes UTF-8 never uses") {
        CHECK(printable("\xF4\x90\x80\x80") == k_fffd + k_fffd + k_fffd + k_fffd);
        CHECK(printable("\xF4\x8F\xBF\xBF") == "\xF4\x8F\xBF\xBF");  // U+10FFFF
        CHECK(printable("\xF5\xF8\xFC\xFE\xFF") == k_fffd + k_fffd + k_fffd + k_fffd + k_fffd);
    }
    SECTION("a lead byte followed by another lead byte") {
        CHECK(printable("\xC3\xC3\xA9") == k_fffd + "\xC3\xA9");
    }
}

TEST_CASE("printable shows terminal escape sequences instead of passing them on",
          "[util][safe_text]") {
    CHECK(printable("\x1B[2Jcleared") == "\\x1B[2Jcleared");
    CHECK(printable("\x1B]0;pwned\x07title") == "\\x1B]0;pwned\\x07title");
    CHECK(printable("\x1B]8;;http://evil/\x1B\\link") == "\\x1B]8;;http://evil/\\x1B\\link");
    CHECK(printable("ring\x07") == "ring\\x07");
    CHECK(printable("back\bspace\x7F") == "back\\x08space\\x7F");
    CHECK(printable(std::string("nul\0byte", 8)) == "nul\\x00byte");
}

TEST_CASE("printable keeps the text on one line", "[util][safe_text]") {
    CHECK(printable("line 1\nline 2\r\n\tend") == "line 1 line 2   end");
    // A forged log line: "ok\r2026-01-01 error: ..." overwriting the line on a terminal.
    CHECK(printable("ok\r2026-01-01 00:00:00 error: forged") ==
          "ok 2026-01-01 00:00:00 error: forged");
    CHECK(printable("a\u2028b\u2029c") == "a\\u2028b\\u2029c");
}

TEST_CASE("printable shows C1 controls and bidirectional overrides", "[util][safe_text]") {
    CHECK(printable("\xC2\x9B"
                    "2J") == "\\u009B2J");  // the 8-bit CSI
    CHECK(printable("\xC2\x85") == "\\u0085");
    CHECK(printable("\xC2\xA0") == "\xC2\xA0");  // no-break space: printable
    CHECK(printable("abc\u202Efed") == "abc\\u202Efed");
    CHECK(printable("\u2066x\u2069\u200E\u200F\u061C") == "\\u2066x\\u2069\\u200E\\u200F\\u061C");
}

TEST_CASE("printable is idempotent and its output is always safe", "[util][safe_text]") {
    SECTION("every one- and two-byte input") {
        for (int a = 0; a < 256; ++a) {
            for (int b = 0; b < 256; ++b) {
                const std::string input{static_cast<char>(a), static_cast<char>(b)};
                const std::string once = printable(input);
                INFO("bytes " << a << " " << b);
                REQUIRE(is_safe(once));
                REQUIRE(printable(once) == once);
            }
        }
    }
    SECTION("random byte strings") {
        std::mt19937 random(20261202);
        std::uniform_int_distribution<int> byte(0, 255);
        std::uniform_int_distribution<int> length(0, 64);
        for (int i = 0; i < 20000; ++i) {
            std::string input(static_cast<std::size_t>(length(random)), '\0');
            for (char& c : input) {
                c = static_cast<char>(byte(random));
            }
            const std::string once = printable(input);
            REQUIRE(is_safe(once));
            REQUIRE(printable(once) == once);
        }
    }
}

TEST_CASE("has_control_character finds CR, LF, tab, NUL and DEL", "[util][safe_text]") {
    CHECK_FALSE(has_control_character("oaiharvest/0.1 (+mailto:me@example.org) \xC3\xA9"));
    CHECK(has_control_character("agent\r\nX-Injected: 1"));
    CHECK(has_control_character("agent\n"));
    CHECK(has_control_character("a\tb"));
    CHECK(has_control_character(std::string("a\0b", 3)));
    CHECK(has_control_character("a\x7F"));
}

TEST_CASE("json_terminal_safe escapes C1 and bidirectional controls inside JSON strings",
          "[util][safe_text]") {
    const std::string dumped =
        "{\"title\":\"a\xC2\x9B"
        "2Jb\u202Ec \xC3\xA9\",\"n\":1}";
    const std::string safe = json_terminal_safe(dumped);
    CHECK(safe == "{\"title\":\"a\\u009B2Jb\\u202Ec \xC3\xA9\",\"n\":1}");
    CHECK(json_terminal_safe(safe) == safe);
    CHECK(nlohmann::json::parse(safe) == nlohmann::json::parse(dumped));  // the same value
    CHECK(json_terminal_safe("[\"plain\"]") == "[\"plain\"]");
}

TEST_CASE("valid_utf8 replaces invalid sequences and keeps everything else", "[util][safe_text]") {
    CHECK(valid_utf8("{\"a\":\"x\xFF\xFEy\"}\n") == "{\"a\":\"x" + k_fffd + k_fffd + "y\"}\n");
    CHECK(valid_utf8("tab\there \x1B \xC3\xA9") == "tab\there \x1B \xC3\xA9");
    CHECK(valid_utf8("\xE4\xB8") == k_fffd);
}
