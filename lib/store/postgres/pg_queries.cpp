// Reading a PostgreSQL mirror: status, show, export and search, with SQLite's results. Text is
// ordered COLLATE "C" (bytewise, as SQLite orders it), whatever the database's locale.
#include "store/postgres/pg_queries.hpp"

#include <algorithm>

#include "store/newest_copies.hpp"
#include "store/postgres/pg_search.hpp"
#include "store/sets_json.hpp"
#include "util/time.hpp"

namespace oaiharvest::store::detail {
namespace {

using pq::integer;
using pq::null;
using pq::text;

std::optional<std::int64_t> optional_int(const pq::Result& r, int row, int column) {
    return r.is_null(row, column) ? std::nullopt : std::optional(r.int64(row, column));
}

// The order of datestamps as times, as the harvest compares them (newest wins): seconds since
// the epoch; nullopt for a datestamp that is not a date, which is never the newer.
std::optional<double> instant_of(std::string_view datestamp) {
    auto t = util::parse_utc(datestamp);
    if (!t) {
        return std::nullopt;
    }
    return std::chrono::duration<double>(t->time_since_epoch()).count();
}

// endpoint name, identifier, prefix, datestamp, deleted, sets, metadata, last_changed, json
void read_record_into(StoredRecord& r, const pq::Result& row, int i, int first) {
    r.endpoint.assign(row.text(i, first));
    r.identifier.assign(row.text(i, first + 1));
    r.metadata_prefix.assign(row.text(i, first + 2));
    r.datestamp.assign(row.text(i, first + 3));
    r.deleted = row.text(i, first + 4) == "t";
    r.sets = parse_sets(row.text(i, first + 5));
    r.metadata = row.optional_text(i, first + 6);
    r.last_changed.assign(row.text(i, first + 7));
    r.json.assign(row.text(i, first + 8));
}

constexpr const char* k_pg_record_columns =
    "e.name, r.identifier, r.metadata_prefix, r.datestamp, r.deleted, r.sets, r.metadata, "
    "r.last_changed, i.json";

LastRun read_run(const pq::Result& r) {
    LastRun run;
    run.started_at = r.text(0, 0);
    run.finished_at = r.optional_text(0, 1);
    run.outcome = r.text(0, 2);
    run.pages = r.int64(0, 3);
    run.records_new = r.int64(0, 4);
    run.records_updated = r.int64(0, 5);
    run.records_unchanged = r.int64(0, 6);
    run.records_deleted = r.int64(0, 7);
    run.retries = r.int64(0, 8);
    run.token_restarts = r.int64(0, 9);
    run.repaired_characters = r.int64(0, 10);
    run.error = r.optional_text(0, 11);
    run.records_stale = r.int64(0, 12);
    run.records_kept_metadata = r.int64(0, 13);
    run.records_gone = r.int64(0, 14);
    run.sets_corrected = r.int64(0, 15);
    run.kind = r.text(0, 16);
    return run;
}

// k_is_current of queries.cpp: no copy of the record in another format is newer.
bool is_current(pq::Connection& conn, std::int64_t record_id) {
    auto r = conn.exec(
        "SELECT o.datestamp, o.id = r.id FROM records r JOIN records o ON "
        "o.endpoint_id = r.endpoint_id AND o.identifier = r.identifier WHERE r.id = $1",
        {integer(record_id)});
    std::optional<double> own;
    std::optional<double> newest;
    for (int i = 0; i < r.rows(); ++i) {
        auto instant = instant_of(r.text(i, 0));
        if (r.text(i, 1) == "t") {
            own = instant;
        }
        if (instant && (!newest || *instant > *newest)) {
            newest = instant;
        }
    }
    return !own || !newest || *own >= *newest;
}

}  // namespace

std::vector<ScopeStatus> pg_scope_status(pq::Connection& conn,
                                         const std::vector<std::string>& endpoints) {
    auto scopes = conn.exec(
        "SELECT e.name, e.base_url, e.repository_name, e.granularity, e.deleted_record, "
        "s.metadata_prefix, s.set_spec, s.next_from, s.pending_token, s.pending_cursor, "
        "s.complete_list_size, s.list_records, s.id, e.id, e.next_due, e.last_error, "
        "e.last_error_at FROM endpoints e LEFT JOIN scopes s ON s.endpoint_id = e.id "
        "ORDER BY e.name COLLATE \"C\", s.metadata_prefix COLLATE \"C\", s.set_spec COLLATE \"C\"");
    auto last_run = [&](std::int64_t scope, const char* kind) -> std::optional<LastRun> {
        auto r = conn.exec(
            "SELECT started_at, finished_at, outcome, pages, records_new, records_updated, "
            "records_unchanged, records_deleted, retries, token_restarts, repaired_characters, "
            "error, records_stale, records_kept_metadata, records_gone, sets_corrected, kind "
            "FROM harvest_runs WHERE scope_id = $1 AND kind = $2 ORDER BY id DESC LIMIT 1",
            {integer(scope), text(kind)});
        return r.rows() > 0 ? std::optional(read_run(r)) : std::nullopt;
    };
    std::vector<ScopeStatus> out;
    for (int i = 0; i < scopes.rows(); ++i) {
        ScopeStatus st;
        st.endpoint = scopes.text(i, 0);
        if (!endpoints.empty() &&
            std::find(endpoints.begin(), endpoints.end(), st.endpoint) == endpoints.end()) {
            continue;
        }
        st.base_url = scopes.text(i, 1);
        st.repository_name = scopes.optional_text(i, 2);
        st.granularity = scopes.optional_text(i, 3);
        st.deleted_record = scopes.optional_text(i, 4);
        st.next_due = scopes.optional_text(i, 14);
        st.endpoint_error = scopes.optional_text(i, 15);
        st.endpoint_error_at = scopes.optional_text(i, 16);
        if (scopes.is_null(i, 12)) {
            out.push_back(std::move(st));  // no scope yet: it failed before one, or never ran
            continue;
        }
        st.metadata_prefix = scopes.text(i, 5);
        st.set_spec = scopes.text(i, 6);
        st.next_from = scopes.optional_text(i, 7);
        st.pending_token = scopes.optional_text(i, 8);
        st.pending_cursor = optional_int(scopes, i, 9);
        st.complete_list_size = optional_int(scopes, i, 10);
        st.list_records = scopes.int64(i, 11);
        auto counts = conn.exec(
            "SELECT count(*), count(*) FILTER (WHERE deleted), count(gone_at) FROM records r "
            "WHERE r.endpoint_id = $1 AND r.metadata_prefix = $2 AND "
            "($3 = '' OR r.sets::jsonb ? $3)",
            {integer(scopes.int64(i, 13)), text(st.metadata_prefix), text(st.set_spec)});
        st.records = counts.int64(0, 0);
        st.deleted = counts.int64(0, 1);
        st.gone = counts.int64(0, 2);
        st.last_run = last_run(scopes.int64(i, 12), "harvest");
        st.last_reconcile = last_run(scopes.int64(i, 12), "reconcile");
        out.push_back(std::move(st));
    }
    return out;
}

std::vector<StoredRecord> pg_find_records(pq::Connection& conn, const std::string& identifier) {
    auto r = conn.exec(std::string("SELECT ") + k_pg_record_columns +
                           " FROM records r JOIN endpoints e ON e.id = r.endpoint_id "
                           "JOIN items i ON i.record_id = r.id WHERE r.identifier = $1 "
                           "ORDER BY e.name COLLATE \"C\", r.metadata_prefix COLLATE \"C\"",
                       {text(identifier)});
    std::vector<StoredRecord> out(static_cast<std::size_t>(r.rows()));
    for (int i = 0; i < r.rows(); ++i) {
        read_record_into(out[static_cast<std::size_t>(i)], r, i, 0);
    }
    return out;
}

void pg_for_each_record(pq::Connection& conn, const ExportFilter& filter,
                        const std::function<void(const StoredRecord&)>& visit) {
    // Whether the copy passes the export's own filters; current-ness is NewestCopies' part.
    std::string wanted = filter.raw ? "($3 OR NOT r.deleted)" : "($3 OR NOT i.deleted)";
    wanted += " AND ($2::text IS NULL OR r.last_changed >= $2)";
    // A copy not wanted is not sent: a --since export of a big mirror reads every row.
    const std::string sql =
        "SELECT r.endpoint_id, r.identifier, r.datestamp, (" + wanted + ")::int::int8, e.name, " +
        "r.identifier, r.metadata_prefix, r.datestamp, r.deleted, r.sets, " +
        (filter.raw ? "CASE WHEN " + wanted + " THEN r.metadata END" : std::string("NULL")) +
        ", r.last_changed, CASE WHEN " + wanted +
        " THEN i.json END FROM records r JOIN endpoints e ON e.id = r.endpoint_id "
        "JOIN items i ON i.record_id = r.id WHERE ($1::text IS NULL OR e.name = $1) "
        "ORDER BY r.endpoint_id, r.identifier COLLATE \"C\", r.metadata_prefix COLLATE \"C\"";
    NewestCopies<StoredRecord> copies;
    auto emit = [&](const StoredRecord& copy) { visit(copy); };
    conn.for_each_row(sql,
                      {text(filter.endpoint), text(filter.since),
                       text(filter.include_deleted ? "true" : "false")},
                      [&](const pq::Result& rows) {
                          for (int i = 0; i < rows.rows(); ++i) {
                              const bool is_wanted = rows.int64(i, 3) != 0;
                              auto& copy =
                                  copies.next(rows.int64(i, 0), rows.text(i, 1),
                                              instant_of(rows.text(i, 2)), is_wanted, emit);
                              if (is_wanted) {
                                  read_record_into(copy, rows, i, 4);
                                  if (!filter.raw) {
                                      copy.metadata.reset();
                                  }
                              }
                          }
                      });
    copies.finish(emit);
}

std::expected<std::vector<SearchHit>, std::string> pg_search(pq::Connection& conn,
                                                             const std::string& query, int limit,
                                                             search::QuerySyntax syntax) {
    if (syntax == search::QuerySyntax::fts5) {
        return std::unexpected(
            "FTS5 query syntax is SQLite's: on a PostgreSQL mirror, search with plain words");
    }
    const auto phrases = search::plain_phrases(query);
    if (phrases.empty()) {
        return std::unexpected("it has no words to search for");
    }
    // The words as typed, in their own script, rank above what only the other script matches.
    std::vector<std::string> passes;
    const std::string all = tsquery_of(phrases, false);
    const std::string own = tsquery_of(phrases, true);
    if (own != all) {
        passes.push_back(own);
    }
    passes.push_back(all);
    std::vector<SearchHit> out;
    for (const auto& pass : passes) {
        if (static_cast<int>(out.size()) >= limit) {
            break;
        }
        // A record is shown through its current live copy (newest datestamp among its formats),
        // once; ts_rank weights follow SQLite's bm25 order: titles, names and subjects, abstracts.
        // $1::tsquery, not to_tsquery(): the keys are made here and must be matched as they
        // are, as the tsvector stores them; to_tsquery's parser split or changed some (a
        // Cyrillic key lost its mark before a letter outside ASCII: Његош was never found).
        auto hits = conn.exec(
            "SELECT e.name, r.identifier, i.year, i.json::jsonb ->> 'title', r.id, "
            "ts_rank('{0.1, 0.2, 0.4, 1.0}', i.search, q) AS rank "
            "FROM items i CROSS JOIN CAST($1 AS tsquery) q "
            "JOIN records r ON r.id = i.record_id JOIN endpoints e ON e.id = r.endpoint_id "
            "WHERE i.search @@ q AND NOT r.deleted "
            "ORDER BY rank DESC, r.id LIMIT $2",
            {text(pass),
             integer((std::int64_t{limit} + static_cast<std::int64_t>(out.size())) * 4)});
        for (int i = 0; i < hits.rows() && static_cast<int>(out.size()) < limit; ++i) {
            SearchHit hit;
            hit.endpoint = hits.text(i, 0);
            hit.identifier = hits.text(i, 1);
            if (std::any_of(out.begin(), out.end(), [&](const SearchHit& h) {
                    return h.endpoint == hit.endpoint && h.identifier == hit.identifier;
                })) {
                continue;
            }
            if (!is_current(conn, hits.int64(i, 4))) {
                continue;  // another format holds a newer copy of the record
            }
            hit.year = optional_int(hits, i, 2);
            hit.title = hits.optional_text(i, 3);
            // bm25 on SQLite is lower for better; so is this.
            hit.rank = -std::stod(std::string(hits.text(i, 5)));
            auto names = conn.exec(
                "SELECT n ->> 'display' FROM items, "
                "jsonb_array_elements(coalesce(json::jsonb -> 'names', '[]')) n "
                "WHERE record_id = $1 AND n ->> 'display' IS NOT NULL LIMIT 3",
                {integer(hits.int64(i, 4))});
            for (int n = 0; n < names.rows(); ++n) {
                hit.names.emplace_back(names.text(n, 0));
            }
            out.push_back(std::move(hit));
        }
    }
    return out;
}

}  // namespace oaiharvest::store::detail
