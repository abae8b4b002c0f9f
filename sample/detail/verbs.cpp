#include "sample/detail/verbs.hpp"

#include <algorithm>

#include "sample/detail/oai_xml.hpp"
#include "sample/detail/text.hpp"
#include "sample/provider.hpp"

namespace oaiharvest::sample::detail {
namespace {

void append_named_element(std::string& out, std::string_view indent, std::string_view name,
                          std::string_view text) {
    out += indent;
    out += '<';
    out += name;
    out += '>';
    append_escaped(out, text);
    out += "</";
    out += name;
    out += ">\n";
}

// "http://host:port/cgi/oai2" -> "http://host:port": where EPrints' policy page lives.
std::string_view site_root(std::string_view base_url) {
    auto cgi = base_url.rfind("/cgi/");
    return cgi == std::string_view::npos ? base_url : base_url.substr(0, cgi);
}

std::string earliest_datestamp(const Catalog& catalog) {
    const auto& identity = catalog.repository().identity;
    if (!identity.earliest_datestamp.empty()) {
        return identity.earliest_datestamp;
    }
    std::string earliest;
    for (const SampleRecord* record : catalog.in_order()) {
        if (!record->deleted && (earliest.empty() || record->datestamp < earliest)) {
            earliest = record->datestamp;
        }
    }
    return earliest.empty() ? "0001-01-01T00:00:00Z" : earliest;
}

void append_eprints_description(std::string& out, std::string_view site) {
    const std::string_view not_configured =
        "This server has not yet been fully configured.\nPlease contact the admin for more "
        "information, but if in doubt assume that\nNO rights at all are granted to this data.\n";
    out +=
        "    <description>\n      <eprints xmlns=\"http://www.openarchives.org/OAI/1.1/eprints\" "
        "xsi:schemaLocation=\"http://www.openarchives.org/OAI/1.1/eprints "
        "http://www.openarchives.org/OAI/1.1/eprints.xsd\">\n        <content>\n";
    append_named_element(out, "          ", "URL", std::string(site) + "/policies.html");
    out +=
        "        </content>\n        <metadataPolicy>\n          <text>No metadata policy "
        "defined. \n";
    out += not_configured;
    out +=
        "</text>\n        </metadataPolicy>\n        <dataPolicy>\n          <text>No data "
        "policy defined. \n";
    out += not_configured;
    out +=
        "</text>\n        </dataPolicy>\n        <submissionPolicy>\n          <text>No "
        "submission-data policy defined. \nThis server has not yet been fully configured.\n"
        "</text>\n        </submissionPolicy>\n";
    append_named_element(
        out, "        ", "comment",
        "This system is running eprints server software (EPrints 3.4.7) developed at "
        "the University of Southampton. For more information see "
        "http://www.eprints.org/");
    out += "      </eprints>\n    </description>\n";
}

}  // namespace

OaiErrors identify(const VerbContext& context, const CheckedRequest&, std::string& out) {
    const auto& identity = context.catalog.repository().identity;
    const std::string& base_url = context.options.base_url;
    std::string sample_identifier = identity.repository_identifier.empty()
                                        ? std::string{}
                                        : "oai:" + identity.repository_identifier + ":1";
    for (const SampleRecord* record : context.catalog.in_order()) {
        if (!record->deleted) {
            sample_identifier = record->identifier;
            break;
        }
    }
    out += "  <Identify>\n";
    append_named_element(out, "    ", "repositoryName", identity.repository_name);
    append_named_element(out, "    ", "baseURL", base_url);
    append_named_element(out, "    ", "protocolVersion", "2.0");
    append_named_element(out, "    ", "adminEmail", identity.admin_email);
    append_named_element(out, "    ", "earliestDatestamp", earliest_datestamp(context.catalog));
    append_named_element(out, "    ", "deletedRecord", identity.deleted_record);
    append_named_element(out, "    ", "granularity", "YYYY-MM-DDThh:mm:ssZ");
    out +=
        "    <description>\n      <oai-identifier "
        "xmlns=\"http://www.openarchives.org/OAI/2.0/oai-identifier\" "
        "xsi:schemaLocation=\"http://www.openarchives.org/OAI/2.0/oai-identifier "
        "http://www.openarchives.org/OAI/2.0/oai-identifier.xsd\">\n";
    append_named_element(out, "        ", "scheme", "oai");
    append_named_element(out, "        ", "repositoryIdentifier", identity.repository_identifier);
    append_named_element(out, "        ", "delimiter", ":");
    append_named_element(out, "        ", "sampleIdentifier", sample_identifier);
    out += "      </oai-identifier>\n    </description>\n";
    append_eprints_description(out, site_root(base_url));
    out += "  </Identify>\n";
    return {};
}

OaiErrors list_metadata_formats(const VerbContext& context, const CheckedRequest& request,
                                std::string& out) {
    std::vector<const MetadataFormat*> formats;
    for (const auto& format : context.catalog.repository().formats) {
        formats.push_back(&format);
    }
    std::sort(formats.begin(), formats.end(), [](const MetadataFormat* a, const MetadataFormat* b) {
        return a->prefix < b->prefix;
    });
    if (auto id = request.params.find("identifier"); id != request.params.end()) {
        const SampleRecord* record = context.catalog.find(id->second);
        // A withdrawn item still has its formats; a live one only those it can be shown in.
        if (record != nullptr && !record->deleted) {
            std::erase_if(formats, [&](const MetadataFormat* format) {
                return metadata_of(*record, format->prefix).empty();
            });
        }
        if (formats.empty()) {
            return {{"noMetadataFormats",
                     "There are no metadata formats available for the specified item."}};
        }
    }
    out += "  <ListMetadataFormats>\n";
    for (const MetadataFormat* format : formats) {
        out += "    <metadataFormat>\n";
        append_named_element(out, "      ", "metadataPrefix", format->prefix);
        append_named_element(out, "      ", "schema", format->schema);
        append_named_element(out, "      ", "metadataNamespace", format->metadata_namespace);
        out += "    </metadataFormat>\n";
    }
    out += "  </ListMetadataFormats>\n";
    return {};
}

OaiErrors list_sets(const VerbContext& context, const CheckedRequest& request, std::string& out) {
    if (request.params.contains("resumptionToken")) {
        return {{"badResumptionToken", "Resumption Tokens not supported for ListSets"}};
    }
    const auto& sets = context.catalog.repository().sets;
    if (sets.empty()) {
        return {{"noSetHierarchy", "This repository does not support sets."}};
    }
    out += "  <ListSets>\n";
    for (const auto& set : sets) {
        out += "    <set>\n";
        append_named_element(out, "      ", "setSpec", set.spec);
        append_named_element(out, "      ", "setName", set.name);
        out += "    </set>\n";
    }
    out += "  </ListSets>\n";
    return {};
}

OaiErrors get_record(const VerbContext& context, const CheckedRequest& request, std::string& out) {
    const SampleRecord* record = context.catalog.find(request.params.at("identifier"));
    const std::string& prefix = request.params.at("metadataPrefix");
    std::string_view metadata = metadata_of(*record, prefix);
    if (!record->deleted && metadata.empty()) {
        return {
            {"cannotDisseminateFormat", "Record not available as metadata type: '" + prefix + "'"}};
    }
    out += "  <GetRecord>\n";
    append_record(out, *record, metadata);
    out += "  </GetRecord>\n";
    return {};
}

}  // namespace oaiharvest::sample::detail
