#pragma once
// The documents stage: after an endpoint's metadata is harvested, the files its records list
// are derived (store/documents.hpp: sync_documents) and the due ones fetched into the folder of
// layout.hpp, by content (sha256), once however many records list them. docs/documents.md.
//
// What the stage fetches, it fetches through the Fetcher it is given: the caller wraps it in the
// harvest's politeness gate, and makes it with document_fetch_options() (redirects not followed
// by curl: the stage follows at most 5 itself, each hop's host held to the allow-list; the size
// cap counted on decoded bytes). Only http and https; conditional requests (the ETag exactly as
// it was sent) for a stored document whose listing record changed; a 304 downloads nothing.
//
// A failing document never throws out of run(): it is marked failed (retried with backoff) and
// counted. run() throws for local failures only (the database, the folder). A DocumentStage is
// used by one thread; it borrows the fetcher, store and clock, which must outlive it.

#include <atomic>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "http/http.hpp"
#include "store/store.hpp"
#include "util/clock.hpp"

namespace oaiharvest::documents {

struct DocumentPolicy {
    std::string endpoint_url;  // its host is allowed
    std::vector<std::string> wanted_types{"application/pdf", "text/plain", "text/html"};
    std::vector<std::string> extra_hosts;  // allowed besides the endpoint's own
    int max_redirects = 5;
    std::chrono::seconds first_retry{std::chrono::minutes{10}};  // doubled each failure
    std::chrono::seconds max_retry{std::chrono::hours{24}};
};

// The fetch options for documents: `base` (the harvest's) with redirects left to the stage and
// max_bytes as the decoded size cap.
http::FetchOptions document_fetch_options(http::FetchOptions base, std::uint64_t max_bytes);

struct DocumentReport {
    std::int64_t stored = 0;     // bodies fetched and stored (new or changed)
    std::int64_t unchanged = 0;  // 304, or the same bytes again
    std::int64_t failed = 0;
    std::int64_t refused = 0;
    std::int64_t removed = 0;  // documents no record lists any more
    std::int64_t bodies_removed = 0;
    std::optional<std::string> last_error;  // of the last failure, naming its URL
};

// Told of each body stored (text extraction hooks in here): its sha256 and MIME type.
using OnStored = std::function<void(const std::string& sha256, const std::string& mimetype)>;

class DocumentStage {
public:
    // database: the mirror's file, beside which the documents folder lives.
    DocumentStage(http::Fetcher& fetcher, store::Store& store, std::filesystem::path database,
                  util::Clock& clock);

    void set_on_stored(OnStored on_stored) { m_on_stored = std::move(on_stored); }
    // Checked between documents: once set, run() returns after the one in flight.
    void set_stop_flag(const std::atomic<bool>* stop) { m_stop = stop; }

    // Syncs the endpoint's documents, removes bodies no row needs, empties its tmp folder (a
    // download a kill cut short), then fetches every due document once.
    DocumentReport run(store::EndpointId endpoint, const DocumentPolicy& policy);

private:
    struct Outcome;
    Outcome fetch(const std::string& url, const std::optional<std::string>& listed_type,
                  const http::Conditions& conditions, const DocumentPolicy& policy,
                  const std::filesystem::path& tmp);
    void remove_body(const std::string& sha256, DocumentReport& report);

    http::Fetcher& m_fetcher;
    store::Store& m_store;
    std::filesystem::path m_database;
    util::Clock& m_clock;
    OnStored m_on_stored;
    const std::atomic<bool>* m_stop = nullptr;
};

}  // namespace oaiharvest::documents
