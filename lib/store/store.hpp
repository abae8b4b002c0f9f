#pragma once
// The mirror: endpoints, harvest scopes with their incremental state, records, runs.
// Schema in schema/*.sql (SQLite) and schema/postgresql/*.sql, applied in order at open and
// recorded in the database.
//
// The store's interface names no SQLite, PostgreSQL, OAI or libxml2 type: what it is handed is
// finished rows (rows.hpp: RecordCopy, normalized by lib/harvest), and what it hands out is plain
// structs, so that both backends stand behind it. The read commands' queries are in queries.hpp,
// reconcile's in reconcile.hpp.
//
// A Store is used by one thread at a time, with one exception: see PageWriter for the one way
// two threads may share it (internally it then reads on a second connection).
// Harvest writes go through a PageWriter: one transaction per page, holding the page's records
// and the scope's next resumption token together, so a crash leaves either the whole page or
// none of it.

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "metadata/metadata.hpp"
#include "store/copy.hpp"
#include "store/rows.hpp"
#include "util/hash.hpp"
#include "util/time.hpp"

namespace oaiharvest::store {

namespace sql {
class Database;
class Statement;
}  // namespace sql
namespace detail {
class PageRows;
}  // namespace detail

using EndpointId = std::int64_t;
using ScopeId = std::int64_t;
using RunId = std::int64_t;

// Who holds an endpoint's lease (Store::try_lease): "oaiharvest pid 1234 on host" as that
// process named its session, or empty when the name cannot be read.
struct LeaseHolder {
    std::string who;
};

// The database is newer than this binary, or otherwise unusable.
class StoreError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// The database file was deleted, moved or replaced while a harvest was writing to it: what it
// wrote went to a file nobody will read. Not a StoreError: the run failed, the command was fine.
class DatabaseReplaced : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

struct EndpointFacts {
    EndpointId id = 0;
    std::string name;
    std::string base_url;
    std::optional<std::string> granularity;
    std::optional<std::string> deleted_record;
    std::optional<std::string> identified_at;
};

// Where one (endpoint, prefix, set) harvest stands.
struct ScopeState {
    ScopeId id = 0;
    EndpointId endpoint_id = 0;
    std::string endpoint_name;
    std::string metadata_prefix;
    std::string set_spec;  // "" is the whole repository
    std::optional<std::string> next_from;
    // A list in progress (pending_token set): what it asked and where its next page is.
    std::optional<std::string> list_started;
    std::optional<std::string> list_from;
    std::optional<std::string> list_until;
    std::optional<std::string> pending_token;
    std::optional<std::int64_t> pending_cursor;
    std::optional<std::int64_t> complete_list_size;
    std::int64_t list_pages = 0;
    std::int64_t list_records = 0;
    // The newest datestamp seen so far in the list in progress.
    std::optional<std::string> list_newest;

    // No list in progress any more (it completed, or its token was rejected).
    void forget_list() {
        list_started.reset();
        list_from.reset();
        list_until.reset();
        pending_token.reset();
        pending_cursor.reset();
        complete_list_size.reset();
        list_pages = 0;
        list_records = 0;
        list_newest.reset();
    }
};

enum class RecordChange { added, updated, unchanged, deleted, stale };

struct PageCounts {
    std::int64_t records_new = 0;
    std::int64_t records_updated = 0;
    std::int64_t records_unchanged = 0;
    // Deletions, those a deleted header in one format brought to the others included (a row
    // there that was deleted already only takes the newer deletion's date, uncounted).
    std::int64_t records_deleted = 0;
    std::int64_t unreadable_records = 0;
    // Copies not stored: the mirror holds the record with a newer datestamp, or a deletion in
    // another format newer than the copy.
    std::int64_t records_stale = 0;
    // Live headers without metadata (the record not offered in this format): held as gone
    // from the format, the metadata stored earlier kept.
    std::int64_t records_kept_metadata = 0;

