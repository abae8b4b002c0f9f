// The XML of ChangingRepository's responses: envelope, headers, records and their metadata.

#include "sample/detail/text.hpp"
#include "support/changing_repository_oai.hpp"

namespace oaiharvest::testing::changing {

using sample::detail::append_escaped;
using sample::detail::escaped;
using Args = std::map<std::string, std::string>;

namespace {

constexpr const char* k_oai_dc_namespace = "http://www.openarchives.org/OAI/2.0/oai_dc/";
constexpr const char* k_mods_namespace = "http://www.loc.gov/mods/v3";

void append_metadata(std::string& out, const ServedRecord& record, const std::string& prefix) {
    const std::string& title = record.titles.at(prefix);
    if (prefix == "mods") {
        out += "<metadata><mods xmlns=\"";
        out += k_mods_namespace;
        out += "\" version=\"3.5\"><titleInfo><title>";
        append_escaped(out, title);
        out += "</title></titleInfo></mods></metadata>";
        return;
    }
    out += "<metadata><oai_dc:dc xmlns:oai_dc=\"";
    out += k_oai_dc_namespace;
    out +=
        "\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\" "
        "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" "
        "xsi:schemaLocation=\"http://www.openarchives.org/OAI/2.0/oai_dc/ "
        "http://www.openarchives.org/OAI/2.0/oai_dc.xsd\"><dc:title>";
    append_escaped(out, title);
    out += "</dc:title><dc:identifier>";
    append_escaped(out, record.identifier);
    out += "</dc:identifier></oai_dc:dc></metadata>";
}

}  // namespace

void append_header(std::string& out, const ServedRecord& record, const ServerBehaviour& b) {
    out += record.deleted ? "<header status=\"deleted\"><identifier>" : "<header><identifier>";
    append_escaped(out, record.identifier);
    out += "</identifier><datestamp>";
    append_escaped(out, record.datestamp);
    out += "</datestamp>";
    if (!record.deleted || b.deleted_headers_carry_sets) {
        for (const auto& set : record.sets) {
            out += "<setSpec>";
            append_escaped(out, set);
            out += "</setSpec>";
        }
    }
    out += "</header>";
}

void append_record(std::string& out, const ServedRecord& record, const std::string& prefix,
                   const ServerBehaviour& b) {
    out += "<record>";
    append_header(out, record, b);
    if (!record.deleted && record.titles.contains(prefix)) {
        append_metadata(out, record, prefix);
    }
    out += "</record>\n";
}

std::string envelope(const ServerBehaviour& b, const std::string& base_url,
                     const std::optional<Args>& echo, const std::string& content) {
    std::string out =
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        "<OAI-PMH xmlns=\"http://www.openarchives.org/OAI/2.0/\" "
        "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" "
        "xsi:schemaLocation=\"http://www.openarchives.org/OAI/2.0/ "
        "http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd\">\n";
    if (!b.response_date || !b.response_date->empty()) {
        out += "<responseDate>";
        append_escaped(out, b.response_date.value_or(sample::detail::utc_now()));
        out += "</responseDate>\n";
    }
    out += "<request";
    for (const auto& [name, value] : echo.value_or(Args{})) {
        out += " " + name + "=\"" + escaped(value) + "\"";
    }
    out += ">" + escaped(base_url) + "</request>\n" + content + "</OAI-PMH>\n";
    return out;
}

std::string error_element(const OaiError& error) {
    return "<error code=\"" + error.code + "\">" + escaped(error.message) + "</error>\n";
}

std::string format_element(const std::string& prefix) {
    const bool mods = prefix == "mods";
    return "<metadataFormat><metadataPrefix>" + escaped(prefix) + "</metadataPrefix><schema>" +
           (mods ? "http://www.loc.gov/standards/mods/v3/mods-3-5.xsd"
                 : "http://www.openarchives.org/OAI/2.0/oai_dc.xsd") +
           "</schema><metadataNamespace>" + (mods ? k_mods_namespace : k_oai_dc_namespace) +
           "</metadataNamespace></metadataFormat>\n";
}

}  // namespace oaiharvest::testing::changing
