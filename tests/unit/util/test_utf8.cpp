#include <catch2/catch.hpp>
#include <string_view>

#include "util/utf8.hpp"

using namespace oaiharvest::util;
using Kind = Utf8Sequence::Kind;

namespace {

bool is(const Utf8Sequence& s, Kind kind, std::size_t length, char32_t code_point = 0) {
    return s.kind == kind && s.length == length && s.code_point == code_point;
}

}  // namespace

TEST_CASE("read_utf8 reads a well-formed sequence of each length", "[util][utf8]") {
    CHECK(is(read_utf8("a", 0), Kind::valid, 1, U'a'));
    CHECK(is(read_utf8("\xC3\xA9", 0), Kind::valid, 2, U'\u00E9'));
    CHECK(is(read_utf8("\xE4\xB8\xAD", 0), Kind::valid, 3, U'\u4E2D'));
    CHECK(is(read_utf8("\xF0\x9F\x98\x80", 0), Kind::valid, 4, U'\U0001F600'));
    CHECK(is(read_utf8("x\xC3\xA9", 1), Kind::valid, 2, U'\u00E9'));
    // The edges of table 3-7.
    CHECK(is(read_utf8("\xE0\xA0\x80", 0), Kind::valid, 3, U'\u0800'));
    CHECK(is(read_utf8("\xED\x9F\xBF", 0), Kind::valid, 3, U'\uD7FF'));
    CHECK(is(read_utf8("\xF4\x8F\xBF\xBF", 0), Kind::valid, 4, U'\U0010FFFF'));
}

TEST_CASE("read_utf8 takes a byte that cannot lead for one invalid byte", "[util][utf8]") {
    for (std::string_view byte : {"\x80", "\xBF", "\xC0", "\xC1", "\xF5", "\xFF"}) {
        CHECK(is(read_utf8(byte, 0), Kind::invalid, 1));
    }
}

TEST_CASE("read_utf8 refuses overlong forms, surrogates and code points past U+10FFFF",
          "[util][utf8]") {
    CHECK(is(read_utf8("\xE0\x80\x80", 0), Kind::invalid, 1));
    CHECK(is(read_utf8("\xED\xA0\x80", 0), Kind::invalid, 1));
    CHECK(is(read_utf8("\xF0\x80\x80\x80", 0), Kind::invalid, 1));
    CHECK(is(read_utf8("\xF4\x90\x80\x80", 0), Kind::invalid, 1));
}

TEST_CASE("read_utf8 gives the maximal subpart of a sequence broken off", "[util][utf8]") {
    CHECK(is(read_utf8("\xE4\xB8\x41", 0), Kind::invalid, 2));  // "A" breaks it off
    CHECK(is(read_utf8("\xF0\x9F\x98\x41", 0), Kind::invalid, 3));
}

TEST_CASE("read_utf8 tells a sequence cut by the text's end from a broken one", "[util][utf8]") {
    CHECK(is(read_utf8("\xE4\xB8", 0), Kind::truncated, 2));
    CHECK(is(read_utf8("\xF0\x9F\x98", 0), Kind::truncated, 3));
    CHECK(is(read_utf8("x\xC3", 1), Kind::truncated, 1));
    // Invalid before the end: not worth waiting for.
    CHECK(is(read_utf8("\xE0\x80", 0), Kind::invalid, 1));
}