    PageCounts& operator+=(const PageCounts& page) {
        records_new += page.records_new;
        records_updated += page.records_updated;
        records_unchanged += page.records_unchanged;
        records_deleted += page.records_deleted;
        unreadable_records += page.unreadable_records;
        records_stale += page.records_stale;
        records_kept_metadata += page.records_kept_metadata;
        return *this;
    }
};

// Counted outside pages (a retry, a token restart) and added to the run with the next commit.
struct RunEvents {
    std::int64_t retries = 0;
    std::int64_t token_restarts = 0;
    std::int64_t repaired_characters = 0;
};

// How a committed page leaves its list.
struct PageEnd {
    std::optional<ListPosition> next;  // nullopt: the list is complete
    // responseDate of the list's first request; empty when it had none in UTC.
    std::string list_started;
    std::optional<std::string> list_from;
    std::optional<std::string> list_until;
};

// How an upgrade of an existing mirror's schema stands, for a progress line: packing a big
// mirror (schema 9) takes minutes. step names what is being done ("packing records",
// "indexing", "reclaiming space"); done of total.
struct UpgradeProgress {
    std::string step;
    std::int64_t done = 0;
    std::int64_t total = 0;
};
using UpgradeObserver = std::function<void(const UpgradeProgress&)>;

// died: the process harvesting it ended without finishing the run (a crash, a signal, a
// resource limit); the run's error says why.
enum class Outcome { ok, failed, interrupted, died };

class Store;

// One page's transaction. Destroying it without commit() rolls everything back.
//
// Records arrive as the response streams in, which may take seconds; holding the database's
// write lock that long would make parallel harvests into one database wait on each other's
// downloads. So a page's records are held in memory and written when it commits, in one short
// transaction; only a page larger than k_held_bytes starts its transaction early and writes
// through, so that memory stays flat whatever the page size.
//
// The rules (newest wins, deletions across formats, withdrawn records) are here, once for every
// backend; a backend supplies the rows they read and write (detail::PageRows, page_rows.hpp).
//
// Threads: is_unchanged() and a held put() do not touch the connection commits use, so one
// thread may fill a page while another commits the previous one (lib/harvest's page pipeline).
// put() writes only to write through; it first calls the hook given to before_write_through(),
// which must return once no other thread commits.
class PageWriter {
public:
    ~PageWriter();
    PageWriter(const PageWriter&) = delete;
    PageWriter& operator=(const PageWriter&) = delete;
    PageWriter(PageWriter&& other) noexcept;
    PageWriter& operator=(PageWriter&&) = delete;

    static constexpr std::size_t k_held_bytes = 2U << 20;

    // The endpoint's name and the format's prefix, for the copies' JSON.
    const std::string& endpoint_name() const { return m_endpoint_name; }
    const std::string& metadata_prefix() const { return m_prefix; }

    // True when the mirror holds this copy already (the same header, sets and metadata), as of
    // the last commit: put() will then cost no write, and the copy need not be normalized.
    // Cheap (one indexed read); copy.normalized is not looked at.
    bool is_unchanged(const RecordCopy& copy);

    // Stores one copy (live or deleted header). Newest wins: a copy older than the stored one
    // (or than a deletion stored in another format) is counted stale and not stored; a deletion
    // applies to the record's other formats too and keeps the metadata stored before; a live
    // header without metadata (the record not offered in this format) marks it gone from the
    // format and keeps the metadata stored earlier. An unchanged record costs no write. What
    // changed is in counts() once the page commits.
    //
    // A copy that is written needs its normalized form: the caller makes it beforehand unless
    // is_unchanged() said true. When the copy lacks it but must be written after all (the
    // record changed meanwhile: a copy repeated in the page or in the page being committed),
    // the store calls `normalize` then, on the thread that writes the page: rare.
    void put(RecordCopy copy, Normalizer normalize);
    const PageCounts& counts() const { return m_counts; }

    // Called on put()'s thread just before the page's transaction begins early; put() rethrows
    // what it throws.
    void before_write_through(std::function<void()> hook) {
        m_before_write_through = std::move(hook);
    }

