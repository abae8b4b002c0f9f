#include "metadata/detail/clean.hpp"

#include <libxml/HTMLparser.h>

#include <algorithm>
#include <array>
#include <cstddef>

#include "util/ascii.hpp"
#include "util/utf8.hpp"

namespace oaiharvest::metadata::detail {
namespace {

// The whitespace collapsed to one space: ASCII, NEL, no-break space and the Unicode spaces.
bool is_space(char32_t cp) {
    return cp == 0x20 || (cp >= 0x09 && cp <= 0x0D) || cp == 0x85 || cp == 0xA0 || cp == 0x1680 ||
           (cp >= 0x2000 && cp <= 0x200A) || cp == 0x2028 || cp == 0x2029 || cp == 0x202F ||
           cp == 0x205F || cp == 0x3000;
}

// Invisible characters that only get in the way of search: soft hyphen, zero-width space, BOM.
// ZWNJ and ZWJ stay: Persian and Indic text needs them.
bool is_dropped(char32_t cp) {
    return cp == 0xAD || cp == 0x200B || cp == 0xFEFF || (cp < 0x20 && !is_space(cp));
}

// HTML5 reads &#128;..&#159; as Windows-1252, as the people who typed them meant.
constexpr std::array<char32_t, 32> k_cp1252 = {
    0x20AC, 0x81,   0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
    0x2039, 0x0152, 0x8D,   0x017D, 0x8F,   0x90,   0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
    0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x9D,   0x017E, 0x0178};

bool is_alpha(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
// Collapses whitespace and paragraph breaks while text is appended; trims both ends.
class Writer {
public:
    explicit Writer(std::string& out) : m_out(out), m_start(out.size()) {}

    void space() { m_space = true; }
    void paragraph() { m_break = true; }
    void text(std::string_view s) {
        separate();
        m_out.append(s);
    }
    void code_point(char32_t cp) {
        if (is_space(cp)) {
            m_space = true;
        } else if (!is_dropped(cp)) {
            separate();
            util::append_utf8(cp, m_out);
        }
    }

private:
    void separate() {
        if (m_out.size() > m_start && (m_break || m_space)) {
            m_out.push_back(m_break ? '\n' : ' ');
        }
        m_space = m_break = false;
    }

    std::string& m_out;
    std::size_t m_start;
    bool m_space = false;
    bool m_break = false;
};

// Decodes the entity at raw[i] == '&'. Returns its length and code point, or 0 when the text
// there is no entity (it is then kept literally).
std::size_t decode_entity(std::string_view raw, std::size_t i, char32_t& cp) {
    const auto semi = raw.find(';', i + 1);
    if (semi == std::string_view::npos || semi - i > 12 || semi - i < 3) {
        return 0;
    }
    const auto body = raw.substr(i + 1, semi - i - 1);
    cp = 0;
    if (body[0] == '#') {
        const bool hex = body.size() > 1 && (body[1] == 'x' || body[1] == 'X');
        const auto digits = body.substr(hex ? 2 : 1);
        if (digits.empty() || digits.size() > 7) {
            return 0;
        }
        for (const char c : digits) {
            int v = 0;
            if (util::is_ascii_digit(c)) {
                v = c - '0';
            } else if (hex && ((c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))) {
                v = (c | 0x20) - 'a' + 10;
            } else {
                return 0;
            }
            cp = cp * (hex ? 16 : 10) + static_cast<char32_t>(v);
        }
        if (cp >= 0x80 && cp <= 0x9F) {
            cp = k_cp1252[cp - 0x80];
        }
        if (cp == 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
            return 0;
        }
    } else {
        if (!std::ranges::all_of(body,
                                 [](char c) { return is_alpha(c) || util::is_ascii_digit(c); })) {
            return 0;
        }
        cp = html_entity(body);
        if (cp == 0) {
            return 0;
        }
    }
    return semi - i + 1;
}

// Recognizes an HTML tag left in the text at raw[i] == '<'. Returns its length and kind, or 0
// when the text there is no tag of a known HTML element ("a < b", "<x>" stay as they are).
std::size_t match_tag(std::string_view raw, std::size_t i, HtmlTag& kind) {
    std::size_t j = i + 1;
    if (j < raw.size() && raw[j] == '/') {
        ++j;
    }
    const std::size_t name_start = j;
    while (j < raw.size() &&
           (is_alpha(raw[j]) || (j > name_start && util::is_ascii_digit(raw[j])))) {
        ++j;
    }
    kind = html_tag(raw.substr(name_start, j - name_start));
    if (kind == HtmlTag::unknown || j >= raw.size()) {
        return 0;
    }
    if (raw[j] != '>' && raw[j] != '/' && raw[j] != ' ' && raw[j] != '\t' && raw[j] != '\n' &&
        raw[j] != '\r') {
        return 0;
    }
    // Attributes run to the next '>', within reason and without another '<'.
    for (std::size_t end = j; end < raw.size() && end - i < 1024; ++end) {
        if (raw[end] == '>') {
            return end - i + 1;
        }
        if (raw[end] == '<' || raw[end] == k_break) {
            return 0;
        }
    }
    return 0;
}

// Bytes that need a look: ASCII controls and space, '&', '<', and the lead bytes of the
// non-ASCII spaces and dropped characters (U+00xx, U+1680, U+20xx, U+3000, U+FEFF).
constexpr std::array<bool, 256> k_special = [] {
    std::array<bool, 256> t{};
    for (int c = 0; c <= 0x20; ++c) {
        t[static_cast<std::size_t>(c)] = true;
    }
    for (const unsigned char c : {'&', '<', '\xC2', '\xE1', '\xE2', '\xE3', '\xEF'}) {
        t[c] = true;
    }
    return t;
}();

// Sorted, for binary search.
constexpr std::array<std::string_view, 30> k_block = {
    "address", "article", "blockquote", "br",     "caption", "center", "dd", "div",
    "dl",      "dt",      "figcaption", "figure", "footer",  "h1",     "h2", "h3",
    "h4",      "h5",      "h6",         "header", "hr",      "li",     "ol", "p",
    "pre",     "section", "table",      "tbody",  "tr",      "ul"};
constexpr std::array<std::string_view, 30> k_inline = {
    "a",    "abbr",  "acronym", "b",      "bdi",    "bdo", "big",  "cite", "code", "del",
    "dfn",  "em",    "font",    "i",      "ins",    "kbd", "mark", "nobr", "q",    "s",
    "samp", "small", "span",    "strike", "strong", "sub", "sup",  "tt",   "u",    "wbr"};
static_assert(std::ranges::is_sorted(k_block) && std::ranges::is_sorted(k_inline));

}  // namespace

HtmlTag html_tag(std::string_view name) {
    if (name.empty() || name.size() > 10) {
        return HtmlTag::unknown;
    }
    std::array<char, 10> lower{};
    std::ranges::transform(name, lower.begin(), [](char c) { return static_cast<char>(c | 0x20); });
    const std::string_view n(lower.data(), name.size());
    if (std::ranges::binary_search(k_block, n)) {
        return HtmlTag::block;
    }
    if (std::ranges::binary_search(k_inline, n)) {
        return HtmlTag::inline_;
    }
    if (n == "td" || n == "th" || n == "img" || n == "thead" || n == "tfoot") {
        return HtmlTag::gap;
    }
    return HtmlTag::unknown;
}

char32_t html_entity(std::string_view name) {
    // libxml2's table wants a C string; its longest name, "thetasym", has 8 characters.
    constexpr std::size_t k_longest = 8;
    if (name.empty() || name.size() > k_longest || name.find('\0') != std::string_view::npos) {
        return 0;
    }
    std::array<char, k_longest + 1> c_name{};
    std::ranges::copy(name, c_name.begin());
    const htmlEntityDesc* entity =
        htmlEntityLookup(reinterpret_cast<const xmlChar*>(c_name.data()));
    return entity != nullptr ? static_cast<char32_t>(entity->value) : 0;
}

void clean_append(std::string_view raw, std::string& out) {
    Writer w(out);
    std::size_t i = 0;
    while (i < raw.size()) {
        // A run of ordinary bytes goes out in one piece.
        std::size_t run = i;
        while (run < raw.size() && !k_special[static_cast<unsigned char>(raw[run])]) {
            ++run;
        }
        if (run > i) {
            w.text(raw.substr(i, run - i));
            i = run;
            continue;
        }
        const char c = raw[i];
        if (c == k_break) {
            w.paragraph();
            ++i;
        } else if (static_cast<unsigned char>(c) <= 0x20) {
            w.space();
            ++i;
        } else if (c == '&') {
            char32_t cp = 0;
            const auto len = decode_entity(raw, i, cp);
            if (len == 0) {
                w.text("&");
                ++i;
            } else {
                w.code_point(cp);
                i += len;
            }
        } else if (c == '<') {
            HtmlTag kind = HtmlTag::unknown;
            const auto len = match_tag(raw, i, kind);
            if (len == 0) {
                w.text("<");
                ++i;
            } else {
                if (kind == HtmlTag::block) {
                    w.paragraph();
                } else if (kind == HtmlTag::gap) {
                    w.space();
                }
                i += len;
            }
        } else {
            // libxml2 hands over valid UTF-8; a byte that is not is kept as it is.
            const auto s = util::read_utf8(raw, i);
            const bool valid = s.kind == util::Utf8Sequence::Kind::valid;
            const std::size_t len = valid ? s.length : 1;
            if (valid && (is_space(s.code_point) || is_dropped(s.code_point))) {
                w.code_point(s.code_point);
            } else {
                w.text(raw.substr(i, len));
            }
            i += len;
        }
    }
}

std::optional<std::string> clean(std::string_view raw) {
    std::string out;
    out.reserve(raw.size());  // cleaning only shortens, but for the rare entity that grows
    clean_append(raw, out);
    if (out.empty()) {
        return std::nullopt;
    }
    return out;
}

}  // namespace oaiharvest::metadata::detail
