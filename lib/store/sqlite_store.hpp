#pragma once
// The mirror in one SQLite file (docs/schema.md). Internal to the store: commands reach it
// through Store.
//
// Internally it keeps a second, read-only connection for PageWriter::is_unchanged(), opened at
// the first lookup: commands that only read never pay for it. In WAL it reads the last commit
// and never waits for the writer.

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <utility>

#include "store/store.hpp"

namespace oaiharvest::store {

namespace detail {
class Dictionary;
class ScopePacker;
class SqlitePageRows;
struct StoreAccess;
}  // namespace detail

class SqliteStore final : public Store {
public:
    enum class Access { read_only, harvest };
    SqliteStore(const std::string& path, Access access, const UpgradeObserver& observer);
    ~SqliteStore() override;

    std::string describe() const override { return m_path; }
    void check_file() const override;
    int schema_version() const override;
    void set_query_deadline(std::optional<std::chrono::steady_clock::time_point> deadline) override;

    EndpointFacts endpoint(const std::string& name, const std::string& base_url) override;
    std::optional<EndpointFacts> find_endpoint(const std::string& name) override;
    void save_identify(EndpointId id, const RepositoryFacts& facts, util::UtcTime when) override;
    void save_next_due(EndpointId id, const std::optional<util::UtcTime>& when) override;
    void save_endpoint_error(const std::string& name, const std::optional<std::string>& error,
                             util::UtcTime when) override;
    bool has_unfinished_list(EndpointId id) override;
    ScopeState scope(EndpointId endpoint, const std::string& prefix,
                     const std::string& set_spec) override;
    void abandon_list(ScopeState& scope) override;
    RunId begin_run(const ScopeState& scope, util::UtcTime started,
                    const std::optional<std::string>& from, const std::optional<std::string>& until,
                    bool resumed) override;
    void finish_run(RunId run, Outcome outcome, util::UtcTime finished, const RunEvents& events,
                    const std::optional<std::string>& error) override;
    RunId last_run_id() override;
    int mark_runs_died(std::optional<EndpointId> endpoint, RunId after, bool also_interrupted,
                       const std::string& cause, util::UtcTime when) override;
    bool last_run_died(EndpointId id) override;
    // The harvest lock (lock.hpp) keeps every other harvester out of a SQLite mirror: every
    // lease is this process's.
    std::optional<LeaseHolder> try_lease(EndpointId) override { return std::nullopt; }
    void release_lease(EndpointId) override {}
    bool lease_held_elsewhere(EndpointId) override { return false; }

    std::int64_t record_rows() override;
    std::vector<CopiedRow> copied_rows(MirrorTable table) override;
    void for_each_copied_record(const std::function<void(const CopiedRecord&)>& visit) override;
    void paste_rows(MirrorTable table, const std::vector<CopiedRow>& rows) override;
    void paste_records(const std::vector<PastedRecord>& records) override;
    void finish_paste() override;

protected:
    std::unique_ptr<detail::PageRows> page_rows(RunId run, const ScopeState& scope) override;

private:
    void open_for_harvest(const UpgradeObserver& observer);
    void open_for_reading();
    friend class detail::SqlitePageRows;
    // The query functions of queries.hpp and reconcile.hpp reach the connection through it.
    friend struct detail::StoreAccess;
    struct Statements;
    // The lookup of a record's stored hash, on the read connection.
    sql::Statement& stored_hash_lookup();
    sql::Database& reader();
    // What packs the endpoint's records in the format: made at the first write, with the
    // dictionaries stored (read on the write connection, by the thread writing), and kept for
    // the Store's life.
    std::shared_ptr<detail::ScopePacker> packer(EndpointId endpoint, const std::string& prefix);
    std::map<std::pair<EndpointId, std::string>, std::shared_ptr<detail::ScopePacker>> m_packers;
    std::unique_ptr<sql::Database> m_db;
    std::unique_ptr<Statements> m_stmts;
    std::string m_path;
    std::unique_ptr<sql::Database> m_reader;  // declared before its statement: outlives it
    std::unique_ptr<sql::Statement> m_find_stored_hash;
    // The file's identity when it was opened, for check_file().
    std::uint64_t m_device = 0;
    std::uint64_t m_inode = 0;
};

// Store::open and Store::open_read_only for a SQLite file (lib/store/open.cpp).
std::unique_ptr<Store> open_sqlite(const std::string& path, const UpgradeObserver& observer);
std::unique_ptr<Store> open_sqlite_read_only(const std::string& path);

}  // namespace oaiharvest::store