    // Commits the records, the scope's new position and the run's counters together, and
    // updates `scope` to match.
    void commit(ScopeState& scope, const PageEnd& end, const RunEvents& events);
    // Commits the records and the run's counters alone, for records fetched outside a list
    // (reconcile's GetRecord): no scope's position changes.
    void commit_records(const RunEvents& events);

private:
    friend class Store;
    PageWriter(std::unique_ptr<detail::PageRows> rows, RunId run, const ScopeState& scope);
    // What a record's stored state is compared by: its sets, sorted (as a list and as the JSON
    // stored), and the content hash over them, the header and the metadata. Made once a record.
    struct Fingerprint {
        std::vector<std::string> set_list;
        std::string sets;
        util::ContentHash hash;
    };
    static Fingerprint fingerprint(const RecordCopy& copy);
    // A copy waiting for the transaction.
    struct HeldRecord {
        RecordCopy copy;
        Fingerprint fingerprint;
        // Encoded by the backend (packed, on SQLite) when known to be needed, at write time.
        std::optional<std::string> encoded_metadata;
        std::optional<std::string> encoded_json;
        Normalizer normalize;
    };
    // lib/store/page_write.cpp
    RecordChange write(HeldRecord& held);
    // What becomes of the held records once written. kept: freed with the PageWriter, on the
    // thread that made them (PageCommitter destroys a committed page there); freeing them on
    // the committing thread took glibc's arena lock of the reading thread for each record, 9 %
    // of a harvest's time. freed: at once, for a page too big to hold (memory stays flat).
    enum class Written { kept, freed };
    void begin_transaction(Written written);
    // The newest datestamp of a deletion of the record stored in another format (not a format
    // the server stopped offering it in); nullopt when none.
    std::optional<std::string> newest_deletion_elsewhere(const std::string& identifier);
    // Marks the record deleted in its other formats whose copies are not newer than `deletion`.
    void apply_deletion_elsewhere(const RecordCopy& deletion);
    // Marks one row deleted as `deletion` says, keeping its sets and last metadata.
    void mark_row_deleted(std::int64_t id, const std::string& prefix, const std::string& sets_json,
                          bool has_metadata, const RecordCopy& deletion);
    // A live header without metadata: the server does not offer the record in this format.
    static bool is_withdrawn(const RecordCopy& copy);
    // Stores the row as no longer offered in this format (deleted, gone_at set), keeping the
    // metadata stored before.
    void withdraw(std::int64_t id, const RecordCopy& copy, const Fingerprint& fingerprint,
                  bool has_metadata, bool existed);
    // Writes the catalogue of a copy written live or new, normalizing it when it was not.
    void catalogue(std::int64_t record_id, HeldRecord& held, bool existed);
    // The catalogue of a row now deleted, which keeps `prefix` and the metadata stored before
    // (has_metadata): its stored JSON patched to the deletion's header (lib/store/deleted_json).
    void catalogue_deleted(std::int64_t record_id, const std::string& prefix,
                           const RecordCopy& deletion, const std::vector<std::string>& set_list,
                           bool has_metadata, bool existed, bool count_unreadable);
    metadata::Envelope envelope(const RecordCopy& copy, const std::string& prefix,
                                const std::vector<std::string>& sets) const;
    // Writes the held records, what `also` writes, and the run's counters, and commits; rolls
    // everything back when any of it throws.
    void commit_with(const RunEvents& events, const std::function<void()>& also);
    std::unique_ptr<detail::PageRows> m_rows;
    RunId m_run;
    std::string m_endpoint_name;
    std::string m_prefix;
    std::string m_now;  // last_seen and last_changed of every record in the page
    PageCounts m_counts;
    std::int64_t m_received = 0;          // records put, stale ones included
    std::optional<std::string> m_newest;  // the newest datestamp among them
    std::vector<HeldRecord> m_held;       // until the transaction begins
    std::vector<HeldRecord> m_written;    // after, when Written::kept
    std::size_t m_held_bytes = 0;
    std::function<void()> m_before_write_through;
    bool m_in_transaction = false;
    bool m_open = true;
};

// The mirror, whichever database holds it: a SQLite file (lib/store/sqlite_store.hpp) or a
// PostgreSQL database (lib/store/postgres/). Commands and lib/harvest see only this.
class Store {
public:
    // For harvesting: opens or creates the mirror and brings its schema up to date.
    // `database` is a SQLite file's path, or a PostgreSQL URL (postgresql://... or
    // postgres://..., is_postgres_url()).
    //
    // SQLite: a file that does not exist, is empty (0 bytes) or is SQLite without any table
    // becomes a new mirror. Throws StoreError, having written nothing, when the file is not a
    // usable database, holds another application's tables, or is newer than this binary. An
    // older mirror is upgraded in one transaction: an upgrade that fails or is killed leaves it
    // as it was; observer, when set, hears how it goes, and may throw to abandon it.
    // PostgreSQL: the database must exist; an empty one (no oaiharvest tables) becomes a new
    // mirror; one whose tables are another application's is refused.
    static std::unique_ptr<Store> open(const std::string& database,
                                       const UpgradeObserver& observer = {});
    // For reading commands: opens an existing mirror and never writes to it (SQLite's mode=ro;
    // on a read-only folder or mount, immutable; PostgreSQL: a read-only session). Throws
    // StoreError naming the database when it is missing, empty, not an oaiharvest database, or
    // of another schema version.
    static std::unique_ptr<Store> open_read_only(const std::string& database);
    virtual ~Store();
    Store(const Store&) = delete;
    Store& operator=(const Store&) = delete;
    Store(Store&&) = delete;
    Store& operator=(Store&&) = delete;

    // What the mirror is, for messages: the file's path, or the URL without its password.
    virtual std::string describe() const = 0;
    // Throws DatabaseReplaced when the path no longer names the file this Store opened (same
    // device and inode); a PostgreSQL store has nothing to check. begin_page() and finish_run()
    // call it.
    virtual void check_file() const = 0;
    virtual int schema_version() const = 0;
    // Queries still running at `deadline` stop and throw; nullopt: no limit. For a server, which
    // bounds the time each request takes. On PostgreSQL each statement gets the time left when
    // this is called (statement_timeout): a call of several statements may outlast the deadline.
    virtual void set_query_deadline(
        std::optional<std::chrono::steady_clock::time_point> deadline) = 0;

