#include "sample/detail/oai_xml.hpp"

#include "sample/detail/text.hpp"

namespace oaiharvest::sample::detail {

void append_prologue(std::string& out, std::string_view response_date, std::string_view base_url,
                     const RequestEcho& echo) {
    out +=
        "<?xml version='1.0' encoding='UTF-8'?>\n"
        "<?xml-stylesheet type='text/xsl' href='/oai2.xsl' ?>\n"
        "<OAI-PMH xmlns=\"http://www.openarchives.org/OAI/2.0/\" "
        "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" "
        "xsi:schemaLocation=\"http://www.openarchives.org/OAI/2.0/ "
        "http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd\">\n"
        "  <responseDate>";
    append_escaped(out, response_date);
    out += "</responseDate>\n  <request";
    for (const auto& [name, value] : echo) {
        out += ' ';
        out += name;
        out += "=\"";
        append_escaped(out, value);
        out += '"';
    }
    out += '>';
    append_escaped(out, base_url);
    out += "</request>\n";
}

void append_epilogue(std::string& out) {
    out += "</OAI-PMH>";
}

std::string error_document(std::string_view base_url, std::string_view response_date,
                           const std::vector<OaiError>& errors) {
    std::string out;
    append_prologue(out, response_date, base_url, {});
    for (const auto& error : errors) {
        out += "  <error code=\"";
        append_escaped(out, error.code);
        out += "\">";
        append_escaped(out, error.message);
        out += "</error>\n";
    }
    append_epilogue(out);
    return out;
}

void append_header(std::string& out, const SampleRecord& record) {
    out += record.deleted ? "    <header status=\"deleted\">\n      <identifier>"
                          : "    <header>\n      <identifier>";
    append_escaped(out, record.identifier);
    out += "</identifier>\n      <datestamp>";
    append_escaped(out, record.datestamp);
    out += "</datestamp>";
    if (!record.deleted) {
        for (const auto& set : record.sets) {
            out += "\n      <setSpec>";
            append_escaped(out, set);
            out += "</setSpec>";
        }
    }
    out += "</header>";
}

void append_record(std::string& out, const SampleRecord& record, std::string_view metadata) {
    out += "    <record>\n";
    append_header(out, record);
    if (!record.deleted) {
        out += "\n    <metadata>\n      ";
        out += metadata;
        out += "</metadata>";
    }
    out += "</record>\n";
}

}  // namespace oaiharvest::sample::detail
