#pragma once
// The one UTF-8 decoder (and encoder) of the program: reads one sequence by Unicode's table 3-7 of
// well-formed byte sequences. Header-only so that the hot loops that call it per character
// (oai's CharRepair, metadata's cleaning) inline it. Pure; thread-safe.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace oaiharvest::util {

struct Utf8Sequence {
    enum class Kind : std::uint8_t {
        valid,
        invalid,    // ill-formed: replace `length` bytes (Unicode's "maximal subpart") by U+FFFD
        truncated,  // a well-formed start that the text's end cuts short
    };
    Kind kind;
    // valid: the sequence's length; invalid: the maximal subpart's (at least 1); truncated:
    // the bytes there are.
    std::size_t length;
    char32_t code_point;  // valid only; 0 otherwise
};

// The sequence that starts at text[at]; at < text.size(). An ASCII byte is a valid sequence of
// length 1. Overlong forms, surrogates, code points past U+10FFFF and stray continuation bytes
// are invalid.
constexpr Utf8Sequence read_utf8(std::string_view text, std::size_t at) {
    const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[at + k]); };
    const unsigned char lead = byte(0);
    if (lead < 0x80) {
        return {Utf8Sequence::Kind::valid, 1, lead};
    }
    std::size_t need = 0;
    unsigned char low = 0x80;  // the second byte's range: narrower after E0, ED, F0 and F4
    unsigned char high = 0xBF;
    char32_t value = 0;
    if (lead >= 0xC2 && lead <= 0xDF) {
        need = 2;
        value = lead & 0x1Fu;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
        need = 3;
        value = lead & 0x0Fu;
        low = lead == 0xE0 ? 0xA0 : 0x80;   // no overlong forms
        high = lead == 0xED ? 0x9F : 0xBF;  // no surrogates
    } else if (lead >= 0xF0 && lead <= 0xF4) {
        need = 4;
        value = lead & 0x07u;
        low = lead == 0xF0 ? 0x90 : 0x80;
        high = lead == 0xF4 ? 0x8F : 0xBF;  // nothing past U+10FFFF
    } else {
        return {Utf8Sequence::Kind::invalid, 1, 0};
    }
    for (std::size_t k = 1; k < need; ++k) {
        if (at + k >= text.size()) {
            return {Utf8Sequence::Kind::truncated, k, 0};
        }
        const unsigned char next = byte(k);
        if (next < (k == 1 ? low : 0x80) || next > (k == 1 ? high : 0xBF)) {
            return {Utf8Sequence::Kind::invalid, k, 0};
        }
        value = (value << 6) | (next & 0x3Fu);
    }
    return {Utf8Sequence::Kind::valid, need, value};
}

// Appends code point cp (at most U+10FFFF, no surrogate) to out as UTF-8.
inline void append_utf8(char32_t cp, std::string& out) {
    if (cp < 0x80) {
        out.push_back(static_cast<char>(cp));
    } else if (cp < 0x800) {
        out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else if (cp < 0x10000) {
        out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else {
        out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    }
}

}  // namespace oaiharvest::util
