#pragma once
// Where a mirror keeps its documents' bodies: a folder beside the database, named after it
// (mirror.db -> mirror.db.documents/), holding sha256/ab/<the full lowercase hex sha256> (a body
// once however many records list it; no name comes from the server) and tmp/<endpoint id>/ for
// downloads in flight. Pure path arithmetic: thread-safe, touches no file.

#include <cstdint>
#include <filesystem>
#include <string_view>

namespace oaiharvest::documents {

// <database>.documents
std::filesystem::path documents_folder(const std::filesystem::path& database);

// <database>.documents/sha256/ab/abcdef...; sha256 is 64 lowercase hex digits.
std::filesystem::path body_path(const std::filesystem::path& database, std::string_view sha256);

// <folder>/sha256/ab/abcdef...: the same layout under another folder (an export's).
std::filesystem::path body_under(const std::filesystem::path& folder, std::string_view sha256);

// <database>.documents/tmp/<endpoint id>: one endpoint is harvested by one process at a time,
// so the stage may empty its own folder at start without touching another's download.
std::filesystem::path tmp_folder(const std::filesystem::path& database, std::int64_t endpoint_id);

}  // namespace oaiharvest::documents
