// describe(): the format told by the root element, then its reader; and fill_gaps().

#include "metadata/metadata.hpp"

#include <libxml/tree.h>

#include <string>

#include "metadata/detail/readers.hpp"
#include "metadata/detail/xml.hpp"

namespace oaiharvest::metadata {
namespace detail {
namespace {

template <typename T>
void fill(T& into, T&& from) {
    if (!into) {
        into = std::move(from);
    }
}

template <typename T>
void fill(std::vector<T>& into, std::vector<T>&& from) {
    if (into.empty()) {
        into = std::move(from);
    }
}

}  // namespace

void fill_gaps(Description& into, Description&& from) {
    fill(into.title, std::move(from.title));
    fill(into.subtitle, std::move(from.subtitle));
    fill(into.names, std::move(from.names));
    fill(into.abstract, std::move(from.abstract));
    fill(into.subjects, std::move(from.subjects));
    fill(into.genre, std::move(from.genre));
    fill(into.type, std::move(from.type));
    fill(into.language, std::move(from.language));
    fill(into.date_issued, std::move(from.date_issued));
    fill(into.publisher, std::move(from.publisher));
    fill(into.place, std::move(from.place));
    fill(into.host, std::move(from.host));
    fill(into.identifiers, std::move(from.identifiers));
    fill(into.urls, std::move(from.urls));
    fill(into.files, std::move(from.files));
    fill(into.rights, std::move(from.rights));
}

}  // namespace detail

Description describe(std::string_view metadata_xml) {
    Description d;
    auto parsed = detail::parse(metadata_xml);
    if (!parsed.doc) {
        d.parse_error = std::move(parsed.error);
        return d;
    }
    const xmlNode* root = xmlDocGetRootElement(parsed.doc.get());
    if (root == nullptr) {
        d.parse_error = "no root element";
        return d;
    }
    return describe(*root);
}

Description describe(const xmlNode& metadata_root) {
    using detail::Ns;
    Description d;
    const xmlNode* root = &metadata_root;
    const Ns ns = detail::ns_of(root);
    const auto local = detail::local_name(root);
    if (ns == Ns::mets && local == "mets") {
        detail::read_mets(root, d);
    } else if (ns == Ns::mods && (local == "mods" || local == "modsCollection")) {
        detail::read_mods(root, d);
    } else if ((ns == Ns::oai_dc && local == "dc") || (ns == Ns::qdc && local == "qualifieddc")) {
        detail::read_dc(root, d);
    } else {
        const auto* href = root->ns != nullptr ? root->ns->href : nullptr;
        d.parse_error = "line " + std::to_string(xmlGetLineNo(root)) + ": unknown root element {" +
                        (href != nullptr ? reinterpret_cast<const char*>(href) : "") + "}" +
                        std::string(local);
    }
    return d;
}

}  // namespace oaiharvest::metadata
