// The record JSON's fields as Dublin Core 1.1, in the order DCMI lists the fifteen elements.
// What each becomes is said in dublin_core.hpp; here, why the values look as they do: they are
// written so that our own oai_dc reader (lib/metadata/detail/dc.cpp) reads the same fields back.

#include "serve/dublin_core.hpp"

#include <libxml/xmlwriter.h>

#include <algorithm>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <stdexcept>
#include <vector>

#include "util/safe_text.hpp"
#include "util/utf8.hpp"

namespace oaiharvest::serve {
namespace {

using nlohmann::json;

const xmlChar* x(const char* text) {
    return reinterpret_cast<const xmlChar*>(text);
}

// One <oai_dc:dc> element, no XML declaration: it goes inside the response's <metadata>.
class DcWriter {
public:
    DcWriter() : m_buffer(xmlBufferCreate()) {
        if (!m_buffer) {
            throw std::bad_alloc();
        }
        m_writer.reset(xmlNewTextWriterMemory(m_buffer.get(), 0));
        if (!m_writer) {
            throw std::bad_alloc();
        }
        check(xmlTextWriterStartElement(m_writer.get(), x("oai_dc:dc")));
        attribute("xmlns:oai_dc", "http://www.openarchives.org/OAI/2.0/oai_dc/");
        attribute("xmlns:dc", "http://purl.org/dc/elements/1.1/");
        attribute("xmlns:xsi", "http://www.w3.org/2001/XMLSchema-instance");
        attribute("xsi:schemaLocation",
                  "http://www.openarchives.org/OAI/2.0/oai_dc/ "
                  "http://www.openarchives.org/OAI/2.0/oai_dc.xsd");
    }

    void element(const char* name, const std::string& value) {
        check(xmlTextWriterStartElement(m_writer.get(), x(name)));
        check(xmlTextWriterWriteString(m_writer.get(), x(util::xml_text(value).c_str())));
        check(xmlTextWriterEndElement(m_writer.get()));
    }

