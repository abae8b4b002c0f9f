#include "xml_doc.hpp"

#include <libxml/xpathInternals.h>

namespace oaiharvest::testing {
namespace {

struct ContextFree {
    void operator()(xmlXPathContext* context) const { xmlXPathFreeContext(context); }
};
struct ObjectFree {
    void operator()(xmlXPathObject* object) const { xmlXPathFreeObject(object); }
};

const xmlChar* chars(const char* text) {
    return reinterpret_cast<const xmlChar*>(text);
}

}  // namespace

XmlDoc::XmlDoc(std::string_view xml)
    : m_doc(xmlReadMemory(xml.data(), static_cast<int>(xml.size()), "response.xml", nullptr,
                          XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING)) {}

std::vector<std::string> XmlDoc::strings(const char* xpath) const {
    std::vector<std::string> values;
    if (!m_doc) {
        return values;
    }
    std::unique_ptr<xmlXPathContext, ContextFree> context(xmlXPathNewContext(m_doc.get()));
    const char* namespaces[][2] = {
        {"oai", "http://www.openarchives.org/OAI/2.0/"},
        {"mets", "http://www.loc.gov/METS/"},
        {"mods", "http://www.loc.gov/mods/v3"},
        {"oai_dc", "http://www.openarchives.org/OAI/2.0/oai_dc/"},
        {"dc", "http://purl.org/dc/elements/1.1/"},
        {"xlink", "http://www.w3.org/1999/xlink"},
    };
    for (const auto& [prefix, uri] : namespaces) {
        xmlXPathRegisterNs(context.get(), chars(prefix), chars(uri));
    }
    std::unique_ptr<xmlXPathObject, ObjectFree> result(
        xmlXPathEvalExpression(chars(xpath), context.get()));
    if (!result || result->nodesetval == nullptr) {
        return values;
    }
    for (int i = 0; i < result->nodesetval->nodeNr; ++i) {
        xmlChar* text = xmlXPathCastNodeToString(result->nodesetval->nodeTab[i]);
        values.emplace_back(reinterpret_cast<const char*>(text));
        xmlFree(text);
    }
    return values;
}

std::string XmlDoc::string(const char* xpath) const {
    auto values = strings(xpath);
    return values.empty() ? std::string{} : values.front();
}

}  // namespace oaiharvest::testing
