#include "store/queries.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "store/newest_copies.hpp"
#include "store/postgres/pg_queries.hpp"
#include "store/postgres/pg_store.hpp"
#include "store/sets_json.hpp"
#include "store/sql_functions.hpp"
#include "store/sqlite.hpp"
#include "store/store_access.hpp"

namespace oaiharvest::store {
namespace {

std::optional<std::int64_t> optional_int(const sql::Statement& stmt, int column) {
    return stmt.is_null(column) ? std::nullopt : std::optional(stmt.int64(column));
}

// Into an existing record, so that an export reuses its strings' buffers from row to row.
// `first`: the column of the endpoint's name, the others following in k_record_columns' order.
void read_record_into(StoredRecord& r, const sql::Statement& stmt, int first = 0) {
    r.endpoint.assign(stmt.text(first));
    r.identifier.assign(stmt.text(first + 1));
    r.metadata_prefix.assign(stmt.text(first + 2));
    r.datestamp.assign(stmt.text(first + 3));
    r.deleted = stmt.int64(first + 4) != 0;
    r.sets = detail::parse_sets(stmt.text(first + 5));
    r.metadata = stmt.optional_text(first + 6);
    r.last_changed.assign(stmt.text(first + 7));
    r.json.assign(stmt.text(first + 8));
}

StoredRecord read_record(const sql::Statement& stmt) {
    StoredRecord r;
    read_record_into(r, stmt);
    return r;
}

// A row is the record's current copy unless another format of it at the endpoint holds a newer
// datestamp (a change or a deletion harvested there first): show, search and export present
// only current copies.
// Datestamps compare as times, as the harvest compares them (a day is its first second; one
// that is not a date is never newer): julianday reads both granularities, "Z" and offsets.
constexpr const char* k_is_current =
    "NOT EXISTS (SELECT 1 FROM records n WHERE n.endpoint_id = r.endpoint_id "
    "AND n.identifier = r.identifier AND julianday(n.datestamp) > julianday(r.datestamp)) ";

constexpr const char* k_record_columns =
    "SELECT e.name, r.identifier, r.metadata_prefix, r.datestamp, r.deleted, r.sets, "
    "oaiharvest_unpack(r.metadata), r.last_changed, oaiharvest_unpack(i.json) FROM records r JOIN "
    "endpoints e ON e.id = r.endpoint_id "
    "JOIN items_json i ON i.record_id = r.id ";

}  // namespace

std::vector<ScopeStatus> scope_status(Store& store, const std::vector<std::string>& endpoints) {
    if (auto* pg = detail::PgAccess::connection(store)) {
        return detail::pg_scope_status(*pg, endpoints);
    }
    auto& db = detail::StoreAccess::connection(store);
    sql::Statement scopes(
        db,
        "SELECT e.name, e.base_url, e.repository_name, e.granularity, e.deleted_record, "
        "s.metadata_prefix, s.set_spec, s.next_from, s.pending_token, s.pending_cursor, "
        "s.complete_list_size, s.list_records, s.id, e.id, e.next_due, e.last_error, "
        "e.last_error_at FROM endpoints e LEFT JOIN scopes s ON s.endpoint_id = e.id "
        "ORDER BY e.name, s.metadata_prefix, s.set_spec");
    sql::Statement counts(
        db,
        "SELECT count(*), coalesce(sum(deleted), 0), count(gone_at) FROM records r "
        "WHERE r.endpoint_id = ?1 "
        "AND r.metadata_prefix = ?2 AND (?3 = '' OR EXISTS (SELECT 1 FROM json_each(r.sets) "
        "WHERE json_each.value = ?3))");
    sql::Statement last_run(
        db,
        "SELECT started_at, finished_at, outcome, pages, records_new, records_updated, "
        "records_unchanged, records_deleted, retries, token_restarts, repaired_characters, "
        "error, records_stale, records_kept_metadata, records_gone, sets_corrected, kind "
        "FROM harvest_runs WHERE scope_id = ?1 AND kind = ?2 ORDER BY id DESC LIMIT 1");
    auto read_run = [&](const std::string& kind) -> std::optional<LastRun> {
        last_run.bind(2, kind);
        std::optional<LastRun> found;
        if (last_run.step()) {
            LastRun run;
            run.started_at = last_run.text(0);
            run.finished_at = last_run.optional_text(1);
            run.outcome = last_run.text(2);
            run.pages = last_run.int64(3);
            run.records_new = last_run.int64(4);
            run.records_updated = last_run.int64(5);
            run.records_unchanged = last_run.int64(6);
            run.records_deleted = last_run.int64(7);
            run.retries = last_run.int64(8);
            run.token_restarts = last_run.int64(9);
            run.repaired_characters = last_run.int64(10);
            run.error = last_run.optional_text(11);
            run.records_stale = last_run.int64(12);
            run.records_kept_metadata = last_run.int64(13);
            run.records_gone = last_run.int64(14);
            run.sets_corrected = last_run.int64(15);
            run.kind = last_run.text(16);
            found = std::move(run);
        }
        last_run.reset();
        return found;
    };
    std::vector<ScopeStatus> out;
    while (scopes.step()) {
        ScopeStatus st;
        st.endpoint = scopes.text(0);
        if (!endpoints.empty() &&
            std::find(endpoints.begin(), endpoints.end(), st.endpoint) == endpoints.end()) {
            continue;
        }
        st.base_url = scopes.text(1);
        st.repository_name = scopes.optional_text(2);
        st.granularity = scopes.optional_text(3);
        st.deleted_record = scopes.optional_text(4);
        st.next_due = scopes.optional_text(14);
        st.endpoint_error = scopes.optional_text(15);
        st.endpoint_error_at = scopes.optional_text(16);
        if (scopes.is_null(12)) {
            out.push_back(std::move(st));  // no scope yet: it failed before one, or never ran
            continue;
        }
        st.metadata_prefix = scopes.text(5);
        st.set_spec = scopes.text(6);
        st.next_from = scopes.optional_text(7);
        st.pending_token = scopes.optional_text(8);
        st.pending_cursor = optional_int(scopes, 9);
        st.complete_list_size = optional_int(scopes, 10);
        st.list_records = scopes.int64(11);
        counts.bind(1, scopes.int64(13)).bind(2, st.metadata_prefix).bind(3, st.set_spec);
        if (counts.step()) {
            st.records = counts.int64(0);
            st.deleted = counts.int64(1);
            st.gone = counts.int64(2);
        }
        counts.reset();
        last_run.bind(1, scopes.int64(12));
        st.last_run = read_run("harvest");
        last_run.bind(1, scopes.int64(12));
        st.last_reconcile = read_run("reconcile");
        out.push_back(std::move(st));
    }
    return out;
}

std::vector<StoredRecord> find_records(Store& store, const std::string& identifier) {
    if (auto* pg = detail::PgAccess::connection(store)) {
        return detail::pg_find_records(*pg, identifier);
    }
    sql::Statement stmt(detail::StoreAccess::connection(store),
                        std::string(k_record_columns) +
                            "WHERE r.identifier = ?1 ORDER BY e.name, "
                            "r.metadata_prefix");
    stmt.bind(1, identifier);
    std::vector<StoredRecord> out;
    while (stmt.step()) {
        out.push_back(read_record(stmt));
    }
    return out;
}

void for_each_record(Store& store, const ExportFilter& filter,
                     const std::function<void(const StoredRecord&)>& visit) {
    if (auto* pg = detail::PgAccess::connection(store)) {
        detail::pg_for_each_record(*pg, filter, visit);
        return;
    }
    auto& db = detail::StoreAccess::connection(store);
    // Whether the copy passes the export's own filters; current-ness is NewestCopies' part.
    std::string wanted = filter.raw ? "(?3 OR r.deleted = 0)" : "(?3 OR i.deleted = 0)";
    if (filter.since) {
        wanted += " AND r.last_changed >= ?2";
    }
    const std::string key = "SELECT r.endpoint_id, r.identifier, julianday(r.datestamp), " + wanted;
    const std::string order = " ORDER BY r.endpoint_id, r.identifier, r.metadata_prefix";
    auto bind_filter = [&](sql::Statement& stmt) {
        stmt.bind(1, filter.endpoint).bind(3, std::int64_t{filter.include_deleted});
        if (filter.since) {
            stmt.bind(2, *filter.since);
        }
    };
    auto julian = [](const sql::Statement& stmt) {
        return stmt.is_null(2) ? std::nullopt : std::optional(stmt.real(2));
    };
    StoredRecord record;
    if (!filter.raw) {
        // The JSON alone: the records' unique index gives the order and the ids, and items_json
        // the rest, so the records' rows (the raw XML) are read only to filter by --since.
        sql::Statement stmt(db, key +
                                    ", i.json FROM records r JOIN items_json i ON i.record_id = "
                                    "r.id WHERE (?1 IS NULL OR r.endpoint_id = (SELECT id FROM "
                                    "endpoints WHERE name = ?1))" +
                                    order);
        bind_filter(stmt);
        // Unpacked here rather than by oaiharvest_unpack(): SQLite would copy every record's
        // JSON once more; and only for the copies exported.
        detail::DictionaryCache dictionaries;
        auto emit = [&](const std::string& frame) {
            try {
                detail::read_stored_text(
                    db.handle(), dictionaries,
                    {reinterpret_cast<const std::uint8_t*>(frame.data()), frame.size()},
                    record.json);
            } catch (const std::runtime_error& e) {
                db.fail(std::string("reading a record's JSON: ") + e.what());
            }
            visit(record);
        };
        detail::NewestCopies<std::string> copies;
        while (stmt.step()) {
            auto frame = stmt.blob(4);
            copies.next(stmt.int64(0), stmt.text(1), julian(stmt), stmt.int64(3) != 0, emit)
                .assign(reinterpret_cast<const char*>(frame.data()), frame.size());
        }
        copies.finish(emit);
        return;
    }
    // A copy not wanted is not unpacked: an --since export of a big mirror reads every row.
    sql::Statement stmt(db, key +
                                ", e.name, r.identifier, r.metadata_prefix, r.datestamp, "
                                "r.deleted, r.sets, CASE WHEN " +
                                wanted +
                                " THEN oaiharvest_unpack(r.metadata) END, "
                                "r.last_changed, CASE WHEN " +
                                wanted +
                                " THEN oaiharvest_unpack(i.json) END FROM records r JOIN "
                                "endpoints e ON e.id = r.endpoint_id JOIN items_json i ON "
                                "i.record_id = r.id WHERE (?1 IS NULL OR e.name = ?1)" +
                                order);
    bind_filter(stmt);
    detail::NewestCopies<StoredRecord> copies;
    auto emit = [&](const StoredRecord& copy) { visit(copy); };
    while (stmt.step()) {
        const bool is_wanted = stmt.int64(3) != 0;
        auto& copy = copies.next(stmt.int64(0), stmt.text(1), julian(stmt), is_wanted, emit);
        if (is_wanted) {
            read_record_into(copy, stmt, 4);
        }
    }
    copies.finish(emit);
}

namespace {

bool has_hit(const std::vector<SearchHit>& hits, const SearchHit& hit) {
    return std::any_of(hits.begin(), hits.end(), [&](const SearchHit& h) {
        return h.endpoint == hit.endpoint && h.identifier == hit.identifier;
    });
}

// Reads the hits of `stmt` (endpoint, identifier, year, title, record id, rank) into `out`
// until it holds `limit`, skipping records it holds already.
void read_hits(sql::Database& db, sql::Statement& stmt, bool in_full_text, int limit,
               std::vector<SearchHit>& out) {
    sql::Statement names(db,
                         "SELECT display FROM names WHERE record_id = ?1 AND display IS NOT NULL "
                         "ORDER BY position LIMIT 3");
    while (static_cast<int>(out.size()) < limit && stmt.step()) {
        SearchHit hit;
        hit.endpoint = stmt.text(0);
        hit.identifier = stmt.text(1);
        if (has_hit(out, hit)) {
            continue;
        }
        if (!stmt.is_null(2)) {
            hit.year = stmt.int64(2);
        }
        hit.title = stmt.optional_text(3);
        hit.rank = stmt.real(5);
        hit.in_full_text = in_full_text;
        names.bind(1, stmt.int64(4));
        while (names.step()) {
            hit.names.emplace_back(names.text(0));
        }
        names.reset();
        out.push_back(std::move(hit));
    }
}

// The records whose documents' text matches `fts` (an FTS5 query), after those `out` holds.
// A document found is shown through the current live copy of each record listing it,
// whichever of the record's formats listed it. The error is SQLite's message.
std::optional<std::string> search_full_text(sql::Database& db, const std::string& fts, int limit,
                                            std::vector<SearchHit>& out) {
    try {
        sql::Statement hits(
            db, std::string("SELECT e.name, r.identifier, i.year, i.title, r.id, m.rank FROM "
                            "(SELECT rowid, bm25(document_search) AS rank FROM document_search "
                            "WHERE document_search MATCH ?1 ORDER BY rank, rowid LIMIT ?2) m ") +
                    "JOIN document_texts t ON t.id = m.rowid "
                    "JOIN documents d ON d.sha256 = t.sha256 AND d.state = 'stored' "
                    "JOIN record_documents rd ON rd.document_id = d.id "
                    "JOIN records l ON l.id = rd.record_id "
                    "JOIN records r ON r.endpoint_id = l.endpoint_id "
                    "AND r.identifier = l.identifier "
                    "JOIN endpoints e ON e.id = r.endpoint_id "
                    "JOIN items i ON i.record_id = r.id "
                    "WHERE r.deleted = 0 AND " +
                    std::string(k_is_current) + "ORDER BY m.rank, r.id");
        hits.bind(1, fts).bind(2,
                               (std::int64_t{limit} + static_cast<std::int64_t>(out.size())) * 4);
        read_hits(db, hits, true, limit, out);
    } catch (const sql::Error& e) {
        // The query was valid for the metadata (it ran first), so it names a metadata column
        // (`title:x`), which the text has not: such a query asks for metadata alone.
        if (e.sqlite_message().find("no such column") != std::string::npos) {
            return std::nullopt;
        }
        // A mirror without schema 10's documents tables has no document to search.
        if (e.sqlite_message().find("no such table") != std::string::npos) {
            return std::nullopt;
        }
        return e.sqlite_message().empty() ? std::string(e.what()) : e.sqlite_message();
    }
    return std::nullopt;
}

// The records whose metadata matches `fts`, after those `out` holds. Throws sql::Error.
void search_metadata(sql::Database& db, const std::string& fts, int limit,
                     std::vector<SearchHit>& out) {
    // Weights follow the column order: title, subtitle, abstract, names, subjects.
    // Ranked and cut in the FTS table alone, then joined: joining every match before the sort
    // made a common word cost a row lookup per match.
    sql::Statement hits(
        db, std::string("SELECT e.name, r.identifier, i.year, i.title, r.id, m.rank FROM "
                        "(SELECT rowid, bm25(search, 10.0, 5.0, 1.0, 4.0, 2.0) AS rank "
                        "FROM search WHERE search MATCH ?1 ORDER BY rank, rowid LIMIT ?2) m ") +
                "JOIN records r ON r.id = m.rowid "
                "JOIN endpoints e ON e.id = r.endpoint_id "
                "JOIN items i ON i.record_id = r.id "
                "WHERE r.deleted = 0 AND " +
                std::string(k_is_current) + "ORDER BY m.rank, m.rowid");
    // The same record harvested in several formats matches several times, and the records
    // already found match again: ask for enough rows.
    hits.bind(1, fts).bind(2, (std::int64_t{limit} + static_cast<std::int64_t>(out.size())) * 4);
    read_hits(db, hits, false, limit, out);
}

}  // namespace

std::expected<std::vector<SearchHit>, std::string> search(Store& store, const std::string& query,
                                                          int limit, search::QuerySyntax syntax) {
    if (auto* pg = detail::PgAccess::connection(store)) {
        return detail::pg_search(*pg, query, limit, syntax);
    }
    auto fts = search::read_query(query, syntax);
    if (!fts) {
        return std::unexpected(std::move(fts.error()));
    }
    // The words as typed, in their own script, rank above what only the other script matches.
    std::vector<std::string> passes;
    if (!fts->own.empty()) {
        passes.push_back(fts->own);
    }
    passes.push_back(fts->all);
    auto& db = detail::StoreAccess::connection(store);
    std::vector<SearchHit> out;
    try {
        for (const auto& pass : passes) {
            if (static_cast<int>(out.size()) < limit) {
                search_metadata(db, pass, limit, out);
            }
        }
    } catch (const sql::Error& e) {
        // Plain words cannot be wrong FTS5: an error is the mirror's (a busy or broken file,
        // an interrupted statement), for the caller to report as such.
        if (syntax == search::QuerySyntax::words) {
            throw;
        }
        // The query is the user's: say what SQLite found wrong with it, not which SQL failed.
        return std::unexpected(e.sqlite_message().empty() ? std::string(e.what())
                                                          : e.sqlite_message());
    }
    for (const auto& pass : passes) {
        if (static_cast<int>(out.size()) < limit) {
            if (auto error = search_full_text(db, pass, limit, out)) {
                if (syntax == search::QuerySyntax::words) {
                    throw StoreError("searching the documents' text: " + *error);
                }
                return std::unexpected(std::move(*error));
            }
        }
    }
    return out;
}

}  // namespace oaiharvest::store