    std::string finish() {
        check(xmlTextWriterEndElement(m_writer.get()));
        check(xmlTextWriterFlush(m_writer.get()));
        return {reinterpret_cast<const char*>(xmlBufferContent(m_buffer.get())),
                static_cast<std::size_t>(xmlBufferLength(m_buffer.get()))};
    }

private:
    void attribute(const char* name, const char* value) {
        check(xmlTextWriterWriteAttribute(m_writer.get(), x(name), x(value)));
    }
    static void check(int rc) {
        if (rc < 0) {
            throw std::runtime_error("libxml2 could not write the oai_dc record");
        }
    }
    struct BufferFree {
        void operator()(xmlBufferPtr buffer) const { xmlBufferFree(buffer); }
    };
    struct WriterFree {
        void operator()(xmlTextWriterPtr writer) const { xmlFreeTextWriter(writer); }
    };
    // Declared first, destroyed last: the writer flushes into the buffer when freed.
    std::unique_ptr<xmlBuffer, BufferFree> m_buffer;
    std::unique_ptr<xmlTextWriter, WriterFree> m_writer;
};

// An array's item as text: a non-empty string, else nothing.
std::optional<std::string> text_item(const json& item) {
    if (!item.is_string() || item.get_ref<const std::string&>().empty()) {
        return std::nullopt;
    }
    return item.get<std::string>();
}

// A field's text: a non-empty string, else nothing (null, absent, or not a string).
std::optional<std::string> text_of(const json& object, const char* key) {
    if (!object.is_object()) {
        return std::nullopt;
    }
    const auto found = object.find(key);
    return found == object.end() ? std::nullopt : text_item(*found);
}

// The items of an array field (each an object or a string), or none.
const json& array_of(const json& object, const char* key) {
    static const json k_empty = json::array();
    const auto found = object.find(key);
    return found != object.end() && found->is_array() ? *found : k_empty;
}

// Values of one DC element in first-seen order, each once.
void add(std::vector<std::string>& values, std::optional<std::string> value) {
    if (value && std::ranges::find(values, *value) == values.end()) {
        values.push_back(std::move(*value));
    }
}

std::optional<std::string> display_name(const json& name) {
    if (auto display = text_of(name, "display")) {
        return display;
    }
    const auto family = text_of(name, "family");
    const auto given = text_of(name, "given");
    if (family && given) {
        return *family + ", " + *given;
    }
    return family ? family : given;
}

// dc:creator for the people responsible for the work; a name without a role is taken as one,
// since a record that lists names without saying why lists its authors.
bool is_creator(const json& name) {
    auto role = text_of(name, "role");
    if (!role) {
        return true;
    }
    std::ranges::transform(*role, role->begin(), [](char c) {
        return c >= 'A' && c <= 'Z' ? static_cast<char>(c | 0x20) : c;
    });
    return *role == "author" || *role == "creator";
}

// An identifier as text that names its kind: a DOI as its resolver URL, an ISBN or ISSN with
// its label, a handle with its scheme; what already says what it is, as it is.
std::optional<std::string> identifier_text(const json& identifier) {
    const auto type = text_of(identifier, "type");
    auto value = text_of(identifier, "value");
    if (!type || !value) {
        return value;
    }
    if (*type == "doi") {
        return "https://doi.org/" + *value;
    }
    if (*type == "isbn" || *type == "issn") {
        std::string label = *type == "isbn" ? "ISBN " : "ISSN ";
        return label + *value;
    }
    if (*type == "handle" && !value->starts_with("hdl:")) {
        return "hdl:" + *value;
    }
    return value;
}

// The host journal as one citation, "Title; Vol. 3, No. 2; pp. 1-7" (the part before the first
// ';' is the title, as in OJS's dc:source), and its ISSN as a second dc:source.
void add_host(std::vector<std::string>& sources, const json& host) {
    std::string numbering;
    if (const auto volume = text_of(host, "volume")) {
        numbering = "Vol. " + *volume;
    }
    if (const auto issue = text_of(host, "issue")) {
        numbering += (numbering.empty() ? "No. " : ", No. ") + *issue;
    }
    std::string citation;
    for (const auto& part : {text_of(host, "title"), std::optional(numbering),
                             text_of(host, "pages").transform([](auto p) { return "pp. " + p; })}) {
        if (part && !part->empty()) {
            citation += (citation.empty() ? "" : "; ") + *part;
        }
    }
    if (!citation.empty()) {
        add(sources, std::move(citation));
    }
    if (const auto issn = text_of(host, "issn")) {
        add(sources, "ISSN " + *issn);
    }
}

}  // namespace

std::string oai_dc_from_record_json(std::string_view record_json) {
    // A database an older version wrote may hold bytes that are not UTF-8: the record is still
    // served, with U+FFFD for them, rather than refused by the JSON parser.
    const json record = json::parse(util::valid_utf8(record_json), nullptr, false);
    if (!record.is_object()) {
        throw std::invalid_argument("not a record JSON object");
    }
    std::vector<std::string> title, creator, subject, description, publisher, contributor, date,
        type, format, identifier, source, language, rights;

    const auto subtitle = text_of(record, "subtitle");
    if (auto main = text_of(record, "title")) {
        add(title, subtitle ? *main + ": " + *subtitle : *main);
    } else {
        add(title, subtitle);
    }
    for (const json& name : array_of(record, "names")) {
        add(is_creator(name) ? creator : contributor, display_name(name));
    }
    for (const json& value : array_of(record, "subjects")) {
        add(subject, text_item(value));
    }
    add(description, text_of(record, "abstract"));
    add(publisher, text_of(record, "publisher"));
    add(date, text_of(record, "date_issued"));
    add(type, text_of(record, "genre"));
    add(type, text_of(record, "type"));
    for (const json& id : array_of(record, "identifiers")) {
        add(identifier, identifier_text(id));
    }
    for (const json& url : array_of(record, "urls")) {
        add(identifier, text_item(url));
    }
    for (const json& file : array_of(record, "files")) {
        add(format, text_of(file, "mimetype"));
        add(identifier, text_of(file, "href"));
    }
    if (const auto host = record.find("host"); host != record.end() && host->is_object()) {
        add_host(source, *host);
    }
    add(language, text_of(record, "language"));
    add(rights, text_of(record, "rights"));

    DcWriter dc;
    const std::pair<const char*, const std::vector<std::string>&> elements[] = {
        {"dc:title", title},         {"dc:creator", creator},
        {"dc:subject", subject},     {"dc:description", description},
        {"dc:publisher", publisher}, {"dc:contributor", contributor},
        {"dc:date", date},           {"dc:type", type},
        {"dc:format", format},       {"dc:identifier", identifier},
        {"dc:source", source},       {"dc:language", language},
        {"dc:rights", rights}};
    for (const auto& [name, values] : elements) {
        for (const auto& value : values) {
            dc.element(name, value);
        }
    }
    return dc.finish();
}

}  // namespace oaiharvest::serve
