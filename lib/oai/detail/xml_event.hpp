#pragma once
// The SAX events the reader passes from libxml2 to the OAI-PMH layer, as views on libxml2's
// buffers: valid only during the call that receives them.

#include <span>
#include <string_view>

namespace oaiharvest::oai::detail {

// A namespace declaration on an element: xmlns:prefix="uri" (prefix empty for xmlns="uri").
struct XmlNamespace {
    std::string_view prefix;
    std::string_view uri;
};

// An attribute as sent. libxml2 without entity substitution hands '&' in attribute values over
// as the text "&#38;"; decode_attribute() and the subtree writer undo that.
struct XmlAttribute {
    std::string_view prefix;
    std::string_view local;
    std::string_view value;
};

struct XmlStartTag {
    std::string_view prefix;
    std::string_view local;
    std::span<const XmlNamespace> namespaces;
    std::span<const XmlAttribute> attributes;
};

}  // namespace oaiharvest::oai::detail
