#include "util/safe_text.hpp"

#include <utility>

namespace oaiharvest::util {
namespace {

constexpr std::string_view k_replacement = "\xEF\xBF\xBD";  // U+FFFD
constexpr char k_hex[] = "0123456789ABCDEF";

unsigned char byte_at(std::string_view text, std::size_t at) {
    return static_cast<unsigned char>(text[at]);
}

std::size_t expected_length(unsigned char lead) {
    if (lead >= 0xC2 && lead <= 0xDF) {
        return 2;
    }
    if (lead >= 0xE0 && lead <= 0xEF) {
        return 3;
    }
    return lead >= 0xF0 && lead <= 0xF4 ? 4 : 0;
}

// The bytes allowed right after a lead byte: narrower than 80..BF where the wider range would
// allow an overlong form (E0, F0), a surrogate (ED) or a code point past U+10FFFF (F4).
std::pair<unsigned char, unsigned char> second_byte_range(unsigned char lead) {
    switch (lead) {
        case 0xE0:
            return {0xA0, 0xBF};
        case 0xED:
            return {0x80, 0x9F};
        case 0xF0:
            return {0x90, 0xBF};
        case 0xF4:
            return {0x80, 0x8F};
        default:
            return {0x80, 0xBF};
    }
}

struct Scan {
    std::size_t length;  // of the sequence, or of the maximal invalid subpart (at least 1)
    bool valid;
};

Scan scan(std::string_view text, std::size_t at) {
    const unsigned char lead = byte_at(text, at);
    if (lead < 0x80) {
        return {1, true};
    }
    const std::size_t length = expected_length(lead);
    if (length == 0) {
        return {1, false};
    }
    std::size_t k = 1;
    for (; k < length && at + k < text.size(); ++k) {
        const auto [low, high] =
            k == 1 ? second_byte_range(lead) : std::pair<unsigned char, unsigned char>{0x80, 0xBF};
        const unsigned char next = byte_at(text, at + k);
        if (next < low || next > high) {
            return {k, false};
        }
    }
    return {k, k == length};
}

char32_t code_point(std::string_view text, std::size_t at, std::size_t length) {
    static constexpr unsigned char k_lead_bits[] = {0, 0x7F, 0x1F, 0x0F, 0x07};
    char32_t value = byte_at(text, at) & k_lead_bits[length];
    for (std::size_t k = 1; k < length; ++k) {
        value = (value << 6) | (byte_at(text, at + k) & 0x3F);
    }
    return value;
}

// Characters that change how a terminal or an editor shows what follows them.
bool is_invisible_control(char32_t c) {
    return (c >= 0x80 && c <= 0x9F) || c == 0x061C || c == 0x200E || c == 0x200F ||
           (c >= 0x2028 && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069);
}

void append_escaped(std::string& out, char32_t c) {
    if (c < 0x80) {
        out += "\\x";
        out += k_hex[c >> 4];
        out += k_hex[c & 0xF];
        return;
    }
    out += "\\u";
    for (int shift = 12; shift >= 0; shift -= 4) {
        out += k_hex[(c >> shift) & 0xF];
    }
}

}  // namespace

std::size_t utf8_sequence_length(std::string_view text, std::size_t at) {
    const Scan s = scan(text, at);
    return s.valid ? s.length : 0;
}

std::string printable(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    std::size_t at = 0;
    while (at < text.size()) {
        const Scan s = scan(text, at);
        if (!s.valid) {
            out += k_replacement;
        } else if (s.length == 1) {
            const char c = text[at];
            if (c == '\t' || c == '\n' || c == '\r') {
                out += ' ';
            } else if (byte_at(text, at) < 0x20 || c == 0x7F) {
                append_escaped(out, byte_at(text, at));
            } else {
                out += c;
            }
        } else if (char32_t c = code_point(text, at, s.length); is_invisible_control(c)) {
            append_escaped(out, c);
        } else {
            out.append(text.substr(at, s.length));
        }
        at += s.length;
    }
    return out;
}

std::string valid_utf8(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t at = 0; at < text.size();) {
        const Scan s = scan(text, at);
        if (s.valid) {
            out.append(text.substr(at, s.length));
        } else {
            out += k_replacement;
        }
        at += s.length;
    }
    return out;
}

std::string json_terminal_safe(std::string_view json) {
    std::string out;
    out.reserve(json.size());
    std::size_t at = 0;
    while (at < json.size()) {
        const Scan s = scan(json, at);
        if (s.valid && s.length > 1) {
            if (char32_t c = code_point(json, at, s.length); is_invisible_control(c)) {
                append_escaped(out, c);
                at += s.length;
                continue;
            }
        }
        out.append(json.substr(at, s.length));
        at += s.length;
    }
    return out;
}

bool has_control_character(std::string_view text) {
    for (const char c : text) {
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) {
            return true;
        }
    }
    return false;
}

}  // namespace oaiharvest::util
