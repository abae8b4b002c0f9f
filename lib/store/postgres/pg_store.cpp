// Opening a PostgreSQL mirror (created or upgraded in one transaction, under an advisory lock
// so that daemons starting together migrate once), and its endpoints, scopes and runs.
#include "store/postgres/pg_store.hpp"

#include <algorithm>
#include <chrono>

#include "migrations.hpp"
#include "store/lease.hpp"
#include "store/lock.hpp"
#include "store/postgres/pg_lease.hpp"
#include "util/time.hpp"

namespace oaiharvest::store {
namespace {

using pq::integer;
using pq::null;
using pq::text;

// Any 64-bit number of our own: what the advisory lock of a migration is known by.
constexpr std::int64_t k_migration_lock = 0x6f6169686172;  // "oaihar"

int newest_postgres_version() {
    return detail::k_postgres_migrations.back().version;
}

// The schema version of the mirror in the connected database: 0 when it holds no oaiharvest
// tables. Throws StoreError when it holds another application's tables.
int mirror_version(pq::Connection& conn) {
    auto ours = conn.exec("SELECT to_regclass('schema_migrations') IS NOT NULL");
    if (ours.text(0, 0) == "t") {
        auto version = conn.exec("SELECT coalesce(max(version), 0) FROM schema_migrations");
        return static_cast<int>(version.int64(0, 0));
    }
    auto tables = conn.exec(
        "SELECT string_agg(tablename, ', ' ORDER BY tablename) FROM pg_tables "
        "WHERE schemaname = current_schema()");
    if (!tables.is_null(0, 0)) {
        throw StoreError(conn.name() + " is not an oaiharvest database: it holds other tables (" +
                         std::string(tables.text(0, 0)) +
                         "); give oaiharvest a database, or a schema, of its own");
    }
    return 0;
}

void refuse_newer(const pq::Connection& conn, int current) {
    if (current > newest_postgres_version()) {
        throw StoreError(conn.name() + " has schema version " + std::to_string(current) +
                         ", newer than this oaiharvest (" +
                         std::to_string(newest_postgres_version()) +
                         "): upgrade oaiharvest; it will not downgrade a database");
    }
}

void migrate(pq::Connection& conn) {
    pq::Transaction transaction(conn);
    conn.exec("SELECT pg_advisory_xact_lock($1)", {integer(k_migration_lock)});
    // Looked at under the lock: another daemon may have migrated meanwhile.
    int current = mirror_version(conn);
    refuse_newer(conn, current);
    if (current == newest_postgres_version()) {
        return;
    }
    conn.exec_script(
        "CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, "
        "name text NOT NULL, applied_at text NOT NULL)");
    const auto now = util::format_utc_seconds(util::now_utc());
    for (const auto& migration : detail::k_postgres_migrations) {
        if (migration.version <= current) {
            continue;
        }
        conn.exec_script(std::string(migration.sql));
        conn.exec("INSERT INTO schema_migrations VALUES ($1, $2, $3)",
                  {integer(migration.version), text(migration.name), text(now)});
    }
    transaction.commit();
}

EndpointFacts read_endpoint(const pq::Result& r) {
    EndpointFacts facts;
    facts.id = r.int64(0, 0);
    facts.name = r.text(0, 1);
    facts.base_url = r.text(0, 2);
    facts.granularity = r.optional_text(0, 3);
    facts.deleted_record = r.optional_text(0, 4);
    facts.identified_at = r.optional_text(0, 5);
    return facts;
}

std::optional<std::int64_t> optional_int(const pq::Result& r, int column) {
    if (r.is_null(0, column)) {
        return std::nullopt;
    }
    return r.int64(0, column);
}

pq::Param text_or_null(const std::string& s) {
    return s.empty() ? null() : text(s);
}

}  // namespace

PgStore::PgStore(const std::string& url, Access access, const UpgradeObserver& /*observer*/)
    : m_url(url), m_conn(pq::Connection::open(url)) {
    detail::identify_session(m_conn);  // its session holds the leases
    if (access == Access::harvest) {
        migrate(m_conn);
        return;
    }
    m_conn.exec("SET default_transaction_read_only = on");
    int current = mirror_version(m_conn);
    if (current == 0) {
        throw StoreError(m_conn.name() + " is not an oaiharvest database (it holds no mirror " +
                         "yet: `oaiharvest harvest` makes one)");
    }
    refuse_newer(m_conn, current);
    if (current < newest_postgres_version()) {
        throw StoreError(m_conn.name() + " has schema version " + std::to_string(current) +
                         ", older than this oaiharvest (" +
                         std::to_string(newest_postgres_version()) +
                         "): run `oaiharvest harvest` once, which upgrades it");
    }
}

PgStore::~PgStore() = default;

pq::Connection& PgStore::reader() {
    if (!m_reader) {
        m_reader.emplace(pq::Connection::open(m_url));
    }
    return *m_reader;
}

int PgStore::schema_version() const {
    return static_cast<int>(
        m_conn.exec("SELECT coalesce(max(version), 0) FROM schema_migrations").int64(0, 0));
}

void PgStore::set_query_deadline(std::optional<std::chrono::steady_clock::time_point> deadline) {
    // statement_timeout is per statement: the closest PostgreSQL has to a deadline for all.
    std::int64_t ms = 0;  // no limit
    if (deadline) {
        // Rounded up: a statement stopped by the timeout is past the deadline, as the server's
        // 503 for a request out of time expects.
        auto left = std::chrono::ceil<std::chrono::milliseconds>(*deadline -
                                                                 std::chrono::steady_clock::now());
        ms = std::max<std::int64_t>(1, left.count());
    }
    m_conn.exec("SELECT set_config('statement_timeout', $1, false)", {text(std::to_string(ms))});
}

std::optional<EndpointFacts> PgStore::find_endpoint(const std::string& name) {
    auto r = m_conn.exec(
        "SELECT id, name, base_url, granularity, deleted_record, identified_at FROM endpoints "
        "WHERE name = $1",
        {text(name)});
    if (r.rows() == 0) {
        return std::nullopt;
    }
    return read_endpoint(r);
}

EndpointFacts PgStore::endpoint(const std::string& name, const std::string& base_url) {
    auto r = m_conn.exec(
        "INSERT INTO endpoints (name, base_url, created_at) VALUES ($1, $2, $3) "
        "ON CONFLICT (name) DO UPDATE SET base_url = excluded.base_url "
        "RETURNING id, name, base_url, granularity, deleted_record, identified_at",
        {text(name), text(base_url), text(util::format_utc_seconds(util::now_utc()))});
    return read_endpoint(r);
}

void PgStore::save_next_due(EndpointId id, const std::optional<util::UtcTime>& when) {
    m_conn.exec("UPDATE endpoints SET next_due = $2 WHERE id = $1",
                {integer(id), when ? text(util::format_utc_seconds(*when)) : null()});
}

void PgStore::save_endpoint_error(const std::string& name, const std::optional<std::string>& error,
                                  util::UtcTime when) {
    m_conn.exec(
        "UPDATE endpoints SET last_error = $2, last_error_at = "
        "CASE WHEN $2::text IS NULL THEN NULL ELSE $3 END WHERE name = $1",
        {text(name), text(error), text(util::format_utc_seconds(when))});
}

bool PgStore::has_unfinished_list(EndpointId id) {
    return m_conn
               .exec(
                   "SELECT 1 FROM scopes WHERE endpoint_id = $1 AND pending_token IS NOT NULL "
                   "LIMIT 1",
                   {integer(id)})
               .rows() > 0;
}

void PgStore::save_identify(EndpointId id, const RepositoryFacts& info, util::UtcTime when) {
    m_conn.exec(
        "UPDATE endpoints SET repository_name = $2, protocol_version = $3, granularity = $4, "
        "earliest_datestamp = $5, deleted_record = $6, admin_email = $7, identified_at = $8 "
        "WHERE id = $1",
        {integer(id), text_or_null(info.repository_name), text_or_null(info.protocol_version),
         text_or_null(info.granularity), text_or_null(info.earliest_datestamp),
         text_or_null(info.deleted_record), text_or_null(info.admin_email),
         text(util::format_utc_seconds(when))});
}

ScopeState PgStore::scope(EndpointId endpoint, const std::string& prefix,
                          const std::string& set_spec) {
    m_conn.exec(
        "INSERT INTO scopes (endpoint_id, metadata_prefix, set_spec) VALUES ($1, $2, $3) "
        "ON CONFLICT DO NOTHING",
        {integer(endpoint), text(prefix), text(set_spec)});
    auto r = m_conn.exec(
        "SELECT s.id, s.next_from, s.list_started, s.list_from, s.list_until, s.pending_token, "
        "s.pending_cursor, s.complete_list_size, s.list_pages, s.list_records, s.list_newest, "
        "e.name FROM scopes s JOIN endpoints e ON e.id = s.endpoint_id "
        "WHERE s.endpoint_id = $1 AND s.metadata_prefix = $2 AND s.set_spec = $3",
        {integer(endpoint), text(prefix), text(set_spec)});
    ScopeState s;
    s.id = r.int64(0, 0);
    s.endpoint_id = endpoint;
    s.endpoint_name = r.text(0, 11);
    s.metadata_prefix = prefix;
    s.set_spec = set_spec;
    s.next_from = r.optional_text(0, 1);
    s.list_started = r.optional_text(0, 2);
    s.list_from = r.optional_text(0, 3);
    s.list_until = r.optional_text(0, 4);
    s.pending_token = r.optional_text(0, 5);
    s.pending_cursor = optional_int(r, 6);
    s.complete_list_size = optional_int(r, 7);
    s.list_pages = r.int64(0, 8);
    s.list_records = r.int64(0, 9);
    s.list_newest = r.optional_text(0, 10);
    return s;
}

void PgStore::abandon_list(ScopeState& scope) {
    m_conn.exec(
        "UPDATE scopes SET list_started = NULL, list_from = NULL, list_until = NULL, "
        "pending_token = NULL, pending_cursor = NULL, complete_list_size = NULL, "
        "list_pages = 0, list_records = 0, list_newest = NULL WHERE id = $1",
        {integer(scope.id)});
    scope.forget_list();
}

RunId PgStore::begin_run(const ScopeState& scope, util::UtcTime started,
                         const std::optional<std::string>& from,
                         const std::optional<std::string>& until, bool resumed) {
    pq::Transaction transaction(m_conn);
    // Only the scope's harvester writes its runs, so a 'running' row here is a killed run's.
    m_conn.exec(
        "UPDATE harvest_runs SET outcome = 'died', "
        "error = coalesce(error, 'the process ended before the run finished') "
        "WHERE scope_id = $1 AND outcome = 'running'",
        {integer(scope.id)});
    auto r = m_conn.exec(
        "INSERT INTO harvest_runs (scope_id, started_at, request_from, request_until, resumed) "
        "VALUES ($1, $2, $3, $4, $5) RETURNING id",
        {integer(scope.id), text(util::format_utc_seconds(started)), text(from), text(until),
         text(resumed ? "true" : "false")});
    transaction.commit();
    return r.int64(0, 0);
}

void PgStore::finish_run(RunId run, Outcome outcome, util::UtcTime finished,
                         const RunEvents& events, const std::optional<std::string>& error) {
    static constexpr const char* k_names[] = {"ok", "failed", "interrupted", "died"};
    m_conn.exec(
        "UPDATE harvest_runs SET outcome = $2, finished_at = $3, error = $4, "
        "retries = retries + $5, token_restarts = token_restarts + $6, "
        "repaired_characters = repaired_characters + $7 WHERE id = $1",
        {integer(run), text(k_names[static_cast<int>(outcome)]),
         text(util::format_utc_seconds(finished)), text(error), integer(events.retries),
         integer(events.token_restarts), integer(events.repaired_characters)});
}

RunId PgStore::last_run_id() {
    return m_conn.exec("SELECT coalesce(max(id), 0) FROM harvest_runs").int64(0, 0);
}

int PgStore::mark_runs_died(std::optional<EndpointId> endpoint, RunId after, bool also_interrupted,
                            const std::string& cause, util::UtcTime when) {
    auto r = m_conn.exec(
        "UPDATE harvest_runs SET outcome = 'died', error = $4, "
        "finished_at = coalesce(finished_at, $5) WHERE id > $2 "
        "AND (outcome = 'running' OR ($3 AND outcome = 'interrupted')) "
        "AND scope_id IN (SELECT sc.id FROM scopes sc WHERE "
        "($1::bigint IS NULL OR sc.endpoint_id = $1) AND NOT " +
            detail::leased_elsewhere("sc.endpoint_id", "$6") + ")",
        {endpoint ? integer(*endpoint) : null(), integer(after),
         text(also_interrupted ? "true" : "false"), text(cause),
         text(util::format_utc_seconds(when)), integer(k_postgres_lease_class)});
    return static_cast<int>(r.affected());
}

bool PgStore::last_run_died(EndpointId id) {
    return m_conn
               .exec(
                   "SELECT 1 FROM scopes s JOIN harvest_runs r ON r.id = "
                   "(SELECT max(id) FROM harvest_runs WHERE scope_id = s.id AND "
                   "kind = 'harvest') WHERE s.endpoint_id = $1 AND "
                   "r.outcome IN ('died', 'running') LIMIT 1",
                   {integer(id)})
               .rows() > 0;
}

std::unique_ptr<Store> open_postgres(const std::string& url, const UpgradeObserver& observer) {
    return std::make_unique<PgStore>(url, PgStore::Access::harvest, observer);
}

std::unique_ptr<Store> open_postgres_read_only(const std::string& url) {
    return std::make_unique<PgStore>(url, PgStore::Access::read_only, UpgradeObserver{});
}

}  // namespace oaiharvest::store
