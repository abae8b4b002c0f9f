// Runs whose process is gone: what the daemon records when a harvest child dies, and what any
// holder of the harvest lock finds left 'running' by a process that was killed.

#include "store/sqlite.hpp"
#include "store/sqlite_store.hpp"

namespace oaiharvest::store {

RunId SqliteStore::last_run_id() {
    sql::Statement stmt(*m_db, "SELECT coalesce(max(id), 0) FROM harvest_runs");
    stmt.step();
    return stmt.int64(0);
}

int SqliteStore::mark_runs_died(std::optional<EndpointId> endpoint, RunId after,
                                bool also_interrupted, const std::string& cause,
                                util::UtcTime when) {
    sql::Statement stmt(
        *m_db,
        "UPDATE harvest_runs SET outcome = 'died', error = ?4, "
        "finished_at = coalesce(finished_at, ?5) WHERE id > ?2 "
        "AND (outcome = 'running' OR (?3 AND outcome = 'interrupted')) "
        "AND (?1 IS NULL OR scope_id IN (SELECT id FROM scopes WHERE endpoint_id = ?1))");
    if (endpoint) {
        stmt.bind(1, *endpoint);
    } else {
        stmt.bind(1, std::optional<std::string>{});  // NULL: every endpoint
    }
    stmt.bind(2, after)
        .bind(3, std::int64_t{also_interrupted ? 1 : 0})
        .bind(4, cause)
        .bind(5, util::format_utc_seconds(when))
        .run();
    return m_db->changes();
}

bool SqliteStore::last_run_died(EndpointId id) {
    sql::Statement stmt(
        *m_db,
        "SELECT 1 FROM scopes s JOIN harvest_runs r ON r.id = "
        "(SELECT max(id) FROM harvest_runs WHERE scope_id = s.id AND kind = 'harvest') "
        "WHERE s.endpoint_id = ?1 AND r.outcome IN ('died', 'running')");
    stmt.bind(1, id);
    return stmt.step();
}

}  // namespace oaiharvest::store
