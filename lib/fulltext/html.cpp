// text/html through libxml2's HTML parser.

#include <libxml/HTMLparser.h>
#include <libxml/tree.h>

#include <array>
#include <climits>
#include <cstring>
#include <memory>

#include "fulltext/detail/clean.hpp"
#include "fulltext/text.hpp"

namespace oaiharvest::fulltext {
namespace {

struct DocFree {
    void operator()(xmlDoc* doc) const { xmlFreeDoc(doc); }
};
using DocPtr = std::unique_ptr<xmlDoc, DocFree>;

// No network, no error output on our stderr; never XML_PARSE_NOENT or XML_PARSE_HUGE: entity
// expansion and unbounded text nodes are what a hostile page would use.
constexpr int k_parse_options =
    HTML_PARSE_NONET | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING | HTML_PARSE_COMPACT;

bool named(const xmlNode* node, const char* name) {
    return xmlStrcasecmp(node->name, reinterpret_cast<const xmlChar*>(name)) == 0;
}

bool is_skipped(const xmlNode* node) {
    return named(node, "script") || named(node, "style") || named(node, "noscript") ||
           named(node, "template");
}

bool is_block(const xmlNode* node) {
    static constexpr std::array k_blocks = {
        "address", "article", "aside",  "blockquote", "br",    "caption",   "dd",   "div",
        "dl",      "dt",      "figure", "footer",     "form",  "h1",        "h2",   "h3",
        "h4",      "h5",      "h6",     "header",     "hr",    "li",        "main", "nav",
        "ol",      "p",       "pre",    "section",    "table", "td",        "th",   "title",
        "tr",      "ul",      "body",   "head",       "html",  "figcaption"};
    for (const char* name : k_blocks) {
        if (named(node, name)) {
            return true;
        }
    }
    return false;
}

// Gathers the text, collapsing white space as a browser would (outside <pre> too: the index
// does not care) and ending a line at each block.
class TextWriter {
public:
    explicit TextWriter(std::size_t max_bytes) : m_max(max_bytes) {}

    void text(std::string_view content) {
        for (char c : content) {
            if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f') {
                m_space = true;
                continue;
            }
            if (m_space && !m_out.empty() && m_out.back() != '\n') {
                put(" ");
            }
            m_space = false;
            put(std::string_view(&c, 1));
        }
    }
    void line_break() {
        m_space = false;
        if (!m_out.empty() && m_out.back() != '\n') {
            put("\n");
        }
    }
    std::string finish() {
        detail::trim_end(m_out);
        return std::move(m_out);
    }

private:
    // Bytes are gathered raw and cleaned at the end: a UTF-8 sequence must not be judged one
    // byte at a time.
    void put(std::string_view bytes) {
        if (m_out.size() + bytes.size() <= m_max) {
            m_out.append(bytes);
        }
    }
    std::size_t m_max;
    std::string m_out;
    bool m_space = false;
};

// Iterative: a page nested ten thousand deep must not take the stack.
void walk(const xmlNode* root, TextWriter& writer) {
    const xmlNode* node = root;
    while (node) {
        bool descend = false;
        if (node->type == XML_ELEMENT_NODE) {
            if (!is_skipped(node)) {
                if (is_block(node)) {
                    writer.line_break();
                }
                descend = node->children != nullptr;
            }
        } else if (node->type == XML_TEXT_NODE || node->type == XML_CDATA_SECTION_NODE) {
            if (node->content) {
                writer.text(reinterpret_cast<const char*>(node->content));
            }
        }
        if (descend) {
            node = node->children;
            continue;
        }
        // Up until a node with a next sibling, ending each block left.
        while (node && node != root && !node->next) {
            node = node->parent;
            if (node && node->type == XML_ELEMENT_NODE && is_block(node)) {
                writer.line_break();
            }
        }
        if (!node || node == root) {
            break;
        }
        if (node->type == XML_ELEMENT_NODE && is_block(node)) {
            writer.line_break();
        }
        node = node->next;
    }
}

DocPtr parse(std::string_view bytes, const std::string& encoding) {
    return DocPtr(htmlReadMemory(bytes.data(), static_cast<int>(bytes.size()), nullptr,
                                 encoding.empty() ? nullptr : encoding.c_str(), k_parse_options));
}

// Whether the page is UTF-8: the charset given, else the one libxml2 found declared (none
// declared: UTF-8).
bool is_utf8(const xmlChar* declared, const std::string& given) {
    const char* name = given.empty() ? reinterpret_cast<const char*>(declared) : given.c_str();
    return name == nullptr ||
           xmlStrcasecmp(reinterpret_cast<const xmlChar*>(name),
                         reinterpret_cast<const xmlChar*>("utf-8")) == 0 ||
           xmlStrcasecmp(reinterpret_cast<const xmlChar*>(name),
                         reinterpret_cast<const xmlChar*>("utf8")) == 0;
}

}  // namespace

std::expected<std::string, std::string> html_text(std::string_view bytes, std::size_t max_bytes,
                                                  std::string_view charset) {
    if (bytes.size() > static_cast<std::size_t>(INT_MAX)) {
        return std::unexpected("the page is larger than libxml2 can read");
    }
    const std::string encoding(charset);
    DocPtr doc = parse(bytes, encoding);
    // A page in UTF-8 (said so, or saying nothing) with a bad byte: libxml2 has read it all as
    // Latin-1. Read it again repaired, so that one bad byte costs one character.
    if (doc && is_utf8(encoding.empty() ? doc->encoding : nullptr, encoding)) {
        if (auto repaired = detail::repaired_utf8(bytes)) {
            doc = parse(*repaired, "UTF-8");
        }
    }
    if (!doc) {
        return std::unexpected("libxml2 could not read the page as HTML");
    }
    // The raw text may hold a character's bytes cut by the cap: gather a little more, clean,
    // then cut at the cap on a character boundary.
    TextWriter writer(max_bytes + 4);
    if (const xmlNode* root = xmlDocGetRootElement(doc.get())) {
        walk(root, writer);
    }
    std::string raw = writer.finish();
    std::string out;
    detail::append_clean(out, raw, max_bytes);
    detail::trim_end(out);
    return out;
}

}  // namespace oaiharvest::fulltext
