#include "documents/body_copy.hpp"

#include <unistd.h>

#include <cerrno>
#include <string>

#include "documents/detail/body_file.hpp"
#include "documents/layout.hpp"

namespace oaiharvest::documents {
namespace {

[[noreturn]] void fail(const std::string& what, const std::filesystem::path& path, int error) {
    throw std::filesystem::filesystem_error(what, path,
                                            std::error_code(error, std::generic_category()));
}

}  // namespace

std::filesystem::path copy_body(const std::filesystem::path& database, std::string_view sha256,
                                const std::filesystem::path& folder) {
    const auto from = body_path(database, sha256);
    const auto to = body_under(folder, sha256);
    if (std::filesystem::exists(to)) {
        return to;
    }
    if (!std::filesystem::exists(from)) {
        fail("no such body in the mirror", from, ENOENT);
    }
    std::filesystem::create_directories(to.parent_path());
    // A name of our own beside the target: a copy cut short is never taken for the body.
    auto part = to;
    part += ".part-" + std::to_string(::getpid());
    std::filesystem::remove(part);
    try {
        std::error_code linked;
        std::filesystem::create_hard_link(from, part, linked);
        if (linked) {
            std::filesystem::copy_file(from, part);
            detail::sync_file(part);
        }
        std::filesystem::rename(part, to);
    } catch (...) {
        std::error_code ignored;
        std::filesystem::remove(part, ignored);
        throw;
    }
    detail::sync_folder(to.parent_path());
    return to;
}

}  // namespace oaiharvest::documents
