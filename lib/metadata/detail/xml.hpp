#pragma once
// libxml2 access for the readers: one record parsed into a DOM (owned by DocPtr), elements
// matched by namespace URI and local name (never by prefix), attributes and text read in place.
// Thread-safe: nothing is shared between calls.

#include <libxml/tree.h>

#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace oaiharvest::metadata::detail {

// The namespaces the readers know; other for any namespace URI else, none for no namespace.
enum class Ns { none, other, mods, mets, xlink, oai_dc, dc, dcterms, xhtml, qdc };

// The namespace a namespace declaration names (none for nullptr).
Ns ns_of_uri(const xmlNs* ns);

// The namespace of an element.
Ns ns_of(const xmlNode* node);

inline std::string_view local_name(const xmlNode* node) {
    return reinterpret_cast<const char*>(node->name);
}

// True when node is an element named local in namespace ns.
inline bool is(const xmlNode* node, Ns ns, std::string_view local) {
    return node->type == XML_ELEMENT_NODE && local_name(node) == local && ns_of(node) == ns;
}

// ASCII case-insensitive equality, for attribute values such as type="ORCID" or ROLE="custodian".
bool iequals(std::string_view a, std::string_view b);

// The element children of a node, in document order: `for (const xmlNode* c : Elements(n))`.
class Elements {
public:
    class Iterator {
    public:
        explicit Iterator(const xmlNode* node) : m_node(skip(node)) {}
        const xmlNode* operator*() const { return m_node; }
        Iterator& operator++() {
            m_node = skip(m_node->next);
            return *this;
        }
        bool operator==(const Iterator&) const = default;

    private:
        static const xmlNode* skip(const xmlNode* node) {
            while (node != nullptr && node->type != XML_ELEMENT_NODE) {
                node = node->next;
            }
            return node;
        }
        const xmlNode* m_node;
    };

    explicit Elements(const xmlNode* parent) : m_first(parent->children) {}
    Iterator begin() const { return Iterator(m_first); }
    Iterator end() const { return Iterator(nullptr); }

private:
    const xmlNode* m_first;
};

// The first child element named local in ns; nullptr when there is none.
const xmlNode* child(const xmlNode* node, Ns ns, std::string_view local);

// The value of attribute name (in no namespace, or in ns), pointing into the document; nullopt
// when the attribute is absent.
std::optional<std::string_view> attribute(const xmlNode* node, std::string_view name,
                                          Ns ns = Ns::none);

// True when attribute name of node equals value, ignoring ASCII case.
bool attribute_is(const xmlNode* node, std::string_view name, std::string_view value);

// Appends the text of node's descendants to out: text and CDATA as they are; a paragraph break
// (k_break) around HTML block elements (in the XHTML namespace or none) and a space around
// elements that are not HTML.
void gather(const xmlNode* node, std::string& out);

// The cleaned text of node (see clean.hpp); nullopt when nothing is left.
std::optional<std::string> text(const xmlNode* node);

// The text of node into field, unless field holds a value already: the first of several wins.
void set_once(std::optional<std::string>& field, const xmlNode* node);

struct DocDeleter {
    void operator()(xmlDoc* doc) const { xmlFreeDoc(doc); }
};
using DocPtr = std::unique_ptr<xmlDoc, DocDeleter>;

// One record parsed: the document, or null and an error naming line and column. No DTD, no
// entity substitution, no network; errors are not printed.
struct Parsed {
    DocPtr doc;
    std::string error;
};
Parsed parse(std::string_view xml);

}  // namespace oaiharvest::metadata::detail
