#pragma once
// One body on its way to the content-addressed folder: written to a fresh file in tmp/ while
// its sha256 is computed, then fsync'd and linked to its place. The tmp name stays a second
// name of the body until the BodyFile is destroyed, so that settle() can put the body back if
// another endpoint's cleanup removed it before this one's row said `stored` (see
// store::remove_unused_body). Used by one thread; throws std::system_error (the path named)
// for a failing file call and std::runtime_error when OpenSSL fails.

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

struct evp_md_ctx_st;

namespace oaiharvest::documents::detail {

class BodyFile {
public:
    // Creates a new file in tmp (which must exist), never one that exists already.
    explicit BodyFile(const std::filesystem::path& tmp);
    ~BodyFile();
    BodyFile(const BodyFile&) = delete;
    BodyFile& operator=(const BodyFile&) = delete;
    BodyFile(BodyFile&&) = delete;
    BodyFile& operator=(BodyFile&&) = delete;

    void write(std::string_view bytes);
    std::uint64_t size() const { return m_size; }
    // Makes the body durable under body_path(database, sha256) and returns the sha256 (64
    // lowercase hex digits). A body already there is kept: same bytes.
    std::string commit(const std::filesystem::path& database);
    // After the row says `stored`: puts the body back at its place if it is not there (removed
    // between commit() and the row's commit). Only after commit().
    void settle(const std::filesystem::path& database);

private:
    void place(const std::filesystem::path& database);

    struct DigestFree {
        void operator()(evp_md_ctx_st* ctx) const;
    };
    std::filesystem::path m_path;
    int m_fd = -1;
    std::unique_ptr<evp_md_ctx_st, DigestFree> m_digest;
    std::uint64_t m_size = 0;
    std::string m_sha256;  // once committed
};

// fsyncs a folder, so that a rename or unlink in it survives a crash.
void sync_folder(const std::filesystem::path& folder);
// fsyncs a file written by another hand (a copy), so that its bytes survive a crash.
void sync_file(const std::filesystem::path& file);

}  // namespace oaiharvest::documents::detail
