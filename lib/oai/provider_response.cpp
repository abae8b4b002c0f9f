#include "oai/provider_response.hpp"

#include <libxml/xmlschemastypes.h>
#include <libxml/xmlwriter.h>

#include <memory>
#include <stdexcept>

#include "util/safe_text.hpp"

namespace oaiharvest::oai {
namespace {

constexpr const char* k_namespace = "http://www.openarchives.org/OAI/2.0/";
constexpr const char* k_schema_location =
    "http://www.openarchives.org/OAI/2.0/ "
    "http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd";

const xmlChar* x(const char* text) {
    return reinterpret_cast<const xmlChar*>(text);
}

// One document: xmlTextWriter over an xmlBuffer, each call checked.
class Document {
public:
    Document() : m_buffer(xmlBufferCreate(), xmlBufferFree) {
        if (!m_buffer) {
            throw std::bad_alloc();
        }
        m_writer.reset(xmlNewTextWriterMemory(m_buffer.get(), 0));
        if (!m_writer) {
            throw std::bad_alloc();
        }
        check(xmlTextWriterStartDocument(m_writer.get(), "1.0", "UTF-8", nullptr));
    }

    void start(const char* name) { check(xmlTextWriterStartElement(m_writer.get(), x(name))); }
    void attribute(const char* name, const std::string& value) {
        check(
            xmlTextWriterWriteAttribute(m_writer.get(), x(name), x(util::xml_text(value).c_str())));
    }
    void text(const std::string& value) {
        check(xmlTextWriterWriteString(m_writer.get(), x(util::xml_text(value).c_str())));
    }
    void end() { check(xmlTextWriterEndElement(m_writer.get())); }
    // Bytes that are already XML: a record's metadata element.
    void raw(const std::string& xml) {
        check(xmlTextWriterWriteRaw(m_writer.get(), x(xml.c_str())));
    }
    void element(const char* name, const std::string& value) {
        start(name);
        text(value);
        end();
    }