    virtual EndpointFacts endpoint(const std::string& name, const std::string& base_url) = 0;
    virtual std::optional<EndpointFacts> find_endpoint(const std::string& name) = 0;
    virtual void save_identify(EndpointId id, const RepositoryFacts& facts, util::UtcTime when) = 0;
    // The daemon's plan for the endpoint, shown by `status`; nullopt clears it.
    virtual void save_next_due(EndpointId id, const std::optional<util::UtcTime>& when) = 0;
    // The endpoint-level failure of the last harvest; nullopt clears it.
    virtual void save_endpoint_error(const std::string& name,
                                     const std::optional<std::string>& error,
                                     util::UtcTime when) = 0;
    // True when a scope of the endpoint has a list in progress (a pending resumption token).
    virtual bool has_unfinished_list(EndpointId id) = 0;

    virtual ScopeState scope(EndpointId endpoint, const std::string& prefix,
                             const std::string& set_spec) = 0;
    // Forgets the list in progress (its token was rejected) and keeps next_from.
    virtual void abandon_list(ScopeState& scope) = 0;

    // Marks runs left 'running' by a killed process as interrupted, then starts a new one.
    virtual RunId begin_run(const ScopeState& scope, util::UtcTime started,
                            const std::optional<std::string>& from,
                            const std::optional<std::string>& until, bool resumed) = 0;
    virtual void finish_run(RunId run, Outcome outcome, util::UtcTime finished,
                            const RunEvents& events, const std::optional<std::string>& error) = 0;

    // Runs whose process is gone. The caller must hold the harvest lock, or have seen the
    // process that ran them end; on PostgreSQL, the runs of an endpoint whose lease another
    // session holds are left alone (that session's process is alive).
    // The highest run id so far, 0 when none: runs started later have higher ids.
    virtual RunId last_run_id() = 0;
    // Marks the endpoint's runs after `after` that are still 'running' (and, with
    // also_interrupted, those a stop ended) as died with `cause`; every endpoint's when
    // `endpoint` is nullopt. Returns how many.
    virtual int mark_runs_died(std::optional<EndpointId> endpoint, RunId after,
                               bool also_interrupted, const std::string& cause,
                               util::UtcTime when) = 0;
    // True when the latest harvest run of one of the endpoint's scopes died or is marked running
    // (whether another process runs it is for its lease to say: the daemon then looks again).
    virtual bool last_run_died(EndpointId id) = 0;

    // Leases (lease.hpp): while this store's session holds an endpoint's lease, no other
    // process harvests or reconciles that endpoint. Takes it without waiting: nullopt when it is
    // ours now, else who holds it. A session may take one lease more than once, and then
    // releases it as often.
    virtual std::optional<LeaseHolder> try_lease(EndpointId id) = 0;
    virtual void release_lease(EndpointId id) = 0;
    // True when another session holds the endpoint's lease now: a look, taking nothing.
    virtual bool lease_held_elsewhere(EndpointId id) = 0;

    PageWriter begin_page(RunId run, const ScopeState& scope);

    // Copying a whole mirror to another (copy.hpp; `oaiharvest copy`).
    // How many record rows the mirror holds, every format and deletion included.
    virtual std::int64_t record_rows() = 0;
    virtual std::vector<CopiedRow> copied_rows(MirrorTable table) = 0;
    // Every record row, by id, one in memory at a time.
    virtual void for_each_copied_record(const std::function<void(const CopiedRecord&)>& visit) = 0;
    // Writes rows read from another mirror, ids included, in one transaction: a table's rows
    // before the rows that refer to them (endpoints, scopes, runs, records).
    virtual void paste_rows(MirrorTable table, const std::vector<CopiedRow>& rows) = 0;
    virtual void paste_records(const std::vector<PastedRecord>& records) = 0;
    // After the last paste: what the backend keeps beside the rows (PostgreSQL's id sequences).
    virtual void finish_paste() = 0;

protected:
    Store() = default;
    // The rows one page of the scope's run reads and writes.
    virtual std::unique_ptr<detail::PageRows> page_rows(RunId run, const ScopeState& scope) = 0;
};

// True when `database` names a PostgreSQL database rather than a SQLite file.
bool is_postgres_url(const std::string& database);
// The database as messages name it: a file's path as given, a URL without its password.
std::string database_name(const std::string& database);

}  // namespace oaiharvest::store
