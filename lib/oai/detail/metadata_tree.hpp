#pragma once
// MetadataTree: builds the child of a record's <metadata> as a libxml2 tree from the SAX events
// that stream past, so that the metadata layer reads the record without parsing its XML a
// second time (docs/performance.md). The tree matches what parsing the SubtreeWriter's text
// would give the readers: elements with their namespace URI, attributes with their decoded
// values, adjacent text in one text node; comments and processing instructions are left out
// (the readers skip them). Prefixes are not kept. One tree at a time, its memory reused from
// record to record. Not thread-safe.

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "oai/detail/namespace_stack.hpp"
#include "oai/detail/xml_event.hpp"

struct _xmlDict;
struct _xmlDoc;
struct _xmlNode;
struct _xmlNs;

namespace oaiharvest::oai::detail {

class MetadataTree {
public:
    explicit MetadataTree(const NamespaceStack& namespaces) : m_namespaces(namespaces) {}
    ~MetadataTree();
    MetadataTree(const MetadataTree&) = delete;
    MetadataTree& operator=(const MetadataTree&) = delete;
    MetadataTree(MetadataTree&&) = delete;
    MetadataTree& operator=(MetadataTree&&) = delete;

    // The parser's name dictionary: nodes then point at the names it already holds instead of
    // copying and freeing each. Before the first start_element.
    void use_dictionary(_xmlDict* names) { m_names = names; }
    // Drops the tree held; the next start_element is a new root.
    void clear();
    // An element start; its own declarations must already be on the namespace stack.
    void start_element(const XmlStartTag& tag);
    void end_element();
    void text(std::string_view text);
    // The root once its end_element has come; nullptr before, and after clear().
    const _xmlNode* root() const { return m_complete ? m_root : nullptr; }

private:
    _xmlNs* namespace_of(std::string_view prefix, bool is_attribute);
    void flush_text();
    void release_text();
    const unsigned char* interned_name(std::string_view name) const;

    const NamespaceStack& m_namespaces;
    _xmlDict* m_names = nullptr;
    _xmlDoc* m_doc = nullptr;  // made once, holds each root in turn
    _xmlNode* m_root = nullptr;
    _xmlNode* m_current = nullptr;  // the open element
    bool m_complete = false;
    std::string m_text;                                       // text not yet in the tree
    std::string m_name;                                       // a name, NUL-terminated for libxml2
    std::string m_value;                                      // an attribute value, decoded
    std::vector<std::pair<std::string, _xmlNs*>> m_declared;  // URI -> declared on m_root
};

}  // namespace oaiharvest::oai::detail
