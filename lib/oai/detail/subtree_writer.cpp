#include "oai/detail/subtree_writer.hpp"

#include <algorithm>
#include <array>
#include <bit>
#include <cstdint>
#include <cstring>

#if defined(__SSE2__) && !defined(OAIHARVEST_NO_SIMD)
#include <emmintrin.h>
#endif

namespace oaiharvest::oai::detail {

namespace {

// What a character becomes in text and in attribute values (nullptr: itself).
using EscapeTable = std::array<const char*, 256>;
constexpr EscapeTable make_escapes(bool attribute) {
    EscapeTable table{};
    table['&'] = "&amp;";
    table['<'] = "&lt;";
    table['>'] = "&gt;";
    table['\r'] = "&#13;";
    if (attribute) {
        table['"'] = "&quot;";
        table['\t'] = "&#9;";
        table['\n'] = "&#10;";
    }
    return table;
}
constexpr EscapeTable k_text_escapes = make_escapes(false);
constexpr EscapeTable k_attribute_escapes = make_escapes(true);

// Skips whole blocks of text with no '&', '<', '>' or CR in them; the rest is left to a byte
// loop.
const char* skip_unescaped_words(const char* p, const char* end) {
#if defined(__SSE2__) && !defined(OAIHARVEST_NO_SIMD)
    const __m128i ampersand = _mm_set1_epi8('&');
    const __m128i less = _mm_set1_epi8('<');
    const __m128i greater = _mm_set1_epi8('>');
    const __m128i cr = _mm_set1_epi8('\r');
    while (end - p >= 16) {
        const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
        const __m128i hits =
            _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, ampersand), _mm_cmpeq_epi8(v, less)),
                         _mm_or_si128(_mm_cmpeq_epi8(v, greater), _mm_cmpeq_epi8(v, cr)));
        if (const int mask = _mm_movemask_epi8(hits); mask != 0) {
            return p + std::countr_zero(static_cast<unsigned>(mask));
        }
        p += 16;
    }
#else
    constexpr std::uint64_t k_ones = 0x0101010101010101ULL;
    constexpr std::uint64_t k_high = 0x8080808080808080ULL;
    while (end - p >= 8) {
        std::uint64_t word;
        std::memcpy(&word, p, sizeof word);
        auto has = [word](char c) {
            const std::uint64_t x = word ^ (k_ones * static_cast<unsigned char>(c));
            return (x - k_ones) & ~x & k_high;
        };
        if ((has('&') | has('<') | has('>') | has('\r')) != 0) {
            break;
        }
        p += 8;
    }
#endif
    return p;
}

constexpr std::string_view k_escaped_ampersand = "&#38;";  // how libxml2 hands over '&'

}  // namespace

void append_escaped_text(std::string& out, std::string_view text) {
    const char* p = text.data();
    const char* const end = p + text.size();
    for (;;) {
        const char* run = p;
        p = skip_unescaped_words(p, end);
        while (p < end && k_text_escapes[static_cast<unsigned char>(*p)] == nullptr) {
            ++p;
        }
        out.append(run, static_cast<std::size_t>(p - run));
        if (p == end) {
            return;
        }
        out += k_text_escapes[static_cast<unsigned char>(*p++)];
    }
}

void append_escaped_attribute(std::string& out, std::string_view value) {
    const char* p = value.data();
    const char* const end = p + value.size();
    for (;;) {
        const char* run = p;
        while (p < end && k_attribute_escapes[static_cast<unsigned char>(*p)] == nullptr) {
            ++p;
        }
        out.append(run, static_cast<std::size_t>(p - run));
        if (p == end) {
            return;
        }
        out += k_attribute_escapes[static_cast<unsigned char>(*p)];
        // libxml2's "&#38;" stands for one '&'.
        const bool stand_in =
            std::string_view(p, static_cast<std::size_t>(end - p)).starts_with(k_escaped_ampersand);
        p += stand_in ? k_escaped_ampersand.size() : 1;
    }
}

