#include "oai/detail/char_repair.hpp"

#include <algorithm>
#include <array>
#include <bit>
#include <cstring>

#include "util/utf8.hpp"

#if defined(__SSE2__) && !defined(OAIHARVEST_NO_SIMD)
#include <emmintrin.h>
#endif

namespace oaiharvest::oai::detail {

namespace {

constexpr std::string_view k_replacement = "\xEF\xBF\xBD";  // U+FFFD
// Longest reference held back ("&#x" and leading zeros); a longer one passes on as it is.
constexpr std::size_t k_max_reference = 32;
constexpr std::uint32_t k_beyond_unicode = 0x110000;

bool is_xml_char(std::uint32_t c) {
    return c == 0x9 || c == 0xA || c == 0xD || (c >= 0x20 && c <= 0xD7FF) ||
           (c >= 0xE000 && c <= 0xFFFD) || (c >= 0x10000 && c <= 0x10FFFF);
}

// Bytes the fast path copies as they are: printable ASCII but '&', TAB, LF, CR, DEL, and in
// ascii_compatible mode every byte from 0x80.
using PlainTable = std::array<bool, 256>;
constexpr PlainTable make_plain_table(bool high_is_plain) {
    PlainTable table{};
    for (int c = 0; c < 256; ++c) {
        table[c] = (c >= 0x20 && c < 0x80 && c != '&') || c == '\t' || c == '\n' || c == '\r' ||
                   (high_is_plain && c >= 0x80);
    }
    return table;
}
constexpr PlainTable k_plain_utf8 = make_plain_table(false);
constexpr PlainTable k_plain_ascii = make_plain_table(true);

constexpr std::uint64_t k_ones = 0x0101010101010101ULL;
constexpr std::uint64_t k_high = 0x8080808080808080ULL;

// True when none of the 8 bytes is below 0x20, an '&', or (with high_mask) above 0x7F: the
// common case of a run of plain ASCII, tested a word at a time.
bool plain_word(const unsigned char* p, std::uint64_t high_mask) {
    std::uint64_t w;
    std::memcpy(&w, p, sizeof w);
    const std::uint64_t below_space = (w - k_ones * 0x20) & ~w & k_high;
    const std::uint64_t x = w ^ (k_ones * '&');
    const std::uint64_t ampersand = (x - k_ones) & ~x & k_high;
    return ((w & high_mask) | below_space | ampersand) == 0;
}

// The first byte in [p, end) the fast path cannot copy as it is, or end.
const unsigned char* skip_plain(const unsigned char* p, const unsigned char* end,
                                const PlainTable& table, std::uint64_t high_mask) {
#if defined(__SSE2__) && !defined(OAIHARVEST_NO_SIMD)
    // 16 bytes at a time, exactly: the position of the first byte that is not plain.
    const __m128i space = _mm_set1_epi8(0x20);
    const __m128i tab = _mm_set1_epi8('\t');
    const __m128i lf = _mm_set1_epi8('\n');
    const __m128i cr = _mm_set1_epi8('\r');
    const __m128i ampersand = _mm_set1_epi8('&');
    const int high_bits = high_mask != 0 ? 0xFFFF : 0;
    while (end - p >= 16) {
        const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
        const int high = _mm_movemask_epi8(v);
        // Signed compare: bytes from 0x80 are negative, hence "below space" too; mask them out.
        const int control = _mm_movemask_epi8(_mm_cmplt_epi8(v, space)) & ~high;
        const int allowed = _mm_movemask_epi8(_mm_or_si128(
            _mm_or_si128(_mm_cmpeq_epi8(v, tab), _mm_cmpeq_epi8(v, lf)), _mm_cmpeq_epi8(v, cr)));
        const int special = (control & ~allowed) | _mm_movemask_epi8(_mm_cmpeq_epi8(v, ampersand)) |
                            (high & high_bits);
        if (special != 0) {
            return p + std::countr_zero(static_cast<unsigned>(special));
        }
        p += 16;
    }
#endif
    for (;;) {
        while (end - p >= 8 && plain_word(p, high_mask)) {
            p += 8;
        }
        // A word with a TAB or LF in it is still plain; look at it a byte at a time.
        const unsigned char* stop = end - p > 8 ? p + 8 : end;
        while (p < stop && table[*p]) {
            ++p;
        }
        if (p != stop || p == end) {
            return p;
        }
    }
}

enum class Sequence { valid, invalid, incomplete };
struct Classified {
    Sequence kind;
    std::size_t length;  // valid: its length; invalid: bytes to replace; incomplete: bytes seen
};

// Judges the UTF-8 sequence starting at s[0] (a byte >= 0x80), of which n bytes are at hand;
// an invalid one is replaced by U+FFFD "maximal subpart" by subpart.
Classified classify(const unsigned char* s, std::size_t n) {
    const auto read = util::read_utf8({reinterpret_cast<const char*>(s), n}, 0);
    switch (read.kind) {
        case util::Utf8Sequence::Kind::valid:
            if (read.code_point == 0xFFFE || read.code_point == 0xFFFF) {
                return {Sequence::invalid, 3};  // well-formed UTF-8, but not XML
            }
            return {Sequence::valid, read.length};
        case util::Utf8Sequence::Kind::truncated:
            return {Sequence::incomplete, read.length};
        case util::Utf8Sequence::Kind::invalid:
            break;
    }
    return {Sequence::invalid, read.length};
}

// The first byte in [p, end) that needs a repair or may start one, or end: skips plain ASCII,
// well-formed UTF-8 (in utf8 mode) and '&' that does not start a character reference.
const unsigned char* skip_unchanged(const unsigned char* p, const unsigned char* end,
                                    const PlainTable& table, std::uint64_t high_mask, bool utf8) {
    for (;;) {
        p = skip_plain(p, end, table, high_mask);
        if (p == end) {
            return p;
        }
        if (*p == '&') {
            if (end - p >= 2 && p[1] != '#') {
                ++p;  // &amp; and the like
                continue;
            }
            return p;
        }
        if (!utf8 || *p < 0x80) {
            return p;
        }
        // Two-byte sequences (Cyrillic, most accented Latin) in a tight loop.
        while (end - p >= 2 && p[0] >= 0xC2 && p[0] <= 0xDF && (p[1] & 0xC0) == 0x80) {
            p += 2;
        }
        if (p == end || *p < 0x80) {
            continue;
        }
        auto [kind, length] = classify(p, static_cast<std::size_t>(end - p));
        if (kind != Sequence::valid) {
            return p;
        }
        p += length;
    }
}

int digit_value(unsigned char c, bool hex) {
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    if (hex && c >= 'a' && c <= 'f') {
        return c - 'a' + 10;
    }
    if (hex && c >= 'A' && c <= 'F') {
        return c - 'A' + 10;
    }
    return -1;
}

std::string_view encoding_of(std::string_view declaration) {
    auto at = declaration.find("encoding");
    if (at == std::string_view::npos) {
        return {};
    }
    auto rest = declaration.substr(at + 8);
    auto skip_space = [&rest] {
        while (!rest.empty() &&
               (rest[0] == ' ' || rest[0] == '\t' || rest[0] == '\n' || rest[0] == '\r')) {
            rest.remove_prefix(1);
        }
    };
    skip_space();
    if (rest.empty() || rest[0] != '=') {
        return {};
    }
    rest.remove_prefix(1);
    skip_space();
    if (rest.empty() || (rest[0] != '"' && rest[0] != '\'')) {
        return {};
    }
    auto close = rest.find(rest[0], 1);
    return close == std::string_view::npos ? std::string_view{} : rest.substr(1, close - 1);
}

}  // namespace

bool CharRepair::decide_mode(bool final) {
    std::string_view head = m_head;
    if (head.size() < 5 && !final) {
        return false;
    }
    // UTF-16, UTF-32 and EBCDIC, known by a byte order mark or by how "<?" looks in them.
    static constexpr std::array<std::string_view, 5> k_not_ascii_compatible{
        std::string_view{"\xFE\xFF", 2}, std::string_view{"\xFF\xFE", 2},
        std::string_view{"\0\0\xFE\xFF", 4}, std::string_view{"\0<", 2},
        std::string_view{"<\0", 2}};
    for (auto signature : k_not_ascii_compatible) {
        if (head.starts_with(signature)) {
            m_mode = Mode::raw;
            return true;
        }
    }
    if (head.starts_with("\x4C\x6F\xA7\x94")) {
        m_mode = Mode::raw;
        return true;
    }
    if (head.starts_with("\xEF\xBB\xBF")) {
        head.remove_prefix(3);
    }
    constexpr std::string_view k_declaration = "<?xml";
    if (!head.starts_with(k_declaration)) {
        if (!final && k_declaration.starts_with(head)) {
            return false;
        }
        m_mode = Mode::utf8;
        return true;
    }
    auto declaration_end = head.find("?>");
    if (declaration_end == std::string_view::npos) {
        if (!final && head.size() < 1024) {
            return false;
        }
        m_mode = Mode::utf8;
        return true;
    }
    std::string name(encoding_of(head.substr(0, declaration_end)));
    std::transform(name.begin(), name.end(), name.begin(),
                   [](unsigned char c) { return static_cast<char>(c | 0x20); });
    std::string_view encoding = name;
    if (encoding.empty() || encoding == "utf-8" || encoding == "utf8" || encoding == "us-ascii" ||
        encoding == "ascii") {
        m_mode = Mode::utf8;
    } else if (encoding.starts_with("utf-16") || encoding.starts_with("utf-32") ||
               encoding.starts_with("ucs") || encoding.starts_with("utf-7") ||
               encoding.starts_with("iso-2022")) {
        m_mode = Mode::raw;  // control bytes or NULs are part of these encodings
    } else {
        m_mode = Mode::ascii_compatible;
    }
    return true;
}

void CharRepair::repair(std::string_view bytes, std::string& out) {
    if (m_mode == Mode::sniffing) {
        m_head.append(bytes);
        if (!decide_mode(false)) {
            return;
        }
        std::string head = std::move(m_head);
        m_head.clear();
        repair(head, out);
        return;
    }
    if (m_mode == Mode::raw) {
        out.append(bytes);
        return;
    }
    const auto* p = reinterpret_cast<const unsigned char*>(bytes.data());
    process(p, p + bytes.size(), out);
}

void CharRepair::finish(std::string& out) {
    if (m_mode == Mode::sniffing) {
        decide_mode(true);
        std::string head = std::move(m_head);
        m_head.clear();
        repair(head, out);
    }
    if (m_state == State::utf8) {
        out += k_replacement;  // the body ended inside a sequence
        ++m_repaired;
    } else if (m_state != State::text) {
        out += m_pending;
    }
    m_pending.clear();
    m_state = State::text;
}

void CharRepair::process(const unsigned char* p, const unsigned char* end, std::string& out) {
    const bool utf8 = m_mode == Mode::utf8;
    const PlainTable& table = utf8 ? k_plain_utf8 : k_plain_ascii;
    const std::uint64_t high_mask = utf8 ? k_high : 0;
    while (p < end) {
        if (m_state == State::utf8) {
            p = continue_utf8(p, end, out);
            continue;
        }
        if (m_state != State::text) {
            p = continue_reference(p, out);
            continue;
        }
        // Everything that passes unchanged is appended in one piece.
        const unsigned char* run = p;
        p = skip_unchanged(p, end, table, high_mask, utf8);
        out.append(reinterpret_cast<const char*>(run), static_cast<std::size_t>(p - run));
        if (p == end) {
            break;
        }
        if (*p == '&') {  // "&#", or an '&' at the end of the chunk
            m_pending.assign(1, '&');
            m_state = State::amp;
            ++p;
        } else if (*p < 0x20) {
            ++m_repaired;  // a C0 control character: dropped
            ++p;
        } else {
            p = decode_utf8(p, end, out);  // ill-formed, or cut off by the chunk's end
        }
    }
}

const unsigned char* CharRepair::decode_utf8(const unsigned char* p, const unsigned char* end,
                                             std::string& out) {
    auto [kind, length] = classify(p, static_cast<std::size_t>(end - p));
    switch (kind) {
        case Sequence::valid:
            out.append(reinterpret_cast<const char*>(p), length);
            break;
        case Sequence::invalid:
            out += k_replacement;
            ++m_repaired;
            break;
        case Sequence::incomplete:
            m_pending.assign(reinterpret_cast<const char*>(p), length);
            m_state = State::utf8;
            break;
    }
    return p + length;
}

const unsigned char* CharRepair::continue_utf8(const unsigned char* p, const unsigned char* end,
                                               std::string& out) {
    const std::size_t held = m_pending.size();
    const std::size_t take = std::min<std::size_t>(4 - held, static_cast<std::size_t>(end - p));
    m_pending.append(reinterpret_cast<const char*>(p), take);
    auto [kind, length] =
        classify(reinterpret_cast<const unsigned char*>(m_pending.data()), m_pending.size());
    if (kind == Sequence::incomplete) {
        return p + take;  // only when the chunk ended: take was all there was
    }
    if (kind == Sequence::valid) {
        out.append(m_pending, 0, length);
    } else {
        out += k_replacement;
        ++m_repaired;
    }
    m_pending.clear();
    m_state = State::text;
    // The held bytes were a valid start, so the sequence (or the subpart) reaches into this chunk.
    return p + (length - held);
}

const unsigned char* CharRepair::continue_reference(const unsigned char* p, std::string& out) {
    const unsigned char c = *p;
    const bool hex = m_state == State::hex_start || m_state == State::hex;
    switch (m_state) {
        case State::amp:
            if (c == '#') {
                m_pending += '#';
                m_state = State::hash;
                return p + 1;
            }
            break;
        case State::hash:
            if (c == 'x') {
                m_pending += 'x';
                m_reference_value = 0;
                m_state = State::hex_start;
                return p + 1;
            }
            [[fallthrough]];
        case State::decimal:
        case State::hex_start:
        case State::hex:
            if (int digit = digit_value(c, hex); digit >= 0 && m_pending.size() < k_max_reference) {
                if (m_state == State::hash) {
                    m_reference_value = 0;
                    m_state = State::decimal;
                } else if (m_state == State::hex_start) {
                    m_state = State::hex;
                }
                const std::uint32_t base = hex ? 16 : 10;
                m_reference_value = std::min(
                    m_reference_value * base + static_cast<std::uint32_t>(digit), k_beyond_unicode);
                m_pending += static_cast<char>(c);
                return p + 1;
            }
            if (c == ';' && (m_state == State::decimal || m_state == State::hex)) {
                end_reference(out);
                return p + 1;
            }
            break;
        case State::text:
        case State::utf8:
            break;
    }
    // Not a character reference after all: pass on what was held and judge c afresh.
    flush_pending(out);
    return p;
}

void CharRepair::end_reference(std::string& out) {
    if (is_xml_char(m_reference_value)) {
        out += m_pending;
        out += ';';
    } else {
        ++m_repaired;  // &#1; and the like: libxml2 would reject the whole document
    }
    m_pending.clear();
    m_state = State::text;
}

void CharRepair::flush_pending(std::string& out) {
    out += m_pending;
    m_pending.clear();
    m_state = State::text;
}

}  // namespace oaiharvest::oai::detail
