#include "util/safe_text.hpp"

#include "util/utf8.hpp"

namespace oaiharvest::util {
namespace {

constexpr std::string_view k_replacement = "\xEF\xBF\xBD";  // U+FFFD
constexpr char k_hex[] = "0123456789ABCDEF";

unsigned char byte_at(std::string_view text, std::size_t at) {
    return static_cast<unsigned char>(text[at]);
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

std::string printable(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    std::size_t at = 0;
    while (at < text.size()) {
        const Utf8Sequence s = read_utf8(text, at);
        if (s.kind != Utf8Sequence::Kind::valid) {
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
        } else if (is_invisible_control(s.code_point)) {
            append_escaped(out, s.code_point);
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
        const Utf8Sequence s = read_utf8(text, at);
        if (s.kind == Utf8Sequence::Kind::valid) {
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
        const Utf8Sequence s = read_utf8(json, at);
        if (s.kind == Utf8Sequence::Kind::valid && is_invisible_control(s.code_point)) {
            append_escaped(out, s.code_point);
            at += s.length;
            continue;
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

std::string xml_text(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t at = 0; at < text.size();) {
        const Utf8Sequence s = read_utf8(text, at);
        const char32_t c = s.code_point;
        const bool allowed = s.kind == Utf8Sequence::Kind::valid &&
                             (c >= 0x20 || c == '\t' || c == '\n' || c == '\r') && c != 0xFFFE &&
                             c != 0xFFFF;
        out.append(allowed ? text.substr(at, s.length) : "\xEF\xBF\xBD");
        at += s.length;
    }
    return out;
}

}  // namespace oaiharvest::util
