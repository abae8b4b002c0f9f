// A reconcile's reads and writes on a PostgreSQL mirror, as reconcile.cpp's on SQLite.
#include "store/postgres/pg_reconcile.hpp"

#include <nlohmann/json.hpp>

#include "store/sets_json.hpp"
#include "util/time.hpp"

namespace oaiharvest::store::detail {
namespace {

using pq::integer;
using pq::text;

constexpr const char* k_pg_held_columns =
    "SELECT identifier, datestamp, deleted::int::int8, (gone_at IS NOT NULL)::int::int8, sets "
    "FROM records ";

HeldRecord pg_read_held(const pq::Result& r, int row) {
    return {std::string(r.text(row, 0)), std::string(r.text(row, 1)), r.int64(row, 2) != 0,
            r.int64(row, 3) != 0, parse_sets(r.text(row, 4))};
}

}  // namespace

std::optional<HeldRecord> pg_held_record(pq::Connection& conn, EndpointId endpoint,
                                         const std::string& prefix, const std::string& identifier) {
    auto r = conn.exec(std::string(k_pg_held_columns) +
                           "WHERE endpoint_id = $1 AND identifier = $2 AND metadata_prefix = $3",
                       {integer(endpoint), text(identifier), text(prefix)});
    if (r.rows() == 0) {
        return std::nullopt;
    }
    return pg_read_held(r, 0);
}

void pg_for_each_held(pq::Connection& conn, EndpointId endpoint, const std::string& prefix,
                      const std::function<void(const HeldRecord&)>& visit) {
    conn.for_each_row(
        std::string(k_pg_held_columns) + "WHERE endpoint_id = $1 AND metadata_prefix = $2",
        {integer(endpoint), text(prefix)}, [&](const pq::Result& rows) {
            for (int i = 0; i < rows.rows(); ++i) {
                visit(pg_read_held(rows, i));
            }
        });
}

std::optional<std::string> pg_stored_metadata(pq::Connection& conn, EndpointId endpoint,
                                              const std::string& identifier,
                                              const std::string& prefix) {
    auto r = conn.exec(
        "SELECT metadata FROM records WHERE endpoint_id = $1 AND identifier = $2 AND "
        "metadata_prefix = $3",
        {integer(endpoint), text(identifier), text(prefix)});
    if (r.rows() == 0) {
        return std::nullopt;
    }
    return r.optional_text(0, 0);
}

std::vector<std::pair<std::string, std::string>> pg_known_scopes(pq::Connection& conn,
                                                                 EndpointId endpoint) {
    auto r =
        conn.exec("SELECT metadata_prefix, set_spec FROM scopes WHERE endpoint_id = $1 ORDER BY id",
                  {integer(endpoint)});
    std::vector<std::pair<std::string, std::string>> scopes;
    for (int i = 0; i < r.rows(); ++i) {
        scopes.emplace_back(r.text(i, 0), r.text(i, 1));
    }
    return scopes;
}

std::optional<util::UtcTime> pg_last_started(pq::Connection& conn, EndpointId endpoint,
                                             std::string_view kind) {
    auto r = conn.exec(
        "SELECT max(r.started_at) FROM harvest_runs r JOIN scopes s ON s.id = r.scope_id "
        "WHERE s.endpoint_id = $1 AND r.kind = $2",
        {integer(endpoint), text(kind)});
    if (r.is_null(0, 0)) {
        return std::nullopt;
    }
    return util::parse_utc(r.text(0, 0));
}

RunId pg_begin_reconcile_run(pq::Connection& conn, const ScopeState& scope, util::UtcTime started) {
    pq::Transaction transaction(conn);
    const auto now = util::format_utc_seconds(started);
    conn.exec(
        "UPDATE harvest_runs SET outcome = 'died', finished_at = coalesce(finished_at, $2), "
        "error = coalesce(error, 'the process ended before the run finished') "
        "WHERE scope_id = $1 AND outcome = 'running'",
        {integer(scope.id), text(now)});
    auto r = conn.exec(
        "INSERT INTO harvest_runs (scope_id, started_at, kind) VALUES ($1, $2, 'reconcile') "
        "RETURNING id",
        {integer(scope.id), text(now)});
    transaction.commit();
    return r.int64(0, 0);
}

bool pg_mark_gone(pq::Connection& conn, RunId run, EndpointId endpoint,
                  const std::string& identifier, const std::string& prefix, util::UtcTime when) {
    pq::Transaction transaction(conn);
    auto found = conn.exec(
        "SELECT id FROM records WHERE endpoint_id = $1 AND identifier = $2 AND "
        "metadata_prefix = $3 AND gone_at IS NULL FOR UPDATE",
        {integer(endpoint), text(identifier), text(prefix)});
    if (found.rows() == 0) {
        return false;
    }
    const std::int64_t id = found.int64(0, 0);
    const auto now = util::format_utc_seconds(when);
    // An empty hash: no copy hashes to it, so the next copy of the record is stored.
    conn.exec(
        "UPDATE records SET deleted = true, gone_at = $2, last_changed = $2, "
        "content_hash = ''::bytea WHERE id = $1",
        {integer(id), text(now)});
    auto stored = conn.exec("SELECT json FROM items WHERE record_id = $1", {integer(id)});
    if (stored.rows() > 0) {
        auto json = nlohmann::ordered_json::parse(stored.text(0, 0), nullptr, false);
        if (json.is_object()) {
            json["deleted"] = true;
            // Search finds live records only.
            conn.exec(
                "UPDATE items SET json = $2, deleted = true, search = NULL WHERE record_id = $1",
                {integer(id), text(json.dump())});
        }
    }
    conn.exec("UPDATE harvest_runs SET records_gone = records_gone + 1 WHERE id = $1",
              {integer(run)});
    transaction.commit();
    return true;
}

void pg_reconcile_counts(pq::Connection& conn, RunId run, ScopeId scope, bool ok,
                         util::UtcTime finished, std::int64_t pages, std::int64_t sets_corrected) {
    conn.exec("UPDATE harvest_runs SET pages = $2, sets_corrected = $3 WHERE id = $1",
              {integer(run), integer(pages), integer(sets_corrected)});
    if (ok) {
        conn.exec("UPDATE scopes SET last_reconciled_at = $2 WHERE id = $1",
                  {integer(scope), text(util::format_utc_seconds(finished))});
    }
}

}  // namespace oaiharvest::store::detail
