#pragma once
// Records taken out of a whole OAI-PMH response, their metadata made standalone the way the
// harvester stores it: the child of <metadata> copied into a document of its own, so that the
// namespaces it borrows from the envelope (xsi:) are declared on it.

#include <libxml/parser.h>
#include <libxml/tree.h>

#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace oaiharvest::test {

struct OaiRecord {
    std::string identifier;
    bool deleted = false;
    std::string metadata;           // standalone, namespaces declared
    std::string metadata_in_place;  // serialized where it stood: xsi: left undeclared
};

namespace detail {

struct DocFree {
    void operator()(xmlDoc* doc) const { xmlFreeDoc(doc); }
};
struct BufferFree {
    void operator()(xmlBuffer* buffer) const { xmlBufferFree(buffer); }
};

inline bool is_oai(const xmlNode* node, std::string_view name) {
    return node->type == XML_ELEMENT_NODE && node->ns != nullptr &&
           std::string_view(reinterpret_cast<const char*>(node->ns->href)) ==
               "http://www.openarchives.org/OAI/2.0/" &&
           std::string_view(reinterpret_cast<const char*>(node->name)) == name;
}

inline std::string dump(xmlDoc* doc, xmlNode* node) {
    std::unique_ptr<xmlBuffer, BufferFree> buffer(xmlBufferCreate());
    xmlNodeDump(buffer.get(), doc, node, 0, 0);
    return reinterpret_cast<const char*>(xmlBufferContent(buffer.get()));
}

inline std::string standalone(xmlNode* element) {
    std::unique_ptr<xmlDoc, DocFree> doc(xmlNewDoc(reinterpret_cast<const xmlChar*>("1.0")));
    xmlNode* copy = xmlDocCopyNode(element, doc.get(), 1);
    xmlDocSetRootElement(doc.get(), copy);
    xmlReconciliateNs(doc.get(), copy);
    return dump(doc.get(), copy);
}

inline void collect(xmlDoc* doc, xmlNode* node, std::vector<OaiRecord>& out) {
    for (xmlNode* c = node->children; c != nullptr; c = c->next) {
        if (!is_oai(c, "record")) {
            collect(doc, c, out);
            continue;
        }
        OaiRecord record;
        for (xmlNode* part = c->children; part != nullptr; part = part->next) {
            if (is_oai(part, "header")) {
                xmlChar* status = xmlGetProp(part, reinterpret_cast<const xmlChar*>("status"));
                record.deleted = status != nullptr;
                xmlFree(status);
                for (xmlNode* h = part->children; h != nullptr; h = h->next) {
                    if (is_oai(h, "identifier")) {
                        xmlChar* text = xmlNodeGetContent(h);
                        record.identifier = reinterpret_cast<const char*>(text);
                        xmlFree(text);
                    }
                }
            } else if (is_oai(part, "metadata")) {
                for (xmlNode* m = part->children; m != nullptr; m = m->next) {
                    if (m->type == XML_ELEMENT_NODE) {
                        record.metadata = standalone(m);
                        record.metadata_in_place = dump(doc, m);
                        break;
                    }
                }
            }
        }
        out.push_back(std::move(record));
    }
}

}  // namespace detail

// Every record of an OAI-PMH response, deleted ones included (their metadata empty).
inline std::vector<OaiRecord> oai_records(const std::string& response) {
    std::unique_ptr<xmlDoc, detail::DocFree> doc(
        xmlReadMemory(response.data(), static_cast<int>(response.size()), nullptr, nullptr,
                      XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING));
    if (!doc) {
        throw std::runtime_error("fixture is not well-formed XML");
    }
    std::vector<OaiRecord> records;
    detail::collect(doc.get(), xmlDocGetRootElement(doc.get()), records);
    return records;
}

}  // namespace oaiharvest::test
