#include "store/scope_metrics.hpp"

#include "store/postgres/pg_served.hpp"
#include "store/postgres/pg_store.hpp"
#include "store/queries.hpp"
#include "store/sqlite.hpp"
#include "store/store_access.hpp"

namespace oaiharvest::store {
namespace {

std::optional<util::UtcTime> time_of(const std::optional<std::string>& text) {
    return text ? util::parse_utc(*text) : std::nullopt;
}

}  // namespace

std::vector<ScopeMetrics> scope_metrics(Store& store) {
    // Records and deletions as `status` counts them (a set scope's by its records' sets).
    const std::vector<ScopeStatus> scopes = scope_status(store, {});
    if (auto* pg = detail::PgAccess::connection(store)) {
        return detail::pg_scope_metrics(*pg, scopes);
    }

    // The run figures, from the runs of one scope each: harvest_runs_scope (scope_id, id)
    // serves every statement, newest first where only the latest counts.
    auto& db = detail::StoreAccess::connection(store);
    sql::Statement scope_id(db,
                            "SELECT s.id FROM scopes s JOIN endpoints e ON e.id = s.endpoint_id "
                            "WHERE e.name = ?1 AND s.metadata_prefix = ?2 AND s.set_spec = ?3");
    sql::Statement counts(db,
                          "SELECT kind, outcome, count(*), coalesce(sum(pages), 0) "
                          "FROM harvest_runs WHERE scope_id = ?1 "
                          "GROUP BY kind, outcome ORDER BY kind, outcome");
    sql::Statement success(db,
                           "SELECT id, finished_at FROM harvest_runs WHERE scope_id = ?1 "
                           "AND kind = 'harvest' AND outcome = 'ok' ORDER BY id DESC LIMIT 1");
    sql::Statement failures(db,
                            "SELECT count(*) FROM harvest_runs WHERE scope_id = ?1 "
                            "AND kind = 'harvest' AND outcome IN ('failed', 'died') AND id > ?2");
    sql::Statement finished(db,
                            "SELECT started_at, finished_at FROM harvest_runs WHERE scope_id = ?1 "
                            "AND kind = 'harvest' AND finished_at IS NOT NULL "
                            "ORDER BY id DESC LIMIT 1");

    std::vector<ScopeMetrics> out;
    for (const ScopeStatus& st : scopes) {
        if (st.metadata_prefix.empty()) {
            continue;  // an endpoint without a scope: nothing was harvested to measure
        }
        scope_id.bind(1, st.endpoint).bind(2, st.metadata_prefix).bind(3, st.set_spec);
        if (!scope_id.step()) {
            scope_id.reset();
            continue;  // gone since scope_status read it (no command removes scopes today)
        }
        const std::int64_t id = scope_id.int64(0);
        scope_id.reset();

        ScopeMetrics m{st.endpoint, st.metadata_prefix, st.set_spec, st.records, st.deleted};
        counts.bind(1, id);
        while (counts.step()) {
            m.runs.push_back(
                {std::string(counts.text(0)), std::string(counts.text(1)), counts.int64(2)});
            m.pages += counts.int64(3);
        }
        counts.reset();

        std::int64_t success_id = 0;
        success.bind(1, id);
        if (success.step()) {
            success_id = success.int64(0);
            m.last_success = time_of(success.optional_text(1));
        }
        success.reset();

        failures.bind(1, id).bind(2, success_id);
        if (failures.step()) {
            m.failures_since_success = failures.int64(0);
        }
        failures.reset();

        finished.bind(1, id);
        if (finished.step()) {
            const auto started = time_of(finished.optional_text(0));
            const auto ended = time_of(finished.optional_text(1));
            if (started && ended) {
                m.last_run_duration = *ended - *started;
            }
        }
        finished.reset();
        out.push_back(std::move(m));
    }
    return out;
}

}  // namespace oaiharvest::store
