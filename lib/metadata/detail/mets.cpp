// METS as EPrints writes it: metsHdr, dmdSec with MODS (or DC) in mdWrap/xmlData, rights in
// amdSec/rightsMD, files in fileSec.

#include <charconv>

#include "metadata/detail/readers.hpp"
#include "metadata/detail/values.hpp"
#include "metadata/detail/xml.hpp"

namespace oaiharvest::metadata::detail {
namespace {

std::optional<std::string> attribute_text(const xmlNode* node, std::string_view name,
                                          Ns ns = Ns::none) {
    const auto value = attribute(node, name, ns);
    if (!value) {
        return std::nullopt;
    }
    const auto trimmed = trim(*value);
    return trimmed.empty() ? std::nullopt : std::optional<std::string>(trimmed);
}

void read_header(const xmlNode* header, MetsInfo& info) {
    // CREATEDATA is the EPrints 3.1 spelling.
    info.created = attribute_text(header, "CREATEDATE");
    if (!info.created) {
        info.created = attribute_text(header, "CREATEDATA");
    }
    info.last_modified = attribute_text(header, "LASTMODDATE");
    for (const xmlNode* agent : Elements(header)) {
        if (!info.custodian && is(agent, Ns::mets, "agent") &&
            attribute_is(agent, "ROLE", "CUSTODIAN")) {
            if (const xmlNode* name = child(agent, Ns::mets, "name")) {
                info.custodian = text(name);
            }
        }
    }
}

// The descriptive metadata of one mdWrap, told by its content (not by MDTYPE).
Description read_wrap(const xmlNode* wrap) {
    Description part;
    const xmlNode* data = child(wrap, Ns::mets, "xmlData");
    if (data == nullptr) {
        return part;
    }
    for (const xmlNode* c : Elements(data)) {
        const Ns ns = ns_of(c);
        if (ns == Ns::mods) {
            read_mods(data, part);
            break;
        }
        if (ns == Ns::oai_dc || ns == Ns::qdc) {
            read_dc(c, part);
            break;
        }
        if (ns == Ns::dc || ns == Ns::dcterms) {
            read_dc(data, part);
            break;
        }
    }
    return part;
}

// The rights statement of a rightsMD: a MODS useAndReproduction or accessCondition (EPrints,
// XHTML inside), a dc:rights, else all the text of xmlData (METSRights and the like).
std::optional<std::string> read_rights(const xmlNode* rights_md) {
    const xmlNode* wrap = child(rights_md, Ns::mets, "mdWrap");
    const xmlNode* data = wrap != nullptr ? child(wrap, Ns::mets, "xmlData") : nullptr;
    if (data == nullptr) {
        return std::nullopt;
    }
    for (const xmlNode* c : Elements(data)) {
        if (is(c, Ns::mods, "useAndReproduction") || is(c, Ns::mods, "accessCondition") ||
            is(c, Ns::dc, "rights")) {
            if (auto value = text(c)) {
                return value;
            }
        }
    }
    return text(data);
}

// Every file in a fileSec, nested groups included. EPrints' structMap points at file IDs that
// do not exist, so the fileSec is read alone.
void read_files(const xmlNode* group, const std::optional<std::string>& group_use,
                std::vector<File>& files) {
    for (const xmlNode* c : Elements(group)) {
        if (is(c, Ns::mets, "fileGrp")) {
            auto use = attribute_text(c, "USE");
            read_files(c, use ? use : group_use, files);
            continue;
        }
        if (!is(c, Ns::mets, "file")) {
            continue;
        }
        File file;
        for (const xmlNode* loc : Elements(c)) {
            if (is(loc, Ns::mets, "FLocat")) {
                if (auto href = attribute_text(loc, "href", Ns::xlink)) {
                    file.href = std::move(*href);
                    break;
                }
            }
        }
        file.mimetype = attribute_text(c, "MIMETYPE");
        if (const auto size = attribute_text(c, "SIZE")) {
            std::int64_t n = 0;
            const auto [end, ec] = std::from_chars(size->data(), size->data() + size->size(), n);
            if (ec == std::errc() && end == size->data() + size->size() && n >= 0) {
                file.size = n;
            }
        }
        file.use = attribute_text(c, "USE");
        if (!file.use) {
            file.use = group_use;
        }
        file.checksum = attribute_text(c, "CHECKSUM");
        file.checksum_type = attribute_text(c, "CHECKSUMTYPE");
        const auto use = file.use;
        if (!file.href.empty()) {
            files.push_back(std::move(file));
        }
        read_files(c, use, files);  // a file may hold files
    }
}

}  // namespace

void read_mets(const xmlNode* root, Description& d) {
    MetsInfo info;
    info.objid = attribute_text(root, "OBJID");
    std::optional<std::string> amd_rights;
    for (const xmlNode* c : Elements(root)) {
        if (ns_of(c) != Ns::mets) {
            continue;
        }
        const auto local = local_name(c);
        if (local == "metsHdr") {
            read_header(c, info);
        } else if (local == "dmdSec") {
            for (const xmlNode* wrap : Elements(c)) {
                if (is(wrap, Ns::mets, "mdWrap")) {
                    fill_gaps(d, read_wrap(wrap));
                }
            }
        } else if (local == "amdSec") {
            for (const xmlNode* md : Elements(c)) {
                if (!amd_rights && is(md, Ns::mets, "rightsMD")) {
                    amd_rights = read_rights(md);
                }
            }
        } else if (local == "fileSec") {
            read_files(c, std::nullopt, d.files);
        }
    }
    // A rights statement in the descriptive metadata comes first.
    if (!d.rights) {
        d.rights = std::move(amd_rights);
    }
    d.mets = std::move(info);
}

}  // namespace oaiharvest::metadata::detail
