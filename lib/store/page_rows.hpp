#pragma once
// What a backend supplies to a page's transaction: the rows of one endpoint's records in one
// format, read and written as PageWriter's rules decide (newest wins, deletions across formats,
// withdrawn records: page_write.cpp). The rules live once, above every backend. Internal to
// the store.
//
// Threads: stored_hash_equals() may run on another thread than the writes, while they run (it
// reads the last commit on a connection of its own); everything else runs on the thread that
// writes the page.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "metadata/metadata.hpp"
#include "store/store.hpp"
#include "util/hash.hpp"

namespace oaiharvest::store::detail {

// A record's row in the page's format, as a copy is compared with it.
struct StoredRow {
    std::int64_t id = 0;
    util::ContentHash hash{};
    bool deleted = false;
    std::string datestamp;
    bool gone = false;  // a reconcile found it no longer listed, or the format withdrawn
    std::string sets;   // a JSON array, sorted
};

// The record's row in another format of the same endpoint.
struct OtherFormatRow {
    std::int64_t id = 0;
    std::string prefix;
    std::string datestamp;
    bool deleted = false;
    std::string sets;
    bool has_metadata = false;
    bool gone = false;
};

// A row's header fields as one write sets them.
struct RowHeader {
    const std::string& datestamp;
    const std::string& sets;
    const util::ContentHash& hash;
    const std::string& now;  // last_seen and last_changed
};

class PageRows {
public:
    virtual ~PageRows() = default;

    // True when the record's row in the format holds this hash, as of the last commit.
    virtual bool stored_hash_equals(const std::string& identifier,
                                    const util::ContentHash& hash) = 0;

    virtual void begin() = 0;
    virtual void commit() = 0;
    // Ends a failed transaction; the error that got here first is the one worth reporting.
    virtual void roll_back() noexcept = 0;

    // Metadata and JSON as the backend stores them (SQLite: zstd frames with the endpoint's
    // dictionaries). Called only for values that will be written, in the transaction.
    virtual std::string encode_metadata(const std::string& xml) = 0;
    virtual std::string encode_json(const std::string& json) = 0;

    virtual std::optional<StoredRow> find(const std::string& identifier) = 0;
    // encoded_metadata nullptr: a tombstone, never seen live here. Returns the row's id.
    virtual std::int64_t insert(const std::string& identifier, bool deleted,
                                const RowHeader& header, const std::string* encoded_metadata) = 0;
    virtual void update(std::int64_t id, const RowHeader& header,
                        const std::string& encoded_metadata) = 0;
    virtual void mark_deleted(std::int64_t id, const RowHeader& header) = 0;
    // Deleted, gone_at set when it was not: no longer offered in this format.
    virtual void mark_withdrawn(std::int64_t id, const RowHeader& header) = 0;
    virtual std::vector<OtherFormatRow> other_formats(const std::string& identifier) = 0;
    // The datestamps of the record's deletions in other formats (rows not gone).
    virtual std::vector<std::string> deletions_elsewhere(const std::string& identifier) = 0;
    virtual bool has_metadata(std::int64_t id) = 0;
    // The record JSON stored for the row, decoded; nullopt when none.
    virtual std::optional<std::string> read_json(std::int64_t id) = 0;

    // The catalogue (items and their search index) of a row written live, new or deleted.
    virtual void catalogue(std::int64_t id, const metadata::Envelope& entry,
                           const metadata::Description& description,
                           const std::string& encoded_json, bool existed) = 0;
    // A row now deleted whose stored JSON was patched to its deletion: names, subjects and
    // the year stay.
    virtual void catalogue_deleted(std::int64_t id, const std::string& encoded_json) = 0;

    // The scope's position after the page; complete_at set when its list completed.
    virtual void save_scope(const ScopeState& scope,
                            const std::optional<std::string>& complete_at) = 0;
    virtual void add_page_to_run(RunId run, const PageCounts& counts, const RunEvents& events) = 0;
};

}  // namespace oaiharvest::store::detail
