#include <spdlog/spdlog.h>

#include <algorithm>
#include <memory>

#include "documents/detail/body_file.hpp"
#include "documents/documents.hpp"
#include "documents/layout.hpp"
#include "http/location.hpp"
#include "http/polite.hpp"
#include "store/documents.hpp"
#include "util/url.hpp"

namespace oaiharvest::documents {
namespace {

std::string lower(std::string_view text) {
    std::string out(text);
    std::transform(out.begin(), out.end(), out.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return out;
}

// "text/HTML; charset=utf-8" -> "text/html".
std::string bare_type(std::string_view type) {
    type = type.substr(0, type.find(';'));
    while (!type.empty() && (type.back() == ' ' || type.back() == '\t')) {
        type.remove_suffix(1);
    }
    return lower(type);
}

bool wanted(const DocumentPolicy& policy, const std::string& type) {
    return std::find(policy.wanted_types.begin(), policy.wanted_types.end(), type) !=
           policy.wanted_types.end();
}

// Empty when the URL may be fetched; otherwise why not.
std::string refusal(const DocumentPolicy& policy, const std::string& url) {
    if (auto problem = util::http_url_problem(url); !problem.empty()) {
        return "not fetched: " + problem;
    }
    const std::string host = lower(http::politeness_host(url));
    if (host == lower(http::politeness_host(policy.endpoint_url))) {
        return {};
    }
    for (const auto& allowed : policy.extra_hosts) {
        if (host == lower(allowed)) {
            return {};
        }
    }
    return "host " + host + " is not allowed (document_hosts)";
}

// The served type of a body not listed with one names a type not wanted: the transfer stops.
struct NotWanted {
    std::string type;
};

// Receives one hop's response: a 200's body goes to a BodyFile, anything else is dropped.
class DocumentSink final : public http::BodySink {
public:
    DocumentSink(const DocumentPolicy& policy, const std::optional<std::string>& listed_type,
                 const std::filesystem::path& tmp)
        : m_policy(policy), m_listed(listed_type), m_tmp(tmp) {}

    void on_head(const http::ResponseHead& head) override {
        if (head.status != 200) {
            return;
        }
        m_type = bare_type(head.content_type);
        if (!m_listed && !wanted(m_policy, m_type)) {
            throw NotWanted{m_type.empty() ? "no Content-Type" : m_type};
        }
        m_file = std::make_unique<detail::BodyFile>(m_tmp);
    }
    void on_body(std::string_view bytes) override {
        if (m_file) {
            m_file->write(bytes);
        }
    }
    detail::BodyFile* file() { return m_file.get(); }
    std::unique_ptr<detail::BodyFile> take_file() { return std::move(m_file); }
    // The type the stored body is known by: as served, else as listed.
    std::string type() const {
        return !m_type.empty() ? m_type : m_listed ? bare_type(*m_listed) : "";
    }

private:
    const DocumentPolicy& m_policy;
    const std::optional<std::string>& m_listed;
    const std::filesystem::path& m_tmp;
    std::string m_type;
    std::unique_ptr<detail::BodyFile> m_file;
};

bool is_redirect(long status) {
    return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
}

}  // namespace

http::FetchOptions document_fetch_options(http::FetchOptions base, std::uint64_t max_bytes) {
    base.follow_redirects = false;
    base.max_response_bytes = max_bytes;
    return base;
}

struct DocumentStage::Outcome {
    enum class Kind { stored, unchanged, failed, refused } kind = Kind::failed;
    store::StoredBody body;
    std::string error;
    std::optional<std::string> type;  // of a refused body
    // A stored body's file, held until its row is committed (BodyFile::settle).
    std::unique_ptr<detail::BodyFile> file;
};

DocumentStage::DocumentStage(http::Fetcher& fetcher, store::Store& store,
                             std::filesystem::path database, util::Clock& clock)
    : m_fetcher(fetcher), m_store(store), m_database(std::move(database)), m_clock(clock) {}

DocumentStage::Outcome DocumentStage::fetch(const std::string& first_url,
                                            const std::optional<std::string>& listed_type,
                                            const http::Conditions& conditions,
                                            const DocumentPolicy& policy,
                                            const std::filesystem::path& tmp) {
    using Kind = Outcome::Kind;
    std::string url = first_url;
    for (int hop = 0;; ++hop) {
        if (auto why = refusal(policy, url); !why.empty()) {
            return {Kind::refused,
                    {},
                    why + (hop > 0 ? " (redirected to " + util::redact_credentials(url) + ")" : ""),
                    {}};
        }
        DocumentSink sink(policy, listed_type, tmp);
        std::expected<http::Completed, http::TransportFailure> done;
        try {
            done = m_fetcher.get(url, sink, conditions);
        } catch (const NotWanted& refused) {
            return {Kind::refused,
                    {},
                    "type " + refused.type + " is not wanted (document_types)",
                    refused.type};
        }
        const std::string where = util::redact_credentials(url);
        if (!done) {
            if (done.error().kind == http::FailureKind::too_large) {
                return {Kind::failed,
                        {},
                        "larger than document_max_size, counted decoded: " + where,
                        {}};
            }
            return {Kind::failed, {}, done.error().message, {}};
        }
        const auto& head = done->head;
        if (head.status == 304 && (conditions.etag || conditions.last_modified)) {
            return {Kind::unchanged, {}, {}, {}};
        }
        if (is_redirect(head.status)) {
            if (hop >= policy.max_redirects) {
                return {Kind::failed,
                        {},
                        "more than " + std::to_string(policy.max_redirects) + " redirects from " +
                            util::redact_credentials(first_url),
                        {}};
            }
            auto next = head.location ? http::resolve_location(url, *head.location) : std::nullopt;
            if (!next) {
                return {Kind::failed,
                        {},
                        "HTTP " + std::to_string(head.status) + " without a usable Location from " +
                            where,
                        {}};
            }
            if (lower(url).starts_with("https:") && !lower(*next).starts_with("https:")) {
                return {Kind::refused, {}, "redirect from https to http refused: " + where, {}};
            }
            url = *next;
            continue;
        }
        if (head.status != 200 || sink.file() == nullptr) {
            return {Kind::failed, {}, "HTTP " + std::to_string(head.status) + " from " + where, {}};
        }
        Outcome stored{Kind::stored, {}, {}, {}};
        stored.body.size = static_cast<std::int64_t>(sink.file()->size());
        stored.body.sha256 = sink.file()->commit(m_database);
        stored.file = sink.take_file();
        stored.body.mimetype = sink.type();
        stored.body.etag = head.etag;
        stored.body.last_modified = head.last_modified;
        return stored;
    }
}

void DocumentStage::remove_body(const std::string& sha256, DocumentReport& report) {
    const auto path = body_path(m_database, sha256);
    // Checked again, and removed, in one write transaction: another endpoint may have stored
    // the same body since the caller found it unused.
    store::remove_unused_body(m_store, sha256, [&] {
        std::error_code error;
        if (std::filesystem::remove(path, error)) {
            ++report.bodies_removed;
            detail::sync_folder(path.parent_path());
        } else if (error) {
            spdlog::warn("documents: cannot remove {}: {}", path.string(), error.message());
        }
    });
}

DocumentReport DocumentStage::run(store::EndpointId endpoint, const DocumentPolicy& policy) {
    DocumentReport report;
    auto synced = store::sync_documents(m_store, endpoint, policy.wanted_types);
    report.removed = synced.documents_removed;
    for (const auto& sha : synced.unused_bodies) {
        remove_body(sha, report);
    }
    const auto tmp = tmp_folder(m_database, endpoint);
    std::filesystem::remove_all(tmp);  // downloads a kill cut short
    std::filesystem::create_directories(tmp);

    constexpr std::int64_t k_batch = 100;
    std::int64_t after_id = 0;
    while (!(m_stop && m_stop->load())) {
        auto due = store::due_documents(m_store, endpoint, m_clock.now(), after_id, k_batch);
        if (due.empty()) {
            break;
        }
        for (const auto& document : due) {
            if (m_stop && m_stop->load()) {
                break;
            }
            after_id = document.id;
            http::Conditions conditions;
            if (document.state == "stored") {
                conditions = {document.etag, document.last_modified};
            }
            auto outcome = fetch(document.url, document.listed_mimetype, conditions, policy, tmp);
            const auto now = m_clock.now();
            switch (outcome.kind) {
                case Outcome::Kind::stored: {
                    if (document.sha256 == outcome.body.sha256) {
                        ++report.unchanged;
                    } else {
                        ++report.stored;
                    }
                    auto unused =
                        store::mark_document_stored(m_store, document.id, outcome.body, now);
                    outcome.file->settle(m_database);
                    outcome.file.reset();
                    if (unused) {
                        remove_body(*unused, report);
                    }
                    if (m_on_stored) {
                        m_on_stored(outcome.body.sha256, outcome.body.mimetype);
                    }
                    break;
                }
                case Outcome::Kind::unchanged:
                    ++report.unchanged;
                    store::mark_document_unchanged(m_store, document.id, now);
                    break;
                case Outcome::Kind::refused:
                    ++report.refused;
                    spdlog::info("documents: {} refused: {}",
                                 util::redact_credentials(document.url), outcome.error);
                    store::mark_document_refused(m_store, document.id, outcome.error, outcome.type,
                                                 now);
                    break;
                case Outcome::Kind::failed: {
                    ++report.failed;
                    report.last_error = outcome.error;
                    const auto doublings = std::min<std::int64_t>(document.attempts, 20);
                    auto wait = std::min(policy.first_retry * (std::int64_t{1} << doublings),
                                         policy.max_retry);
                    spdlog::warn("documents: {} failed (attempt {}): {}",
                                 util::redact_credentials(document.url), document.attempts + 1,
                                 outcome.error);
                    store::mark_document_failed(m_store, document.id, outcome.error, now,
                                                now + wait);
                    break;
                }
            }
        }
    }
    return report;
}

}  // namespace oaiharvest::documents
