#include "support/schema_check.hpp"

#include <libxml/catalog.h>
#include <libxml/parser.h>
#include <libxml/xmlIO.h>
#include <libxml/xmlerror.h>
#include <libxml/xmlschemas.h>

#include <algorithm>
#include <climits>
#include <exception>
#include <memory>
#include <new>
#include <stdexcept>

#include "support/fixtures.hpp"

namespace oaiharvest::test {
namespace {

#if LIBXML_VERSION >= 21200
using ErrorPointer = const xmlError*;
#else
using ErrorPointer = xmlErrorPtr;
#endif

struct SchemaParserFree {
    void operator()(xmlSchemaParserCtxt* parser) const { xmlSchemaFreeParserCtxt(parser); }
};
struct SchemaFree {
    void operator()(xmlSchema* schema) const { xmlSchemaFree(schema); }
};
struct ValidFree {
    void operator()(xmlSchemaValidCtxt* valid) const { xmlSchemaFreeValidCtxt(valid); }
};
struct ParserFree {
    void operator()(xmlParserCtxt* parser) const { xmlFreeParserCtxt(parser); }
};
struct DocFree {
    void operator()(xmlDoc* doc) const { xmlFreeDoc(doc); }
};
using SchemaPtr = std::unique_ptr<xmlSchema, SchemaFree>;

// Line numbers past 65535 are kept (a ListRecords page can be that long). No XML_PARSE_NOENT,
// no XML_PARSE_DTDLOAD: the document is checked as it is, nothing is fetched or expanded.
constexpr int k_parse_options = XML_PARSE_NONET | XML_PARSE_BIG_LINES;

// libxml2's errors of one parse or validation, gathered instead of printed. Warnings are left
// out: the schemas themselves give one ("Skipping import of schema"), harmless, because three
// of them import the xml: namespace from different URLs. No exception may cross libxml2: the
// first is kept, and rethrown once the C call has returned.
struct Messages {
    std::string text;
    std::exception_ptr exception;

    void add(ErrorPointer error) noexcept {
        if (error == nullptr || exception || error->level < XML_ERR_ERROR) {
            return;
        }
        try {
            std::string message = error->message != nullptr ? error->message : "(no message)";
            while (!message.empty() && (message.back() == '\n' || message.back() == ' ')) {
                message.pop_back();
            }
            // "Input is not proper UTF-8 ...\nBytes: ...": one message, one line.
            std::ranges::replace(message, '\n', ' ');
            text += "line " + std::to_string(error->line) + ": " + message + "\n";
        } catch (...) {
            exception = std::current_exception();
        }
    }
    void rethrow() const {
        if (exception) {
            std::rethrow_exception(exception);
        }
    }
};

void collect(void* messages, ErrorPointer error) {
    static_cast<Messages*>(messages)->add(error);
}

// The schema parser reads each xs:import through the global external entity loader, with
// XML_PARSE_NOENT and never XML_PARSE_NONET (xmlschemas.c, SCHEMAS_PARSE_OPTIONS), and this
// libxml2 can fetch http:// URLs. For as long as this lives the loader is libxml2's no-network
// one, which resolves through the catalogs and refuses http and ftp: a URL catalog.xml misses
// is an error, never a download. (Another thread's parse meanwhile only loses the network.)
class NoNetworkLoader {
public:
    NoNetworkLoader() : m_previous(xmlGetExternalEntityLoader()) {
        xmlSetExternalEntityLoader(xmlNoNetExternalEntityLoader);
    }
    ~NoNetworkLoader() { xmlSetExternalEntityLoader(m_previous); }
    NoNetworkLoader(const NoNetworkLoader&) = delete;
    NoNetworkLoader& operator=(const NoNetworkLoader&) = delete;
    NoNetworkLoader(NoNetworkLoader&&) = delete;
    NoNetworkLoader& operator=(NoNetworkLoader&&) = delete;

private:
    xmlExternalEntityLoader m_previous;
};

SchemaPtr load_schema() {
    xmlInitParser();
    const std::string catalog = fixture_path("schemas/catalog.xml");
    if (xmlLoadCatalog(catalog.c_str()) != 0) {
        throw std::runtime_error("cannot load the XML catalog " + catalog);
    }
    const std::string wrapper = fixture_path("schemas/oai-pmh-all.xsd");
    const NoNetworkLoader no_network;
    std::unique_ptr<xmlSchemaParserCtxt, SchemaParserFree> parser(
        xmlSchemaNewParserCtxt(wrapper.c_str()));
    if (!parser) {
        throw std::bad_alloc();
    }
    Messages messages;
    xmlSchemaSetParserStructuredErrors(parser.get(), collect, &messages);
    SchemaPtr schema(xmlSchemaParse(parser.get()));
    messages.rethrow();
    if (!schema) {
        throw std::runtime_error("the schemas of " + wrapper + " did not compile:\n" +
                                 messages.text);
    }
    return schema;
}

xmlSchema* oai_pmh_schema() {
    // Parsed by the first caller while any other waits; a throw leaves it for the next call.
    static const SchemaPtr schema = load_schema();
    return schema.get();
}

}  // namespace

std::optional<std::string> schema_errors(std::string_view xml_document) {
    xmlSchema* schema = oai_pmh_schema();
    if (xml_document.size() > static_cast<std::size_t>(INT_MAX)) {
        throw std::length_error("a document over 2 GiB cannot be validated");
    }
    Messages messages;
    std::unique_ptr<xmlParserCtxt, ParserFree> parser(xmlNewParserCtxt());
    if (!parser) {
        throw std::bad_alloc();
    }
    // libxml2 hands the structured handler ctxt->userData, which is the context itself.
    parser->_private = &messages;
    parser->sax->serror = [](void* user, ErrorPointer error) {
        collect(static_cast<xmlParserCtxt*>(user)->_private, error);
    };
    std::unique_ptr<xmlDoc, DocFree> doc(
        xmlCtxtReadMemory(parser.get(), xml_document.data(), static_cast<int>(xml_document.size()),
                          "response.xml", nullptr, k_parse_options));
    messages.rethrow();
    if (!doc || parser->wellFormed == 0) {
        return messages.text.empty() ? "not well-formed (libxml2 gave no message)\n"
                                     : std::move(messages.text);
    }

    std::unique_ptr<xmlSchemaValidCtxt, ValidFree> valid(xmlSchemaNewValidCtxt(schema));
    if (!valid) {
        throw std::bad_alloc();
    }
    xmlSchemaSetValidStructuredErrors(valid.get(), collect, &messages);
    const int rc = xmlSchemaValidateDoc(valid.get(), doc.get());
    messages.rethrow();
    if (rc < 0) {
        throw std::runtime_error("libxml2 failed inside schema validation:\n" + messages.text);
    }
    if (rc == 0) {
        return std::nullopt;
    }
    return messages.text.empty() ? "invalid (libxml2 gave no message)\n" : std::move(messages.text);
}

}  // namespace oaiharvest::test
