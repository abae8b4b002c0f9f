#pragma once
// SubtreeWriter: serializes one element and its subtree back to XML from SAX events, so that it
// stands alone: names with the prefixes as sent, text and attribute values re-escaped, comments
// and processing instructions kept, and every namespace declaration the subtree uses but does
// not make itself (xsi declared only on the OAI-PMH root, the OAI default namespace) added to
// the root's start tag. Declarations the subtree makes stay where they were; unused outer ones
// are not added. Not thread-safe.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "oai/detail/namespace_stack.hpp"
#include "oai/detail/xml_event.hpp"

namespace oaiharvest::oai::detail {

// Appends text escaped for element content: & < > and CR (as "&#13;", so that a CR survives the
// next parse, which would otherwise turn it into LF).
void append_escaped_text(std::string& out, std::string_view text);
// Appends an attribute value (as XmlAttribute holds it) escaped for a double-quoted attribute;
// TAB, LF and CR as character references, which attribute normalization would otherwise eat.
void append_escaped_attribute(std::string& out, std::string_view value);
// Assigns to out an attribute value as XmlAttribute holds it, with "&#38;" made '&' again.
void decode_attribute(std::string_view value, std::string& out);

class SubtreeWriter {
public:
    explicit SubtreeWriter(const NamespaceStack& namespaces) : m_namespaces(namespaces) {}

    // Starts a subtree whose root is the next start_element, appended to out, which must
    // outlive finish(). outer_scope: the namespace stack's size before the root's own
    // declarations were pushed; what lies below it is declared outside the subtree.
    void begin(std::string& out, std::size_t outer_scope);
    // An element start; its own declarations must already be on the namespace stack.
    void start_element(const XmlStartTag& tag);
    void end_element(std::string_view prefix, std::string_view local);
    void text(std::string_view text);
    void comment(std::string_view text);
    void processing_instruction(std::string_view target, std::string_view data);
    // After the root's end_element: adds the outer declarations the subtree used.
    void finish();

private:
    void close_start_tag();
    void use_prefix(std::string_view prefix);
    void append_name(std::string_view prefix, std::string_view local);

    const NamespaceStack& m_namespaces;
    std::string* m_out = nullptr;
    std::size_t m_outer_scope = 0;
    std::size_t m_insert_at = 0;            // in *m_out: where the root's added declarations go
    bool m_at_root = false;                 // the next start_element is the root
    bool m_start_tag_open = false;          // "<name attributes" written, no '>' yet
    std::vector<std::size_t> m_used_outer;  // m_namespaces indices, in order of first use
    std::string m_declarations;             // finish()'s buffer, kept for reuse
};

}  // namespace oaiharvest::oai::detail