    std::string finish() {
        check(xmlTextWriterEndDocument(m_writer.get()));
        check(xmlTextWriterFlush(m_writer.get()));
        return {reinterpret_cast<const char*>(xmlBufferContent(m_buffer.get())),
                static_cast<std::size_t>(xmlBufferLength(m_buffer.get()))};
    }

private:
    static void check(int rc) {
        if (rc < 0) {
            throw std::runtime_error("libxml2 could not write the OAI-PMH response");
        }
    }
    struct WriterFree {
        void operator()(xmlTextWriterPtr w) const { xmlFreeTextWriter(w); }
    };
    std::unique_ptr<xmlBuffer, void (*)(xmlBufferPtr)> m_buffer;
    std::unique_ptr<xmlTextWriter, WriterFree> m_writer;
};

bool is_uri(const std::string& value) {
    return xmlSchemaValidatePredefinedType(xmlSchemaGetBuiltInType(XML_SCHEMAS_ANYURI),
                                           x(value.c_str()), nullptr) == 0;
}

// <OAI-PMH>, <responseDate> and <request>; the caller writes the rest and closes the root.
void open_response(Document& doc, const ResponseFrame& frame, bool echo_arguments) {
    doc.start("OAI-PMH");
    doc.attribute("xmlns", k_namespace);
    doc.attribute("xmlns:xsi", "http://www.w3.org/2001/XMLSchema-instance");
    doc.attribute("xsi:schemaLocation", k_schema_location);
    doc.element("responseDate", util::format_utc_seconds(frame.response_date));
    doc.start("request");
    if (echo_arguments) {
        for (const auto& [name, value] : frame.arguments) {
            // Only the protocol's names: any other would not be an XML name the writer checks.
            // An identifier is echoed only when it is a URI, as the schema types the attribute:
            // one that is not is unknown to the repository anyway (idDoesNotExist).
            if (is_argument_name(name) && (name != "identifier" || is_uri(value))) {
                doc.attribute(name.c_str(), value);
            }
        }
    }
    doc.text(frame.base_url);
    doc.end();
}

void write_header(Document& doc, const ServedHeader& header) {
    doc.start("header");
    if (header.deleted) {
        doc.attribute("status", "deleted");
    }
    doc.element("identifier", header.identifier);
    doc.element("datestamp", util::format_utc_seconds(header.datestamp));
    for (const auto& set : header.sets) {
        doc.element("setSpec", set);
    }
    doc.end();
}

void write_record(Document& doc, const ServedRecord& record) {
    doc.start("record");
    write_header(doc, record.header);
    if (!record.header.deleted) {
        doc.start("metadata");
        doc.raw(record.metadata);
        doc.end();
    }
    doc.end();
}

void write_page(Document& doc, const std::optional<ListPage>& page) {
    if (!page) {
        return;
    }
    doc.start("resumptionToken");
    if (page->expiration) {
        doc.attribute("expirationDate", util::format_utc_seconds(*page->expiration));
    }
    doc.attribute("completeListSize", std::to_string(page->complete_list_size));
    doc.attribute("cursor", std::to_string(page->cursor));
    if (!page->token.empty()) {
        doc.text(page->token);
    }
    doc.end();
}

// A response to a legal request: the envelope around the verb's element, whose content
// `body` writes.
template <typename Body>
std::string verb_response(const ResponseFrame& frame, const char* element, Body body) {
    Document doc;
    open_response(doc, frame, true);
    doc.start(element);
    body(doc);
    doc.end();
    doc.end();
    return doc.finish();
}

}  // namespace

std::string error_response(const ResponseFrame& frame, const Refusal& refusal) {
    Document doc;
    open_response(
        doc, frame,
        refusal.error != ProviderError::bad_verb && refusal.error != ProviderError::bad_argument);
    doc.start("error");
    doc.attribute("code", std::string(error_code(refusal.error)));
    doc.text(refusal.message);
    doc.end();
    doc.end();
    return doc.finish();
}

std::string identify_response(const ResponseFrame& frame, const RepositoryIdentity& identity) {
    if (identity.admin_emails.empty()) {
        throw std::invalid_argument("Identify needs at least one adminEmail");
    }
    return verb_response(frame, "Identify", [&](Document& doc) {
        doc.element("repositoryName", identity.repository_name);
        doc.element("baseURL", frame.base_url);
        doc.element("protocolVersion", "2.0");
        for (const auto& email : identity.admin_emails) {
            doc.element("adminEmail", email);
        }
        doc.element("earliestDatestamp", util::format_utc_seconds(identity.earliest_datestamp));
        doc.element("deletedRecord", "persistent");
        doc.element("granularity", "YYYY-MM-DDThh:mm:ssZ");
    });
}

std::string list_identifiers_response(const ResponseFrame& frame,
                                      const std::vector<ServedHeader>& headers,
                                      const std::optional<ListPage>& page) {
    return verb_response(frame, "ListIdentifiers", [&](Document& doc) {
        for (const auto& header : headers) {
            write_header(doc, header);
        }
        write_page(doc, page);
    });
}

std::string get_record_response(const ResponseFrame& frame, const ServedRecord& record) {
    return verb_response(frame, "GetRecord", [&](Document& doc) { write_record(doc, record); });
}

std::string list_records_response(const ResponseFrame& frame,
                                  const std::vector<ServedRecord>& records,
                                  const std::optional<ListPage>& page) {
    return verb_response(frame, "ListRecords", [&](Document& doc) {
        for (const auto& record : records) {
            write_record(doc, record);
        }
        write_page(doc, page);
    });
}

std::string list_metadata_formats_response(const ResponseFrame& frame,
                                           const std::vector<ServedFormat>& formats) {
    return verb_response(frame, "ListMetadataFormats", [&](Document& doc) {
        for (const auto& format : formats) {
            doc.start("metadataFormat");
            doc.element("metadataPrefix", format.metadata_prefix);
            doc.element("schema", format.schema);
            doc.element("metadataNamespace", format.metadata_namespace);
            doc.end();
        }
    });
}

std::string list_sets_response(const ResponseFrame& frame, const std::vector<ServedSet>& sets,
                               const std::optional<ListPage>& page) {
    return verb_response(frame, "ListSets", [&](Document& doc) {
        for (const auto& set : sets) {
            doc.start("set");
            doc.element("setSpec", set.spec);
            doc.element("setName", set.name);
            doc.end();
        }
        write_page(doc, page);
    });
}

}  // namespace oaiharvest::oai
