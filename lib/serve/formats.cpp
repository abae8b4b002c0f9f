#include "serve/formats.hpp"

#include <libxml/xmlreader.h>

#include <array>
#include <memory>
#include <sstream>
#include <vector>

namespace oaiharvest::serve {
namespace {

struct Convention {
    std::string_view prefix;
    std::string_view metadata_namespace;
    std::string_view schema;
};

// What these prefixes mean on the servers we harvest, for a format none of whose stored documents
// declares its schema.
constexpr std::array k_conventions{
    Convention{"mods", "http://www.loc.gov/mods/v3",
               "http://www.loc.gov/standards/mods/v3/mods-3-8.xsd"},
    Convention{"mets", "http://www.loc.gov/METS/", "http://www.loc.gov/standards/mets/mets.xsd"},
    Convention{"marcxml", "http://www.loc.gov/MARC21/slim",
               "http://www.loc.gov/standards/marcxml/schema/MARC21slim.xsd"},
    Convention{"marc21", "http://www.loc.gov/MARC21/slim",
               "http://www.loc.gov/standards/marcxml/schema/MARC21slim.xsd"},
    Convention{"didl", "urn:mpeg:mpeg21:2002:02-DIDL-NS",
               "http://standards.iso.org/ittf/PubliclyAvailableStandards/MPEG-21_schema_files/did/"
               "didl.xsd"},
    Convention{"oai_openaire", "http://namespace.openaire.eu/schema/oaire/",
               "https://www.openaire.eu/schema/repo-lit/4.0/openaire.xsd"},
};

struct FreeReader {
    void operator()(xmlTextReaderPtr reader) const { xmlFreeTextReader(reader); }
};
struct FreeXmlString {
    void operator()(xmlChar* text) const { xmlFree(text); }
};

const char* c(const xmlChar* text) {
    return reinterpret_cast<const char*>(text);
}

// The root element's namespace and the schema its xsi:schemaLocation gives for it.
void read_root(const std::string& document, oai::ServedFormat& format) {
    // No DTD, no entities substituted, no network: the document came from a server.
    std::unique_ptr<xmlTextReader, FreeReader> reader(
        xmlReaderForMemory(document.data(), static_cast<int>(document.size()), nullptr, nullptr,
                           XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING));
    if (!reader) {
        return;
    }
    while (xmlTextReaderRead(reader.get()) == 1) {
        if (xmlTextReaderNodeType(reader.get()) != XML_READER_TYPE_ELEMENT) {
            continue;
        }
        if (const xmlChar* ns = xmlTextReaderConstNamespaceUri(reader.get())) {
            format.metadata_namespace = c(ns);
        }
        std::unique_ptr<xmlChar, FreeXmlString> location(xmlTextReaderGetAttributeNs(
            reader.get(), reinterpret_cast<const xmlChar*>("schemaLocation"),
            reinterpret_cast<const xmlChar*>("http://www.w3.org/2001/XMLSchema-instance")));
        if (location && !format.metadata_namespace.empty()) {
            std::istringstream pairs(c(location.get()));
            std::string ns;
            std::string schema;
            while (pairs >> ns >> schema) {
                if (ns == format.metadata_namespace) {
                    format.schema = schema;
                }
            }
        }
        return;
    }
}

}  // namespace

oai::ServedFormat oai_dc_format() {
    return {"oai_dc", "http://www.openarchives.org/OAI/2.0/oai_dc.xsd",
            "http://www.openarchives.org/OAI/2.0/oai_dc/"};
}

oai::ServedFormat harvested_format(const std::string& metadata_prefix,
                                   const std::optional<std::string>& sample) {
    oai::ServedFormat format{metadata_prefix, "", ""};
    if (sample) {
        read_root(*sample, format);
    }
    for (const auto& known : k_conventions) {
        if (known.prefix == metadata_prefix) {
            if (format.metadata_namespace.empty()) {
                format.metadata_namespace = known.metadata_namespace;
            }
            if (format.schema.empty() && format.metadata_namespace == known.metadata_namespace) {
                format.schema = known.schema;
            }
        }
    }
    // Both are required by the protocol: say what little is known rather than nothing.
    if (format.metadata_namespace.empty()) {
        format.metadata_namespace = "urn:oaiharvest:format:" + metadata_prefix;
    }
    if (format.schema.empty()) {
        format.schema = format.metadata_namespace;
    }
    return format;
}

}  // namespace oaiharvest::serve
