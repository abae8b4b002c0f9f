#pragma once
// The bodies an export takes along (`export --documents-dir`, docs/cli.md): each copied out of
// the mirror into another folder, in the mirror's own layout (layout.hpp: body_under), so that
// the export and its folder can move together and a body is there once however many records
// list it.

#include <filesystem>
#include <string_view>

namespace oaiharvest::documents {

// Puts the mirror's body `sha256` at body_under(folder, sha256) and returns that path. A hard
// link when both are on one file system (bodies are never changed in place, only replaced, so
// the two names cannot diverge), else a copy; either way it appears under its name only whole,
// on disk (fsync'd). A name already there is kept: same name, same bytes. Throws
// std::system_error naming the path: a body missing from the mirror is a
// std::filesystem::filesystem_error with ENOENT and the body's path as path1().
std::filesystem::path copy_body(const std::filesystem::path& database, std::string_view sha256,
                                const std::filesystem::path& folder);

}  // namespace oaiharvest::documents
