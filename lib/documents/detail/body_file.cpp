#include "documents/detail/body_file.hpp"

#include <fcntl.h>
#include <openssl/evp.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <stdexcept>
#include <system_error>

#include "documents/layout.hpp"

namespace oaiharvest::documents::detail {
namespace {

[[noreturn]] void fail(const std::string& what, const std::filesystem::path& path, int error) {
    throw std::system_error(error, std::generic_category(), what + " " + path.string());
}

// Unique within the process; the pid makes it unique across processes sharing tmp/.
std::string fresh_name() {
    static std::atomic<std::uint64_t> counter{0};
    return std::to_string(::getpid()) + "-" + std::to_string(counter.fetch_add(1)) + ".part";
}

void sync_fd(int fd, const std::filesystem::path& path) {
    if (::fsync(fd) != 0) {
        fail("cannot fsync", path, errno);
    }
}

}  // namespace

void BodyFile::DigestFree::operator()(evp_md_ctx_st* ctx) const {
    EVP_MD_CTX_free(ctx);
}

namespace {

void sync_path(const std::filesystem::path& path, int flags, const std::string& what) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | flags);
    if (fd < 0) {
        fail("cannot open " + what, path, errno);
    }
    const int rc = ::fsync(fd);
    const int error = errno;
    ::close(fd);
    if (rc != 0) {
        fail("cannot fsync " + what, path, error);
    }
}

}  // namespace

void sync_folder(const std::filesystem::path& folder) {
    sync_path(folder, O_DIRECTORY, "folder");
}

void sync_file(const std::filesystem::path& file) {
    sync_path(file, 0, "file");
}

BodyFile::BodyFile(const std::filesystem::path& tmp)
    : m_path(tmp / fresh_name()), m_digest(EVP_MD_CTX_new()) {
    if (!m_digest || EVP_DigestInit_ex(m_digest.get(), EVP_sha256(), nullptr) != 1) {
        throw std::runtime_error("OpenSSL cannot start a sha256 digest");
    }
    m_fd = ::open(m_path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (m_fd < 0) {
        fail("cannot create", m_path, errno);
    }
}

BodyFile::~BodyFile() {
    if (m_fd >= 0) {
        ::close(m_fd);
    }
    std::error_code ignored;  // a leftover is removed at the next stage start anyway
    std::filesystem::remove(m_path, ignored);
}

void BodyFile::write(std::string_view bytes) {
    if (EVP_DigestUpdate(m_digest.get(), bytes.data(), bytes.size()) != 1) {
        throw std::runtime_error("OpenSSL sha256 update failed");
    }
    m_size += bytes.size();
    while (!bytes.empty()) {
        const ssize_t n = ::write(m_fd, bytes.data(), bytes.size());
        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            fail("cannot write", m_path, errno);
        }
        bytes.remove_prefix(static_cast<std::size_t>(n));
    }
}

std::string BodyFile::commit(const std::filesystem::path& database) {
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    if (EVP_DigestFinal_ex(m_digest.get(), digest, &length) != 1) {
        throw std::runtime_error("OpenSSL sha256 final failed");
    }
    static constexpr char k_hex[] = "0123456789abcdef";
    std::string sha256;
    for (unsigned int i = 0; i < length; ++i) {
        sha256 += k_hex[digest[i] >> 4];
        sha256 += k_hex[digest[i] & 0xf];
    }
    sync_fd(m_fd, m_path);
    const int rc = ::close(m_fd);
    m_fd = -1;
    if (rc != 0) {
        fail("cannot close", m_path, errno);
    }
    m_sha256 = sha256;
    place(database);
    return sha256;
}

void BodyFile::settle(const std::filesystem::path& database) {
    if (!std::filesystem::exists(body_path(database, m_sha256))) {
        place(database);
    }
}

// A link, not a rename: the tmp name must keep the body until settle() has run.
void BodyFile::place(const std::filesystem::path& database) {
    const auto target = body_path(database, m_sha256);
    const auto folder = target.parent_path();
    const bool new_folder = std::filesystem::create_directories(folder);
    if (new_folder) {
        sync_folder(folder.parent_path());
    }
    if (::link(m_path.c_str(), target.c_str()) != 0) {
        if (errno == EEXIST) {
            return;  // the same bytes are there already
        }
        fail("cannot link into place", target, errno);
    }
    sync_folder(folder);
}

}  // namespace oaiharvest::documents::detail
