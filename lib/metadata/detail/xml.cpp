#include "metadata/detail/xml.hpp"

#include <libxml/parser.h>
#include <libxml/xmlerror.h>

#include <algorithm>
#include <climits>
#include <cstring>

#include "metadata/detail/clean.hpp"

namespace oaiharvest::metadata::detail {
namespace {

struct CtxtDeleter {
    void operator()(xmlParserCtxt* ctxt) const { xmlFreeParserCtxt(ctxt); }
};
using CtxtPtr = std::unique_ptr<xmlParserCtxt, CtxtDeleter>;

// Never XML_PARSE_NOENT, XML_PARSE_DTDLOAD or XML_PARSE_HUGE: no entity expansion, no external
// DTD, libxml2's size limits kept. NOBLANKS would drop the space in "<b>a</b> <i>b</i>".
constexpr int k_options = XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING |
                          XML_PARSE_NOCDATA | XML_PARSE_COMPACT | XML_PARSE_BIG_LINES;

// The first errors libxml2 reports for one parse (it goes on after a fatal error, and the last
// message is then rarely the useful one).
struct FirstErrors {
    std::string fatal;
    std::string any;
};

std::string describe_error(const xmlError& error) {
    std::string_view message = error.message != nullptr ? error.message : "not well-formed";
    while (!message.empty() && (message.back() == '\n' || message.back() == ' ')) {
        message.remove_suffix(1);
    }
    std::string out = "line " + std::to_string(error.line) + ", column " +
                      std::to_string(error.int2) + ": " + std::string(message);
    std::ranges::replace(out, '\n', ' ');  // "Input is not proper UTF-8 ...\nBytes: ..."
    return out;
}

void initialize_libxml() {
    // xmlInitParser is not safe to race; a function-local static is.
    static const bool initialized = [] {
        xmlInitParser();
        return true;
    }();
    (void)initialized;
}

bool is_uri(const xmlChar* href, std::string_view uri) {
    return std::strncmp(reinterpret_cast<const char*>(href), uri.data(), uri.size()) == 0 &&
           href[uri.size()] == 0;
}

}  // namespace

Ns ns_of_uri(const xmlNs* ns) {
    if (ns == nullptr || ns->href == nullptr) {
        return Ns::none;
    }
    const xmlChar* href = ns->href;
    // The length tells the known namespaces apart before one whole comparison.
    switch (std::strlen(reinterpret_cast<const char*>(href))) {
        case 26:
            return is_uri(href, "http://www.loc.gov/mods/v3") ? Ns::mods : Ns::other;
        case 24:
            return is_uri(href, "http://www.loc.gov/METS/") ? Ns::mets : Ns::other;
        case 28:
            return is_uri(href, "http://www.w3.org/1999/xlink")   ? Ns::xlink
                   : is_uri(href, "http://www.w3.org/1999/xhtml") ? Ns::xhtml
                                                                  : Ns::other;
        case 43:
            return is_uri(href, "http://www.openarchives.org/OAI/2.0/oai_dc/") ? Ns::oai_dc
                                                                               : Ns::other;
        case 32:
            return is_uri(href, "http://purl.org/dc/elements/1.1/") ? Ns::dc : Ns::other;
        case 25:
            return is_uri(href, "http://purl.org/dc/terms/") ? Ns::dcterms : Ns::other;
        case 39:
            return is_uri(href, "http://worldcat.org/xmlschemas/qdc-1.0/") ? Ns::qdc : Ns::other;
        default:
            return Ns::other;
    }
}

Ns ns_of(const xmlNode* node) {
    return ns_of_uri(node->ns);
}

bool iequals(std::string_view a, std::string_view b) {
    return std::ranges::equal(a, b, [](char x, char y) {
        const auto lower = [](char c) {
            return c >= 'A' && c <= 'Z' ? static_cast<char>(c | 0x20) : c;
        };
        return lower(x) == lower(y);
    });
}

const xmlNode* child(const xmlNode* node, Ns ns, std::string_view local) {
    for (const xmlNode* c : Elements(node)) {
        if (is(c, ns, local)) {
            return c;
        }
    }
    return nullptr;
}

std::optional<std::string_view> attribute(const xmlNode* node, std::string_view name, Ns ns) {
    for (const xmlAttr* a = node->properties; a != nullptr; a = a->next) {
        if (reinterpret_cast<const char*>(a->name) != name) {
            continue;
        }
        if (ns_of_uri(a->ns) != ns) {
            continue;
        }
        // Without entity substitution an attribute holds one text node (predefined entities and
        // character references are folded into it), or none when empty.
        const xmlNode* value = a->children;
        if (value == nullptr || value->content == nullptr) {
            return std::string_view();
        }
        return std::string_view(reinterpret_cast<const char*>(value->content));
    }
    return std::nullopt;
}

bool attribute_is(const xmlNode* node, std::string_view name, std::string_view value) {
    const auto found = attribute(node, name);
    return found && iequals(*found, value);
}

// What goes around an element's text in gather(): k_break, a space, or nothing ('\0').
char boundary_of(const xmlNode* element) {
    const Ns ns = ns_of(element);
    const HtmlTag kind =
        ns == Ns::xhtml || ns == Ns::none ? html_tag(local_name(element)) : HtmlTag::unknown;
    return kind == HtmlTag::block ? k_break : kind == HtmlTag::inline_ ? '\0' : ' ';
}

// A walk by the nodes' own links, not by recursion: the record sets how deep it goes.
void gather(const xmlNode* node, std::string& out) {
    const xmlNode* c = node->children;
    while (c != nullptr) {
        if (c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) {
            if (c->content != nullptr) {
                out.append(reinterpret_cast<const char*>(c->content));
            }
        } else if (c->type == XML_ELEMENT_NODE) {
            const char boundary = boundary_of(c);
            if (boundary != '\0') {
                out.push_back(boundary);
            }
            if (c->children != nullptr) {
                c = c->children;
                continue;
            }
            if (boundary != '\0') {
                out.push_back(boundary);
            }
        }
        // On to the next sibling, closing each element whose last child this was.
        while (c->next == nullptr) {
            c = c->parent;
            if (c == nullptr || c == node) {
                return;
            }
            if (const char boundary = boundary_of(c); boundary != '\0') {
                out.push_back(boundary);
            }
        }
        c = c->next;
    }
}

std::optional<std::string> text(const xmlNode* node) {
    const xmlNode* only = node->children;
    if (only == nullptr) {
        return std::nullopt;
    }
    // The common case, one text node, is cleaned in place.
    if (only->next == nullptr && only->type == XML_TEXT_NODE && only->content != nullptr) {
        return clean(reinterpret_cast<const char*>(only->content));
    }
    std::string raw;
    gather(node, raw);
    return clean(raw);
}

void set_once(std::optional<std::string>& field, const xmlNode* node) {
    if (!field) {
        field = text(node);
    }
}

Parsed parse(std::string_view xml) {
    initialize_libxml();
    if (xml.size() > static_cast<std::size_t>(INT_MAX)) {
        return {nullptr, "metadata too large to read"};
    }
    CtxtPtr ctxt(xmlNewParserCtxt());
    if (!ctxt) {
        return {nullptr, "out of memory creating the XML parser"};
    }
    FirstErrors errors;
    ctxt->_private = &errors;
    // libxml2 hands the structured handler ctxt->userData, which is the context itself. Nothing
    // may be thrown back through libxml2: a message that cannot be kept is dropped.
    ctxt->sax->serror = [](void* user, auto* error) {
        const auto* self = static_cast<const xmlParserCtxt*>(user);
        auto* first = self != nullptr ? static_cast<FirstErrors*>(self->_private) : nullptr;
        if (first == nullptr || error == nullptr) {
            return;
        }
        try {
            if (error->level == XML_ERR_FATAL && first->fatal.empty()) {
                first->fatal = describe_error(*error);
            } else if (error->level >= XML_ERR_ERROR && first->any.empty()) {
                first->any = describe_error(*error);
            }
        } catch (...) {  // NOLINT(bugprone-empty-catch): see above
        }
    };
    DocPtr doc(xmlCtxtReadMemory(ctxt.get(), xml.data(), static_cast<int>(xml.size()), nullptr,
                                 "UTF-8", k_options));
    if (doc && ctxt->wellFormed) {
        return {std::move(doc), {}};
    }
    std::string error = !errors.fatal.empty()       ? std::move(errors.fatal)
                        : !errors.any.empty()       ? std::move(errors.any)
                        : ctxt->lastError.code != 0 ? describe_error(ctxt->lastError)
                                                    : std::string("not well-formed XML");
    return {nullptr, std::move(error)};
}

}  // namespace oaiharvest::metadata::detail
