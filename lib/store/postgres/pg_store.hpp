#pragma once
// The mirror in a PostgreSQL database (schema/postgresql/, docs/scaling.md), which several
// harvesting machines may share. Internal to the store: commands reach it through Store.
//
// Like the SQLite store it keeps a second connection for PageWriter::is_unchanged(), opened at
// the first lookup, so that one thread may read while another commits.

#include <memory>
#include <optional>
#include <string>

#include "store/postgres/pq.hpp"
#include "store/store.hpp"

namespace oaiharvest::store {

namespace detail {
class PgPageRows;
struct PgAccess;
}  // namespace detail

class PgStore final : public Store {
public:
    enum class Access { read_only, harvest };
    PgStore(const std::string& url, Access access, const UpgradeObserver& observer);
    ~PgStore() override;

    std::string describe() const override { return m_conn.name(); }
    void check_file() const override {}
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
    std::optional<LeaseHolder> try_lease(EndpointId id) override;
    void release_lease(EndpointId id) override;
    bool lease_held_elsewhere(EndpointId id) override;

    std::int64_t record_rows() override;
    std::vector<CopiedRow> copied_rows(MirrorTable table) override;
    void for_each_copied_record(const std::function<void(const CopiedRecord&)>& visit) override;
    void paste_rows(MirrorTable table, const std::vector<CopiedRow>& rows) override;
    void paste_records(const std::vector<PastedRecord>& records) override;
    void finish_paste() override;

protected:
    std::unique_ptr<detail::PageRows> page_rows(RunId run, const ScopeState& scope) override;

private:
    friend class detail::PgPageRows;
    friend struct detail::PgAccess;
    pq::Connection& reader();
    std::string m_url;
    // mutable: schema_version() is const, and asking the server is a read.
    mutable pq::Connection m_conn;
    std::optional<pq::Connection> m_reader;
};

// The connection of a PostgreSQL mirror, for the store's own query code (pg_queries.cpp);
// nullptr for a mirror on another backend.
namespace detail {
struct PgAccess {
    static pq::Connection* connection(Store& store) {
        auto* pg = dynamic_cast<PgStore*>(&store);
        return pg ? &pg->m_conn : nullptr;
    }
};
}  // namespace detail

// Store::open and Store::open_read_only for a PostgreSQL URL.
std::unique_ptr<Store> open_postgres(const std::string& url, const UpgradeObserver& observer);
std::unique_ptr<Store> open_postgres_read_only(const std::string& url);

}  // namespace oaiharvest::store
