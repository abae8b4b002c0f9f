#include "oai/detail/metadata_tree.hpp"

#include <libxml/tree.h>
// after tree.h, which it needs
#include <libxml/dict.h>

#include <new>

#include "oai/detail/subtree_writer.hpp"

namespace oaiharvest::oai::detail {
namespace {

const xmlChar* xml(const std::string& text) {
    return reinterpret_cast<const xmlChar*>(text.c_str());
}

constexpr std::string_view k_xml_namespace = "http://www.w3.org/XML/1998/namespace";

}  // namespace

MetadataTree::~MetadataTree() {
    if (m_doc != nullptr) {
        xmlFreeDoc(m_doc);  // with the root it holds
    }
}

void MetadataTree::clear() {
    if (m_root != nullptr) {
        xmlUnlinkNode(m_root);
        xmlFreeNode(m_root);
    }
    m_root = nullptr;
    m_current = nullptr;
    m_complete = false;
    release_text();
    m_declared.clear();
}

// Every namespace the tree uses is declared once, on the root, under a prefix of its own
// ("n0", "n1", ...): the readers match by URI alone.
xmlNs* MetadataTree::namespace_of(std::string_view prefix, bool is_attribute) {
    if (is_attribute && prefix.empty()) {
        return nullptr;  // an unprefixed attribute is in no namespace
    }
    std::string_view uri;
    if (prefix == "xml") {
        uri = k_xml_namespace;
    } else if (auto index = m_namespaces.find(prefix); index != NamespaceStack::npos) {
        uri = m_namespaces.uri(index);
    }
    if (uri.empty()) {
        return nullptr;  // undeclared, or xmlns="" : no namespace, as a parse would give
    }
    for (const auto& [declared, ns] : m_declared) {
        if (declared == uri) {
            return ns;
        }
    }
    m_name = "n" + std::to_string(m_declared.size());
    auto& [declared, ns] = m_declared.emplace_back(std::string(uri), nullptr);
    ns = xmlNewNs(m_root, xml(declared), xml(m_name));
    if (ns == nullptr) {
        throw std::bad_alloc();
    }
    return ns;
}

// A name the parser handed over is a string of its dictionary, NUL-terminated: the node can
// point at it (libxml2 never frees what the dictionary owns). nullptr for any other string.
const xmlChar* MetadataTree::interned_name(std::string_view name) const {
    const auto* text = reinterpret_cast<const xmlChar*>(name.data());
    if (m_names == nullptr || text == nullptr || xmlDictOwns(m_names, text) != 1 ||
        text[name.size()] != 0) {
        return nullptr;
    }
    return text;
}

void MetadataTree::flush_text() {
    if (m_text.empty() || m_current == nullptr) {
        m_text.clear();
        return;
    }
    xmlNode* node = xmlNewDocTextLen(m_doc, reinterpret_cast<const xmlChar*>(m_text.data()),
                                     static_cast<int>(m_text.size()));
    if (node == nullptr) {
        throw std::bad_alloc();
    }
    xmlAddChild(m_current, node);
    release_text();
}

// The text of a large record is not kept allocated for the records after it.
void MetadataTree::release_text() {
    if (m_text.capacity() > (std::size_t{1} << 20)) {
        std::string().swap(m_text);
    } else {
        m_text.clear();
    }
}

void MetadataTree::start_element(const XmlStartTag& tag) {
    if (m_doc == nullptr) {
        m_doc = xmlNewDoc(reinterpret_cast<const xmlChar*>("1.0"));
        if (m_doc == nullptr) {
            throw std::bad_alloc();
        }
        if (m_names != nullptr) {
            m_doc->dict = m_names;
            xmlDictReference(m_names);  // released by xmlFreeDoc
        }
    }
    flush_text();
    xmlNode* element = nullptr;
    if (const xmlChar* interned = interned_name(tag.local)) {
        element = xmlNewDocNodeEatName(m_doc, nullptr, const_cast<xmlChar*>(interned), nullptr);
    } else {
        m_name.assign(tag.local);
        element = xmlNewDocNode(m_doc, nullptr, xml(m_name), nullptr);
    }
    if (element == nullptr) {
        throw std::bad_alloc();
    }
    if (m_root == nullptr) {
        m_root = element;
        // The standalone text the SubtreeWriter makes starts with the root: line 1.
        m_root->line = 1;
        xmlDocSetRootElement(m_doc, m_root);
    } else {
        xmlAddChild(m_current, element);
    }
    m_current = element;
    xmlSetNs(element, namespace_of(tag.prefix, false));
    for (const auto& attribute : tag.attributes) {
        xmlNs* ns = namespace_of(attribute.prefix, true);
        decode_attribute(attribute.value, m_value);
        xmlAttr* made = nullptr;
        if (const xmlChar* interned = interned_name(attribute.local)) {
            made = xmlNewNsPropEatName(element, ns, const_cast<xmlChar*>(interned), xml(m_value));
        } else {
            m_name.assign(attribute.local);
            made = xmlNewNsProp(element, ns, xml(m_name), xml(m_value));
        }
        if (made == nullptr) {
            throw std::bad_alloc();
        }
    }
}

void MetadataTree::end_element() {
    flush_text();
    if (m_current == nullptr) {
        return;
    }
    if (m_current == m_root) {
        m_complete = true;
    }
    m_current =
        m_current->parent != reinterpret_cast<xmlNode*>(m_doc) ? m_current->parent : nullptr;
}

void MetadataTree::text(std::string_view text) {
    if (m_current != nullptr) {
        m_text += text;
    }
}

}  // namespace oaiharvest::oai::detail
