// browse.hpp on a PostgreSQL mirror: the web pages' lists and facets, with SQLite's results in
// SQLite's order (browse.cpp says what each list holds). Text is ordered COLLATE "C", as SQLite
// orders it. Where SQLite reads the names table, this reads the record JSON's "names", which
// holds the same names in the same order (lib/metadata/json_text.cpp).
#include <limits>

#include "store/postgres/pg_served.hpp"
#include "store/sets_json.hpp"

namespace oaiharvest::store::detail {
namespace {

using pq::integer;
using pq::text;

// browse.cpp's k_shown: r is the copy a list shows for its record: live, no copy of the record
// in another format has a later datestamp, and the first such copy by row id.
std::string browse_shown() {
    const auto later = [](const char* a, const char* b) {
        return pg_instant(std::string(a) + ".datestamp") + " COLLATE \"C\" > " +
               pg_instant(std::string(b) + ".datestamp");
    };
    return "NOT r.deleted AND NOT EXISTS (SELECT 1 FROM records n WHERE n.endpoint_id = "
           "r.endpoint_id AND n.identifier = r.identifier AND (" +
           later("n", "r") +
           " OR (n.id < r.id AND NOT n.deleted AND NOT EXISTS (SELECT 1 FROM records m WHERE "
           "m.endpoint_id = n.endpoint_id AND m.identifier = n.identifier AND " +
           later("m", "n") + "))))";
}

// The record's names as JSON objects; none when the JSON has no list of them.
constexpr const char* k_names =
    "jsonb_array_elements(CASE WHEN jsonb_typeof(i.json::jsonb -> 'names') = 'array' "
    "THEN i.json::jsonb -> 'names' ELSE '[]' END)";

// The columns of a list: id, identifier, datestamp, year, title, and the first three display
// forms as a JSON array.
std::string summary_columns() {
    return std::string(
               "SELECT r.id, r.identifier, r.datestamp, i.year, i.json::jsonb ->> 'title', "
               "(SELECT coalesce(jsonb_agg(d ORDER BY o), '[]')::text FROM (SELECT n ->> "
               "'display' AS d, o FROM ") +
           k_names +
           " WITH ORDINALITY AS x(n, o) WHERE n ->> 'display' IS NOT NULL ORDER BY o LIMIT 3) "
           "y) ";
}

std::optional<std::int64_t> browse_endpoint_id(pq::Connection& conn, const std::string& name) {
    auto r = conn.exec("SELECT id FROM endpoints WHERE name = $1", {text(name)});
    return r.rows() > 0 ? std::optional(r.int64(0, 0)) : std::nullopt;
}

// The list's SQL after summary_columns(), its parameters in args.
std::string browse_list_sql(std::int64_t endpoint, const RecordFilter& filter,
                            const RecordCursor& after, int limit, PgArgs& args) {
    const std::string id = args.add(integer(endpoint));
    const std::string tail = " AND " + browse_shown();
    switch (filter.by) {
        case RecordFilter::By::all:
        case RecordFilter::By::set: {
            std::string sql =
                "FROM records r JOIN items i ON i.record_id = r.id WHERE r.endpoint_id = " + id +
                " AND r.identifier COLLATE \"C\" > " +
                args.add(text(after.identifier.value_or("")));
            if (filter.by == RecordFilter::By::set) {
                sql += " AND r.sets::jsonb ? " + args.add(text(filter.value));
            }
            return sql + tail + " ORDER BY r.identifier COLLATE \"C\" LIMIT " +
                   args.add(integer(std::int64_t{limit} + 1));
        }
        case RecordFilter::By::year:
            return "FROM items i JOIN records r ON r.id = i.record_id WHERE " +
                   (filter.year ? "i.year = " + args.add(integer(*filter.year)) + "::int8"
                                : std::string("i.year IS NULL")) +
                   " AND i.record_id > " + args.add(integer(after.key.value_or(0))) +
                   "::int8 AND r.endpoint_id = " + id + tail + " ORDER BY i.record_id LIMIT " +
                   args.add(integer(std::int64_t{limit} + 1));
        case RecordFilter::By::author: {
            const std::string value = args.add(text(filter.value));
            return "FROM records r JOIN items i ON i.record_id = r.id WHERE r.endpoint_id = " + id +
                   " AND r.id > " + args.add(integer(after.key.value_or(0))) +
                   "::int8 AND EXISTS (SELECT 1 FROM " + k_names +
                   " n WHERE n ->> 'family' = " + value +
                   " OR (n ->> 'family' IS NULL AND n ->> 'display' = " + value + "))" + tail +
                   " ORDER BY r.id LIMIT " + args.add(integer(std::int64_t{limit} + 1));
        }
    }
    return {};
}

// value, count: the first `limit` facets, and whether more follow (the query asks limit + 1).
FacetList read_facet_rows(const pq::Result& r, int limit, bool counted) {
    FacetList out;
    for (int i = 0; i < r.rows(); ++i) {
        if (static_cast<int>(out.facets.size()) == limit) {
            out.more = true;
            break;
        }
        out.facets.push_back(
            {std::string(r.text(i, 0)), counted ? std::optional(r.int64(i, 1)) : std::nullopt});
    }
    return out;
}

}  // namespace

std::vector<EndpointSummary> pg_endpoint_summaries(pq::Connection& conn,
                                                   const std::optional<std::string>& name) {
    // Identifiers held, deleted records included, as browse.cpp counts them.
    auto r = conn.exec(
        "SELECT e.name, e.base_url, e.repository_name, (SELECT count(DISTINCT identifier) FROM "
        "records WHERE endpoint_id = e.id) FROM endpoints e WHERE $1::text IS NULL OR "
        "e.name = $1 ORDER BY e.name COLLATE \"C\"",
        {text(name)});
    std::vector<EndpointSummary> out;
    for (int i = 0; i < r.rows(); ++i) {
        out.push_back({std::string(r.text(i, 0)), std::string(r.text(i, 1)), r.optional_text(i, 2),
                       r.int64(i, 3)});
    }
    return out;
}

RecordList pg_browse_records(pq::Connection& conn, const std::string& endpoint,
                             const RecordFilter& filter, const RecordCursor& after, int limit) {
    RecordList out;
    const auto id = browse_endpoint_id(conn, endpoint);
    if (!id || limit < 1) {
        return out;
    }
    PgArgs args;
    const std::string sql = summary_columns() + browse_list_sql(*id, filter, after, limit, args);
    auto r = conn.exec(sql, args.params());
    for (int i = 0; i < r.rows(); ++i) {
        if (static_cast<int>(out.records.size()) == limit) {
            out.more = true;
            break;
        }
        RecordSummary s;
        s.key = r.int64(i, 0);
        s.identifier = r.text(i, 1);
        s.datestamp = r.text(i, 2);
        if (!r.is_null(i, 3)) {
            s.year = r.int64(i, 3);
        }
        s.title = r.optional_text(i, 4);
        s.names = parse_sets(r.text(i, 5));  // a JSON array of strings
        out.records.push_back(std::move(s));
    }
    return out;
}

FacetList pg_sets(pq::Connection& conn, const std::string& endpoint, const std::string& after,
                  int limit) {
    const auto id = browse_endpoint_id(conn, endpoint);
    if (!id || limit < 1) {
        return {};
    }
    auto r = conn.exec(
        "SELECT s.v, count(*) FROM records r, jsonb_array_elements_text(r.sets::jsonb) s(v) "
        "WHERE r.endpoint_id = $1 AND s.v COLLATE \"C\" > $2 AND " +
            browse_shown() + " GROUP BY s.v ORDER BY s.v COLLATE \"C\" LIMIT $3",
        {integer(*id), text(after), integer(std::int64_t{limit} + 1)});
    return read_facet_rows(r, limit, true);
}

FacetList pg_years(pq::Connection& conn, const std::string& endpoint,
                   std::optional<std::int64_t> before, int limit) {
    const auto id = browse_endpoint_id(conn, endpoint);
    if (!id || limit < 1) {
        return {};
    }
    auto r = conn.exec(
        "SELECT DISTINCT i.year FROM items i JOIN records r ON r.id = i.record_id WHERE "
        "r.endpoint_id = $1 AND i.year < $2::int8 AND " +
            browse_shown() + " ORDER BY i.year DESC LIMIT $3",
        {integer(*id), integer(before.value_or(std::numeric_limits<std::int64_t>::max())),
         integer(std::int64_t{limit} + 1)});
    return read_facet_rows(r, limit, false);
}

bool pg_has_undated(pq::Connection& conn, const std::string& endpoint) {
    const auto id = browse_endpoint_id(conn, endpoint);
    if (!id) {
        return false;
    }
    return conn.exec(
                   "SELECT 1 FROM items i JOIN records r ON r.id = i.record_id WHERE "
                   "i.year IS NULL AND r.endpoint_id = $1 AND " +
                       browse_shown() + " LIMIT 1",
                   {integer(*id)})
               .rows() > 0;
}

FacetList pg_authors(pq::Connection& conn, const std::string& endpoint, const std::string& after,
                     int limit) {
    const auto id = browse_endpoint_id(conn, endpoint);
    if (!id || limit < 1) {
        return {};
    }
    // SQLite counts a key's records among family parts and among display forms apart, and adds
    // the two: a record with both kinds of the same key counts twice there, and so here.
    auto r = conn.exec(
        std::string("SELECT k, sum(c)::int8 FROM (SELECT coalesce(n ->> 'family', n ->> "
                    "'display') AS k, count(DISTINCT r.id) AS c FROM records r JOIN items i ON "
                    "i.record_id = r.id, ") +
            k_names +
            " n WHERE r.endpoint_id = $1 AND coalesce(n ->> 'family', n ->> 'display') "
            "COLLATE \"C\" > $2 AND " +
            browse_shown() +
            " GROUP BY 1, n ->> 'family' IS NULL) g GROUP BY k ORDER BY k COLLATE \"C\" LIMIT $3",
        {integer(*id), text(after), integer(std::int64_t{limit} + 1)});
    return read_facet_rows(r, limit, true);
}

}  // namespace oaiharvest::store::detail
