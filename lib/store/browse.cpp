#include "store/browse.hpp"

#include <limits>

#include "store/postgres/pg_served.hpp"
#include "store/postgres/pg_store.hpp"
#include "store/sqlite.hpp"
#include "store/store_access.hpp"

namespace oaiharvest::store {
namespace {

// The row r is the copy a list shows for its record: live, current (no copy of the record in
// another format has a later datestamp: queries.cpp's k_is_current), and the first such copy
// by row id when several formats are equally new. Each test is a probe of the records_newest
// index (endpoint_id, identifier, ...); n's row is read only when the record has another
// format with an older id.
constexpr const char* k_shown =
    "r.deleted = 0 AND NOT EXISTS (SELECT 1 FROM records n WHERE n.endpoint_id = r.endpoint_id "
    "AND n.identifier = r.identifier AND (julianday(n.datestamp) > julianday(r.datestamp) OR "
    "(n.id < r.id AND n.deleted = 0 AND NOT EXISTS (SELECT 1 FROM records m WHERE "
    "m.endpoint_id = n.endpoint_id AND m.identifier = n.identifier AND "
    "julianday(m.datestamp) > julianday(n.datestamp))))) ";

// "+r.endpoint_id" below keeps SQLite from reading the endpoint's records through
// records_newest (which it would pick, lacking statistics) where another index gives the list's
// order: with it, a page reads as many rows as it shows, not every record of the endpoint.

// The columns browse_records() reads; the JSON is unpacked for the rows of the page alone.
constexpr const char* k_summary_columns =
    "SELECT r.id, r.identifier, r.datestamp, i.year, "
    "json_extract(oaiharvest_unpack(i.json), '$.title') ";

std::optional<std::int64_t> endpoint_id(sql::Database& db, const std::string& name) {
    sql::Statement stmt(db, "SELECT id FROM endpoints WHERE name = ?1");
    stmt.bind(1, name);
    return stmt.step() ? std::optional(stmt.int64(0)) : std::nullopt;
}

// The identifiers of an endpoint, from the records_newest index alone: SQLite reads it in order
// and counts each identifier once, without a table of those seen.
std::int64_t identifiers(sql::Database& db, std::int64_t endpoint) {
    sql::Statement stmt(db,
                        "SELECT count(*) FROM (SELECT DISTINCT identifier FROM records "
                        "WHERE endpoint_id = ?1)");
    stmt.bind(1, endpoint);
    return stmt.step() ? stmt.int64(0) : 0;
}

EndpointSummary read_endpoint(sql::Database& db, const sql::Statement& stmt) {
    EndpointSummary e;
    e.name = stmt.text(1);
    e.base_url = stmt.text(2);
    e.repository_name = stmt.optional_text(3);
    e.records = identifiers(db, stmt.int64(0));
    return e;
}

constexpr const char* k_endpoint_columns =
    "SELECT id, name, base_url, repository_name FROM endpoints ";

// The SQL of a list, after k_summary_columns. ?1 the endpoint's id, ?2 the cursor, ?3 the
// limit, ?4 the filter's value.
std::string list_sql(RecordFilter::By by, bool undated) {
    const std::string shown = k_shown;
    switch (by) {
        case RecordFilter::By::all:
            // The records' unique index (endpoint_id, identifier, prefix): the endpoint's range
            // from the cursor on, in order; a page reads its rows and no more.
            return "FROM records r JOIN items_json i ON i.record_id = r.id WHERE r.endpoint_id = "
                   "?1 AND r.identifier > ?2 AND " +
                   shown + "ORDER BY r.identifier LIMIT ?3";
        case RecordFilter::By::set:
            // The same range, each row's sets read: a set of few records costs a scan of the
            // endpoint's rows (sets are a JSON array in the row; no index holds them).
            return "FROM records r JOIN items_json i ON i.record_id = r.id WHERE r.endpoint_id = "
                   "?1 AND r.identifier > ?2 AND EXISTS (SELECT 1 FROM json_each(r.sets) "
                   "WHERE json_each.value = ?4) AND " +
                   shown + "ORDER BY r.identifier LIMIT ?3";
        case RecordFilter::By::year:
            // items_json_year (year, record_id): the year's records in id order from the
            // cursor on, every endpoint's; each joined to its row for the endpoint.
            return std::string("FROM items_json i JOIN records r ON r.id = i.record_id WHERE ") +
                   (undated ? "i.year IS NULL" : "i.year = ?4") +
                   " AND i.record_id > ?2 AND +r.endpoint_id = ?1 AND " + shown +
                   "ORDER BY i.record_id LIMIT ?3";
        case RecordFilter::By::author:
            // names_family: the ids of the family's names, and of the names without a family
            // part (the index's NULL range, filtered by display form); then each row by id.
            return "FROM records r JOIN items_json i ON i.record_id = r.id WHERE r.id IN "
                   "(SELECT record_id FROM names WHERE family = ?4 UNION ALL SELECT record_id "
                   "FROM names WHERE family IS NULL AND display = ?4) AND r.id > ?2 AND "
                   "+r.endpoint_id = ?1 AND " +
                   shown + "ORDER BY r.id LIMIT ?3";
    }
    return {};
}

// The facets of one query: ?1 the endpoint's id, ?2 the cursor, ?3 the limit.
FacetList read_facets(sql::Statement& stmt, std::int64_t endpoint, int limit) {
    stmt.bind(1, endpoint).bind(3, std::int64_t{limit} + 1);
    FacetList out;
    while (stmt.step()) {
        if (static_cast<int>(out.facets.size()) == limit) {
            out.more = true;
            break;
        }
        out.facets.push_back({std::string(stmt.text(0)), stmt.int64(1)});
    }
    return out;
}

}  // namespace

std::vector<EndpointSummary> endpoint_summaries(Store& store) {
    if (auto* pg = detail::PgAccess::connection(store)) {
        return detail::pg_endpoint_summaries(*pg, std::nullopt);
    }
    auto& db = detail::StoreAccess::connection(store);
    sql::Statement stmt(db, std::string(k_endpoint_columns) + "ORDER BY name");
    std::vector<EndpointSummary> out;
    while (stmt.step()) {
        out.push_back(read_endpoint(db, stmt));
    }
    return out;
}

std::optional<EndpointSummary> endpoint_summary(Store& store, const std::string& name) {
    if (auto* pg = detail::PgAccess::connection(store)) {
        auto found = detail::pg_endpoint_summaries(*pg, name);
        return found.empty() ? std::nullopt : std::optional(std::move(found.front()));
    }
    auto& db = detail::StoreAccess::connection(store);
    sql::Statement stmt(db, std::string(k_endpoint_columns) + "WHERE name = ?1");
    stmt.bind(1, name);
    if (!stmt.step()) {
        return std::nullopt;
    }
    return read_endpoint(db, stmt);
}

RecordList browse_records(Store& store, const std::string& endpoint, const RecordFilter& filter,
                          const RecordCursor& after, int limit) {
    if (auto* pg = detail::PgAccess::connection(store)) {
        return detail::pg_browse_records(*pg, endpoint, filter, after, limit);
    }
    auto& db = detail::StoreAccess::connection(store);
    RecordList out;
    const auto id = endpoint_id(db, endpoint);
    if (!id || limit < 1) {
        return out;
    }
    const bool undated = filter.by == RecordFilter::By::year && !filter.year;
    sql::Statement stmt(db, k_summary_columns + list_sql(filter.by, undated));
    stmt.bind(1, *id).bind(3, std::int64_t{limit} + 1);
    if (filter.by == RecordFilter::By::all || filter.by == RecordFilter::By::set) {
        stmt.bind(2, after.identifier.value_or(""));
    } else {
        stmt.bind(2, after.key.value_or(0));
    }
    if (filter.by == RecordFilter::By::year) {
        if (filter.year) {
            stmt.bind(4, *filter.year);
        }
    } else if (filter.by != RecordFilter::By::all) {
        stmt.bind(4, filter.value);
    }
    sql::Statement names(db,
                         "SELECT display FROM names WHERE record_id = ?1 AND display IS NOT NULL "
                         "ORDER BY position LIMIT 3");
    while (stmt.step()) {
        if (static_cast<int>(out.records.size()) == limit) {
            out.more = true;
            break;
        }
        RecordSummary r;
        r.key = stmt.int64(0);
        r.identifier = stmt.text(1);
        r.datestamp = stmt.text(2);
        if (!stmt.is_null(3)) {
            r.year = stmt.int64(3);
        }
        r.title = stmt.optional_text(4);
        names.bind(1, r.key);
        while (names.step()) {
            r.names.emplace_back(names.text(0));
        }
        names.reset();
        out.records.push_back(std::move(r));
    }
    return out;
}

FacetList sets(Store& store, const std::string& endpoint, const std::string& after, int limit) {
    if (auto* pg = detail::PgAccess::connection(store)) {
        return detail::pg_sets(*pg, endpoint, after, limit);
    }
    auto& db = detail::StoreAccess::connection(store);
    const auto id = endpoint_id(db, endpoint);
    if (!id || limit < 1) {
        return {};
    }
    // Every row of the endpoint is read (records_newest for the range, then the row for its
    // sets) and grouped in a temporary b-tree of the set values: no index holds sets. The one
    // page whose cost grows with the mirror: 1.3 s at 143,000 rows of 3 KB (half of it the
    // rows' reading), a tenth of that for the 20,000 records of a typical repository.
    sql::Statement stmt(db, std::string("SELECT s.value, count(*) FROM records r, "
                                        "json_each(r.sets) s WHERE r.endpoint_id = ?1 AND "
                                        "s.value > ?2 AND ") +
                                k_shown + "GROUP BY s.value ORDER BY s.value LIMIT ?3");
    stmt.bind(2, after);
    return read_facets(stmt, *id, limit);
}

FacetList years(Store& store, const std::string& endpoint, std::optional<std::int64_t> before,
                int limit) {
    if (auto* pg = detail::PgAccess::connection(store)) {
        return detail::pg_years(*pg, endpoint, before, limit);
    }
    auto& db = detail::StoreAccess::connection(store);
    const auto id = endpoint_id(db, endpoint);
    FacetList out;
    if (!id || limit < 1) {
        return out;
    }
    // From year to year down items_json_year, one seek each, asking whether the endpoint shows
    // a record of it (the year's rows read until one is the endpoint's): the years of a
    // 100,000-record mirror without reading its rows, as counting them would (a second).
    sql::Statement next(db, "SELECT max(year) FROM items_json WHERE year < ?1");
    sql::Statement shown(db, std::string("SELECT 1 FROM items_json i JOIN records r ON r.id = "
                                         "i.record_id WHERE i.year = ?1 AND +r.endpoint_id = ?2 "
                                         "AND ") +
                                 k_shown + "LIMIT 1");
    std::int64_t below = before.value_or(std::numeric_limits<std::int64_t>::max());
    while (true) {
        next.bind(1, below);
        if (!next.step() || next.is_null(0)) {
            break;
        }
        below = next.int64(0);
        next.reset();
        shown.bind(1, below).bind(2, *id);
        const bool has = shown.step();
        shown.reset();
        if (!has) {
            continue;
        }
        if (static_cast<int>(out.facets.size()) == limit) {
            out.more = true;
            break;
        }
        out.facets.push_back({std::to_string(below), std::nullopt});
    }
    return out;
}

bool has_undated(Store& store, const std::string& endpoint) {
    if (auto* pg = detail::PgAccess::connection(store)) {
        return detail::pg_has_undated(*pg, endpoint);
    }
    auto& db = detail::StoreAccess::connection(store);
    const auto id = endpoint_id(db, endpoint);
    if (!id) {
        return false;
    }
    // items_json_year's NULL range, every endpoint's, until a row of the endpoint is shown.
    sql::Statement stmt(db, std::string("SELECT 1 FROM items_json i JOIN records r ON "
                                        "r.id = i.record_id WHERE i.year IS NULL AND "
                                        "+r.endpoint_id = ?1 AND ") +
                                k_shown + "LIMIT 1");
    stmt.bind(1, *id);
    return stmt.step();
}

FacetList authors(Store& store, const std::string& endpoint, const std::string& after, int limit) {
    if (auto* pg = detail::PgAccess::connection(store)) {
        return detail::pg_authors(*pg, endpoint, after, limit);
    }
    auto& db = detail::StoreAccess::connection(store);
    const auto id = endpoint_id(db, endpoint);
    if (!id || limit < 1) {
        return {};
    }
    // Two lists in key order, merged here: family parts from names_family, read in order and
    // stopped after `limit` groups; display forms of names without a family part, from the
    // index's NULL range, sorted (no index holds display forms).
    const std::string tail = std::string(" > ?2 AND +r.endpoint_id = ?1 AND ") + k_shown +
                             "GROUP BY 1 ORDER BY 1 LIMIT ?3";
    sql::Statement families(db,
                            "SELECT n.family, count(DISTINCT r.id) FROM names n JOIN records r "
                            "ON r.id = n.record_id WHERE n.family" +
                                tail);
    sql::Statement displays(db,
                            "SELECT n.display, count(DISTINCT r.id) FROM names n JOIN records r "
                            "ON r.id = n.record_id WHERE n.family IS NULL AND n.display" +
                                tail);
    families.bind(2, after);
    displays.bind(2, after);
    auto a = read_facets(families, *id, limit);
    auto b = read_facets(displays, *id, limit);
    FacetList out;
    auto ia = a.facets.begin();
    auto ib = b.facets.begin();
    while (static_cast<int>(out.facets.size()) < limit &&
           (ia != a.facets.end() || ib != b.facets.end())) {
        if (ib == b.facets.end() || (ia != a.facets.end() && ia->value < ib->value)) {
            out.facets.push_back(std::move(*ia++));
        } else if (ia == a.facets.end() || ib->value < ia->value) {
            out.facets.push_back(std::move(*ib++));
        } else {
            out.facets.push_back(
                {std::move(ia->value), ia->records.value_or(0) + ib->records.value_or(0)});
            ++ia;
            ++ib;
        }
    }
    // The page is the first `limit` keys of the two merged: a list cut at `limit` can miss no
    // key before its last one, and a page that reaches past that last one has taken it all.
    out.more = ia != a.facets.end() || ib != b.facets.end() || a.more || b.more;
    return out;
}

}  // namespace oaiharvest::store
