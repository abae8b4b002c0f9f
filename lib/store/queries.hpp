#pragma once
// Reading the mirror: status of scopes, single records, streaming iteration for export.
// Same threading as Store: one thread at a time per Store. Readers never wait on a harvest
// (WAL): they see the last committed page.

#include <cstdint>
#include <expected>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "search/query.hpp"
#include "store/store.hpp"

namespace oaiharvest::store {

struct LastRun {
    std::string kind;  // harvest | reconcile
    std::string started_at;
    std::optional<std::string> finished_at;
    std::string outcome;  // running | ok | failed | interrupted
    std::int64_t pages = 0;
    std::int64_t records_new = 0;
    std::int64_t records_updated = 0;
    std::int64_t records_unchanged = 0;
    std::int64_t records_deleted = 0;
    std::int64_t retries = 0;
    std::int64_t token_restarts = 0;
    std::int64_t repaired_characters = 0;
    std::int64_t records_stale = 0;          // older copies not stored (newest wins)
    std::int64_t records_kept_metadata = 0;  // headers without metadata: the stored one kept
    std::int64_t records_gone = 0;           // reconcile: no longer listed by the server
    std::int64_t sets_corrected = 0;         // reconcile: set membership repaired
    std::optional<std::string> error;
};

// One scope's state; an endpoint without any scope yet has one entry with an empty
// metadata_prefix.
struct ScopeStatus {
    std::string endpoint;
    std::string base_url;
    std::optional<std::string> repository_name;
    std::optional<std::string> granularity;
    std::optional<std::string> deleted_record;
    std::string metadata_prefix;
    std::string set_spec;
    std::int64_t records = 0;  // live and deleted
    std::int64_t deleted = 0;  // gone ones included
    std::int64_t gone = 0;     // deleted because a reconcile found them no longer listed
    std::optional<std::string> next_from;
    std::optional<std::string> pending_token;
    std::optional<std::int64_t> pending_cursor;
    std::optional<std::int64_t> complete_list_size;
    std::int64_t list_records = 0;
    std::optional<LastRun> last_run;        // the latest harvest
    std::optional<LastRun> last_reconcile;  // the latest reconcile
    std::optional<std::string> next_due;    // the daemon's next run of the endpoint
    // Why the endpoint's last harvest failed before its scopes (Identify, formats), and when.
    std::optional<std::string> endpoint_error;
    std::optional<std::string> endpoint_error_at;
};

// Every scope, or those of the named endpoints, ordered by endpoint, prefix, set.
std::vector<ScopeStatus> scope_status(Store& store, const std::vector<std::string>& endpoints);

struct StoredRecord {
    std::string endpoint;
    std::string identifier;
    std::string metadata_prefix;
    std::string datestamp;
    bool deleted = false;
    std::vector<std::string> sets;
    std::optional<std::string> metadata;  // raw XML; nullopt for a tombstone
    std::string last_changed;
    std::string json;  // the normalized record JSON (contract), one line
};

// Every stored version (one per endpoint and prefix) of the identifier.
std::vector<StoredRecord> find_records(Store& store, const std::string& identifier);

struct ExportFilter {
    std::optional<std::string> endpoint;
    std::optional<std::string> since;  // UTC "YYYY-MM-DDThh:mm:ssZ": last_changed at or after
    bool include_deleted = false;
    // Read every field of the record, the raw metadata XML and the sets list included (the XML
    // export); otherwise a record carries its normalized JSON alone (its other fields empty),
    // which is all JSONL and CSV need, and is read without the records' rows.
    bool raw = true;
};

// Calls visit for each matching record's current copies (see queries.cpp), one record's copies
// in memory at a time, in the order of the records' unique index: by endpoint (in the order
// they were first harvested), identifier and prefix; no sort of the whole mirror is needed.
void for_each_record(Store& store, const ExportFilter& filter,
                     const std::function<void(const StoredRecord&)>& visit);

struct SearchHit {
    std::string endpoint;
    std::string identifier;
    std::optional<std::int64_t> year;
    std::vector<std::string> names;  // the first three, display form
    std::optional<std::string> title;
    double rank = 0;  // bm25: lower is better (within its kind of match)
    // Found through the text of one of its documents only, not its metadata.
    bool in_full_text = false;
};

// Full-text search over titles, subtitles, abstracts, names and subjects of live records,
// best first (bm25, titles weighted most), one hit per endpoint and identifier. Records found
// only through the text of their documents (document_texts) follow every metadata match,
// best first by bm25 on the text. A query naming a metadata column (`title:x`) searches
// metadata alone. Words matched in the script they were typed in rank above words matched
// only in the other (search/query.hpp). The error is a message for the user when the query
// cannot be read: no words, or not valid FTS5 syntax.
std::expected<std::vector<SearchHit>, std::string> search(
    Store& store, const std::string& query, int limit,
    search::QuerySyntax syntax = search::QuerySyntax::words);

}  // namespace oaiharvest::store
