// to_json(): the contract's record JSON.

#include <nlohmann/json.hpp>

#include "metadata/metadata.hpp"

namespace oaiharvest::metadata {
namespace {

using Json = nlohmann::ordered_json;

Json value_or_null(const std::optional<std::string>& value) {
    return value ? Json(*value) : Json(nullptr);
}

Json name_json(const Name& name) {
    // Exactly these four keys: affiliation and ORCID are not in the contract.
    Json j = Json::object();
    j["given"] = value_or_null(name.given);
    j["family"] = value_or_null(name.family);
    j["display"] = value_or_null(name.display);
    j["role"] = value_or_null(name.role);
    return j;
}

Json host_json(const std::optional<Host>& host) {
    if (!host) {
        return nullptr;
    }
    Json j = Json::object();
    j["title"] = value_or_null(host->title);
    j["issn"] = value_or_null(host->issn);
    j["volume"] = value_or_null(host->volume);
    j["issue"] = value_or_null(host->issue);
    j["pages"] = value_or_null(host->pages);
    return j;
}

Json file_json(const File& file) {
    Json j = Json::object();
    j["href"] = file.href;
    j["mimetype"] = value_or_null(file.mimetype);
    j["size"] = file.size ? Json(*file.size) : Json(nullptr);
    j["use"] = value_or_null(file.use);
    return j;
}

Json mets_json(const std::optional<MetsInfo>& mets) {
    if (!mets) {
        return nullptr;
    }
    Json j = Json::object();
    j["objid"] = value_or_null(mets->objid);
    j["created"] = value_or_null(mets->created);
    j["custodian"] = value_or_null(mets->custodian);
    return j;
}

template <typename T, typename F>
Json array_of(const std::vector<T>& items, F&& convert) {
    Json j = Json::array();
    for (const auto& item : items) {
        j.push_back(convert(item));
    }
    return j;
}

}  // namespace

nlohmann::ordered_json to_json(const Envelope& envelope, const Description& d) {
    Json j = Json::object();
    j["endpoint"] = envelope.endpoint;
    j["identifier"] = envelope.identifier;
    j["datestamp"] = envelope.datestamp;
    j["deleted"] = envelope.deleted;
    j["metadata_prefix"] = envelope.metadata_prefix;
    j["sets"] = array_of(envelope.sets, [](const std::string& s) { return Json(s); });
    j["title"] = value_or_null(d.title);
    j["subtitle"] = value_or_null(d.subtitle);
    j["names"] = array_of(d.names, name_json);
    j["abstract"] = value_or_null(d.abstract);
    j["subjects"] = array_of(d.subjects, [](const std::string& s) { return Json(s); });
    j["genre"] = value_or_null(d.genre);
    j["type"] = value_or_null(d.type);
    j["language"] = value_or_null(d.language);
    j["date_issued"] = value_or_null(d.date_issued);
    j["publisher"] = value_or_null(d.publisher);
    j["host"] = host_json(d.host);
    j["identifiers"] = array_of(d.identifiers, [](const Identifier& i) {
        Json id = Json::object();
        id["type"] = i.type;
        id["value"] = i.value;
        return id;
    });
    j["urls"] = array_of(d.urls, [](const std::string& s) { return Json(s); });
    j["files"] = array_of(d.files, file_json);
    j["rights"] = value_or_null(d.rights);
    j["mets"] = mets_json(d.mets);
    j["parse_error"] = value_or_null(d.parse_error);
    return j;
}

}  // namespace oaiharvest::metadata
