#pragma once
// The documents of a mirror (schema/010_documents.sql; docs/documents.md): which files the
// records list, and where fetching each stands. The store knows rows, not files on disk: what
// it hands back is the sha256 of bodies no row needs any more, for lib/documents to remove.
// Uses the Store's write connection (read-only Stores: document_counts, lists_documents and
// listed_documents only); same thread rules as the Store.

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "store/store.hpp"

namespace oaiharvest::store {

struct DocumentSyncResult {
    std::int64_t records_read = 0;  // record rows whose list was derived again
    std::int64_t documents_added = 0;
    std::int64_t documents_removed = 0;      // no record lists them any more
    std::vector<std::string> unused_bodies;  // sha256s no documents row has now
};

// Brings the endpoint's documents and record_documents up to date with the `files` of its
// live records (a live copy with no newer deletion of the record), in one transaction.
// Incremental: only records changed since the last sync are read again, unless `wanted_types`
// differs from the last sync's. A file listed with a MIME type not in wanted_types is not a
// document; one listed without a type is (its Content-Type decides later). A listing record
// that changed sets revalidate on a document already stored. Throws sql errors.
DocumentSyncResult sync_documents(Store& store, EndpointId endpoint,
                                  const std::vector<std::string>& wanted_types);

struct DueDocument {
    std::int64_t id = 0;
    std::string url;
    std::optional<std::string> listed_mimetype;
    std::string state;  // pending, failed or stored (with revalidate)
    std::optional<std::string> sha256;
    std::optional<std::string> etag;
    std::optional<std::string> last_modified;
    std::int64_t attempts = 0;
};

// Documents to fetch now: pending ones, failed ones whose next_attempt_at has passed, and stored
// ones marked revalidate (whose retry, after a failed check, is due). At most `limit` with an
// id above after_id, by id (a caller pages through them).
std::vector<DueDocument> due_documents(Store& store, EndpointId endpoint, util::UtcTime now,
                                       std::int64_t after_id, std::int64_t limit);

struct StoredBody {
    std::string sha256;
    std::int64_t size = 0;
    std::string mimetype;
    std::optional<std::string> etag;
    std::optional<std::string> last_modified;
};

// The body is on disk: the row becomes stored. Returns the sha256 the row had before when no
// row has it any more (its body may go).
std::optional<std::string> mark_document_stored(Store& store, std::int64_t id,
                                                const StoredBody& body, util::UtcTime now);
// A conditional request answered 304: only checked_at changes (and the retry state clears).
void mark_document_unchanged(Store& store, std::int64_t id, util::UtcTime now);
// Not fetched (retried at next_attempt): failed, or a stored one kept stored with the error.
void mark_document_failed(Store& store, std::int64_t id, const std::string& error,
                          util::UtcTime now, util::UtcTime next_attempt);
// Never fetched again until a listing record changes: a type not wanted, a host not allowed.
void mark_document_refused(Store& store, std::int64_t id, const std::string& reason,
                           const std::optional<std::string>& mimetype, util::UtcTime now);
// True when some documents row has this sha256.
bool body_in_use(Store& store, const std::string& sha256);
// Calls remove() when no documents row has this sha256, inside a write transaction: a process
// marking a document stored with that body (mark_document_stored) waits until remove() is
// done, and then finds the body gone and puts it back (BodyFile::settle). Without the
// transaction, two endpoints sharing a body could end with a row `stored` and no file. Returns
// whether remove() was called; what remove() throws rolls back and propagates.
bool remove_unused_body(Store& store, const std::string& sha256,
                        const std::function<void()>& remove);

struct DocumentCounts {
    std::int64_t stored = 0;
    std::int64_t pending = 0;
    std::int64_t failed = 0;
    std::int64_t refused = 0;
    std::optional<std::string> last_error;  // of the failure most recently tried
    std::optional<std::string> last_error_at;
};
// Of the endpoint of that name (all zero when none).
DocumentCounts document_counts(Store& store, const std::string& endpoint);

struct ListedDocument {
    std::string url;
    std::string state;
    std::optional<std::string> sha256;
    std::optional<std::int64_t> size;     // stored size, else the listed one
    std::optional<std::string> mimetype;  // served type, else the listed one
    std::optional<std::string> error;
};
// True when some record lists a document: a mirror without any can skip asking per record.
bool lists_documents(Store& store);

// The documents the record's copies list, by URL.
std::vector<ListedDocument> listed_documents(Store& store, const std::string& endpoint,
                                             const std::string& identifier);

}  // namespace oaiharvest::store
