#pragma once
// A parsed XML document for assertions: well-formedness (libxml2, no network, no DTD loading)
// and XPath queries with the OAI-PMH, METS, MODS and Dublin Core prefixes registered
// (oai, mets, mods, oai_dc, dc, xlink). Not thread-safe; one per test.

#include <libxml/parser.h>
#include <libxml/xpath.h>

#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace oaiharvest::testing {

class XmlDoc {
public:
    explicit XmlDoc(std::string_view xml);

    // Whether libxml2 read the whole document without error.
    bool ok() const { return m_doc != nullptr; }
    // The string values of the nodes the expression selects (elements, attributes, text).
    std::vector<std::string> strings(const char* xpath) const;
    // The first of them, or "" when none.
    std::string string(const char* xpath) const;
    std::size_t count(const char* xpath) const { return strings(xpath).size(); }

private:
    struct DocFree {
        void operator()(xmlDoc* doc) const { xmlFreeDoc(doc); }
    };
    std::unique_ptr<xmlDoc, DocFree> m_doc;
};

}  // namespace oaiharvest::testing