void decode_attribute(std::string_view value, std::string& out) {
    out.clear();
    for (;;) {
        auto at = value.find(k_escaped_ampersand);
        out.append(value.substr(0, at));
        if (at == std::string_view::npos) {
            return;
        }
        out += '&';
        value.remove_prefix(at + k_escaped_ampersand.size());
    }
}

void SubtreeWriter::begin(std::string& out, std::size_t outer_scope) {
    m_out = &out;
    m_outer_scope = outer_scope;
    m_at_root = true;
    m_start_tag_open = false;
    m_used_outer.clear();
}

void SubtreeWriter::append_name(std::string_view prefix, std::string_view local) {
    if (!prefix.empty()) {
        *m_out += prefix;
        *m_out += ':';
    }
    *m_out += local;
}

void SubtreeWriter::use_prefix(std::string_view prefix) {
    const std::size_t index = m_namespaces.find(prefix);
    // Declared inside the subtree, undeclared (the implicit xml prefix), or xmlns="" outside
    // (no namespace): nothing to add.
    if (index == NamespaceStack::npos || index >= m_outer_scope ||
        m_namespaces.uri(index).empty()) {
        return;
    }
    if (std::find(m_used_outer.begin(), m_used_outer.end(), index) == m_used_outer.end()) {
        m_used_outer.push_back(index);
    }
}

void SubtreeWriter::close_start_tag() {
    if (m_start_tag_open) {
        *m_out += '>';
        m_start_tag_open = false;
    }
}

void SubtreeWriter::start_element(const XmlStartTag& tag) {
    close_start_tag();
    *m_out += '<';
    append_name(tag.prefix, tag.local);
    use_prefix(tag.prefix);  // an unprefixed element uses the default namespace
    for (const auto& ns : tag.namespaces) {
        *m_out += ns.prefix.empty() ? " xmlns" : " xmlns:";
        *m_out += ns.prefix;
        *m_out += "=\"";
        append_escaped_attribute(*m_out, ns.uri);
        *m_out += '"';
    }
    if (m_at_root) {
        m_insert_at = m_out->size();
        m_at_root = false;
    }
    for (const auto& attribute : tag.attributes) {
        *m_out += ' ';
        append_name(attribute.prefix, attribute.local);
        if (!attribute.prefix.empty()) {
            use_prefix(attribute.prefix);  // unprefixed attributes are in no namespace
        }
        *m_out += "=\"";
        append_escaped_attribute(*m_out, attribute.value);
        *m_out += '"';
    }
    m_start_tag_open = true;
}

void SubtreeWriter::end_element(std::string_view prefix, std::string_view local) {
    if (m_start_tag_open) {
        *m_out += "/>";
        m_start_tag_open = false;
        return;
    }
    *m_out += "</";
    append_name(prefix, local);
    *m_out += '>';
}

void SubtreeWriter::text(std::string_view text) {
    close_start_tag();
    append_escaped_text(*m_out, text);
}

void SubtreeWriter::comment(std::string_view text) {
    close_start_tag();
    *m_out += "<!--";
    *m_out += text;
    *m_out += "-->";
}

void SubtreeWriter::processing_instruction(std::string_view target, std::string_view data) {
    close_start_tag();
    *m_out += "<?";
    *m_out += target;
    if (!data.empty()) {
        *m_out += ' ';
        *m_out += data;
    }
    *m_out += "?>";
}

void SubtreeWriter::finish() {
    if (!m_used_outer.empty()) {
        std::string& declarations = m_declarations;
        declarations.clear();
        for (std::size_t index : m_used_outer) {
            auto prefix = m_namespaces.prefix(index);
            declarations += prefix.empty() ? " xmlns" : " xmlns:";
            declarations += prefix;
            declarations += "=\"";
            append_escaped_attribute(declarations, m_namespaces.uri(index));
            declarations += '"';
        }
        m_out->insert(m_insert_at, declarations);
    }
    m_used_outer.clear();
    m_out = nullptr;
}

}  // namespace oaiharvest::oai::detail
