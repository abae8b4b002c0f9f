// scope_metrics.hpp on a PostgreSQL mirror: the run figures of each scope, as
// scope_metrics.cpp reads them from SQLite.
#include "store/postgres/pg_served.hpp"
#include "util/time.hpp"

namespace oaiharvest::store::detail {
namespace {

using pq::integer;
using pq::text;

std::optional<util::UtcTime> pg_time_of(const std::optional<std::string>& value) {
    return value ? util::parse_utc(*value) : std::nullopt;
}

}  // namespace

std::vector<ScopeMetrics> pg_scope_metrics(pq::Connection& conn,
                                           const std::vector<ScopeStatus>& scopes) {
    std::vector<ScopeMetrics> out;
    for (const ScopeStatus& st : scopes) {
        if (st.metadata_prefix.empty()) {
            continue;  // an endpoint without a scope: nothing was harvested to measure
        }
        auto scope = conn.exec(
            "SELECT s.id FROM scopes s JOIN endpoints e ON e.id = s.endpoint_id WHERE e.name = $1 "
            "AND s.metadata_prefix = $2 AND s.set_spec = $3",
            {text(st.endpoint), text(st.metadata_prefix), text(st.set_spec)});
        if (scope.rows() == 0) {
            continue;  // gone since scope_status read it
        }
        const auto id = integer(scope.int64(0, 0));

        ScopeMetrics m{st.endpoint, st.metadata_prefix, st.set_spec, st.records, st.deleted};
        auto counts = conn.exec(
            "SELECT kind, outcome, count(*), coalesce(sum(pages), 0)::int8 FROM harvest_runs "
            "WHERE scope_id = $1 GROUP BY kind, outcome "
            "ORDER BY kind COLLATE \"C\", outcome COLLATE \"C\"",
            {id});
        for (int i = 0; i < counts.rows(); ++i) {
            m.runs.push_back({std::string(counts.text(i, 0)), std::string(counts.text(i, 1)),
                              counts.int64(i, 2)});
            m.pages += counts.int64(i, 3);
        }

        std::int64_t success_id = 0;
        auto success = conn.exec(
            "SELECT id, finished_at FROM harvest_runs WHERE scope_id = $1 AND kind = 'harvest' "
            "AND outcome = 'ok' ORDER BY id DESC LIMIT 1",
            {id});
        if (success.rows() > 0) {
            success_id = success.int64(0, 0);
            m.last_success = pg_time_of(success.optional_text(0, 1));
        }
        m.failures_since_success =
            conn.exec(
                    "SELECT count(*) FROM harvest_runs WHERE scope_id = $1 AND kind = 'harvest' "
                    "AND outcome IN ('failed', 'died') AND id > $2::int8",
                    {id, integer(success_id)})
                .int64(0, 0);

        auto finished = conn.exec(
            "SELECT started_at, finished_at FROM harvest_runs WHERE scope_id = $1 AND kind = "
            "'harvest' AND finished_at IS NOT NULL ORDER BY id DESC LIMIT 1",
            {id});
        if (finished.rows() > 0) {
            const auto started = pg_time_of(finished.optional_text(0, 0));
            const auto ended = pg_time_of(finished.optional_text(0, 1));
            if (started && ended) {
                m.last_run_duration = *ended - *started;
            }
        }
        out.push_back(std::move(m));
    }
    return out;
}

}  // namespace oaiharvest::store::detail
