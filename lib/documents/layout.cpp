#include "documents/layout.hpp"

#include <string>

namespace oaiharvest::documents {

std::filesystem::path documents_folder(const std::filesystem::path& database) {
    std::filesystem::path folder = database;
    folder += ".documents";
    return folder;
}

std::filesystem::path body_path(const std::filesystem::path& database, std::string_view sha256) {
    return body_under(documents_folder(database), sha256);
}

std::filesystem::path body_under(const std::filesystem::path& folder, std::string_view sha256) {
    return folder / "sha256" / std::string(sha256.substr(0, 2)) / std::string(sha256);
}

std::filesystem::path tmp_folder(const std::filesystem::path& database, std::int64_t endpoint_id) {
    return documents_folder(database) / "tmp" / std::to_string(endpoint_id);
}

}  // namespace oaiharvest::documents
