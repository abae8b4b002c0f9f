// served.hpp on a PostgreSQL mirror: what the OAI-PMH provider lists and gets, with SQLite's
// results in SQLite's order (served.cpp says why each rule is as it is). Names are ordered
// COLLATE "C", as SQLite orders them. last_changed is not: it is UTC text of one fixed form,
// which every collation orders as bytes, and its index serves a list's order only in the
// database's own collation.
#include "store/postgres/pg_served.hpp"

#include <utility>

#include "store/sets_json.hpp"

namespace oaiharvest::store::detail {
namespace {

using pq::integer;
using pq::text;

// served.cpp's k_is_current: the record's newest copy across formats (a datestamp that is not
// a date is older than any date), ties to the oai_dc copy, then to the row stored first.
std::string served_is_current() {
    return "NOT EXISTS (SELECT 1 FROM records n WHERE n.endpoint_id = r.endpoint_id "
           "AND n.identifier = r.identifier AND n.id <> r.id AND (coalesce(" +
           pg_instant("n.datestamp") +
           ", '') COLLATE \"C\", n.metadata_prefix = 'oai_dc', -n.id) > "
           "(coalesce(" +
           pg_instant("r.datestamp") + ", ''), r.metadata_prefix = 'oai_dc', -r.id))";
}

// The identifier is served by the first endpoint that harvested it.
constexpr const char* k_pg_is_served =
    "NOT EXISTS (SELECT 1 FROM records o WHERE o.identifier = r.identifier "
    "AND o.endpoint_id < r.endpoint_id)";

std::string served_where(const Selection& selection, PgArgs& args) {
    std::string sql = " WHERE r.last_changed <= " + args.add(text(selection.until));
    if (selection.from) {
        sql += " AND r.last_changed >= " + args.add(text(*selection.from));
    }
    sql += selection.metadata_prefix
               ? " AND r.metadata_prefix = " + args.add(text(*selection.metadata_prefix))
               : " AND " + served_is_current();
    if (selection.endpoint) {
        sql += " AND e.name = " + args.add(text(*selection.endpoint));
    }
    if (selection.set) {
        const std::string set = args.add(text(*selection.set));
        sql +=
            " AND EXISTS (SELECT 1 FROM jsonb_array_elements_text(r.sets::jsonb) s(v) "
            "WHERE s.v = " +
            set + " OR left(s.v, length(" + set + ") + 1) = " + set + " || ':')";
    }
    return sql + " AND " + k_pg_is_served;
}

std::string served_columns(Content content) {
    std::string sql =
        "SELECT r.id, e.name, r.identifier, r.metadata_prefix, r.last_changed, r.deleted, "
        "r.sets";
    if (content == Content::records) {
        sql += ", r.metadata, i.json";
    }
    return sql;
}

std::string served_tables(Content content) {
    std::string sql = " FROM records r JOIN endpoints e ON e.id = r.endpoint_id";
    if (content == Content::records) {
        sql += " LEFT JOIN items i ON i.record_id = r.id";
    }
    return sql;
}

ServedCopy read_served_copy(const pq::Result& r, int row, Content content) {
    ServedCopy copy;
    copy.row_id = r.int64(row, 0);
    copy.endpoint.assign(r.text(row, 1));
    copy.identifier.assign(r.text(row, 2));
    copy.metadata_prefix.assign(r.text(row, 3));
    copy.last_changed.assign(r.text(row, 4));
    copy.deleted = r.text(row, 5) == "t";
    copy.sets = parse_sets(r.text(row, 6));
    if (content == Content::records) {
        copy.metadata = r.optional_text(row, 7);
        copy.json = r.optional_text(row, 8);
    }
    return copy;
}

std::vector<std::string> first_column(const pq::Result& r) {
    std::vector<std::string> out;
    for (int i = 0; i < r.rows(); ++i) {
        out.emplace_back(r.text(i, 0));
    }
    return out;
}

}  // namespace

std::string pg_instant(const std::string& column) {
    constexpr const char* day = "[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])";
    return "(CASE WHEN " + column + " ~ '^" + day + "$' THEN " + column + " || 'T00:00:00Z' WHEN " +
           column + " ~ '^" + day + "T([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]Z$' THEN " + column +
           " END)";
}

std::vector<ServedCopy> pg_served_page(pq::Connection& conn, const Selection& selection,
                                       const ServedPosition& position, int limit, Content content) {
    PgArgs args;
    std::string sql =
        served_columns(content) + served_tables(content) + served_where(selection, args);
    sql += " AND (r.last_changed, r.id) > (" + args.add(text(position.after_changed)) + ", " +
           args.add(integer(position.after_id)) + "::int8) ORDER BY r.last_changed, r.id LIMIT " +
           args.add(integer(limit));
    auto r = conn.exec(sql, args.params());
    std::vector<ServedCopy> out;
    for (int i = 0; i < r.rows(); ++i) {
        out.push_back(read_served_copy(r, i, content));
        out.back().current = !selection.metadata_prefix;
    }
    return out;
}

std::int64_t pg_served_count(pq::Connection& conn, const Selection& selection) {
    PgArgs args;
    const std::string sql =
        "SELECT count(*)" + served_tables(Content::headers) + served_where(selection, args);
    return conn.exec(sql, args.params()).int64(0, 0);
}

std::vector<ServedCopy> pg_served_record(pq::Connection& conn, const std::string& identifier) {
    auto r = conn.exec(served_columns(Content::records) + ", (" + served_is_current() + ")" +
                           served_tables(Content::records) +
                           " WHERE r.identifier = $1 AND r.endpoint_id = (SELECT "
                           "min(endpoint_id) FROM records WHERE identifier = $1) "
                           "ORDER BY r.metadata_prefix COLLATE \"C\"",
                       {text(identifier)});
    std::vector<ServedCopy> out;
    for (int i = 0; i < r.rows(); ++i) {
        out.push_back(read_served_copy(r, i, Content::records));
        out.back().current = r.text(i, 9) == "t";
    }
    return out;
}

std::vector<ServedEndpoint> pg_served_endpoints(pq::Connection& conn) {
    auto r = conn.exec("SELECT name, repository_name FROM endpoints ORDER BY name COLLATE \"C\"");
    std::vector<ServedEndpoint> out;
    for (int i = 0; i < r.rows(); ++i) {
        out.push_back({std::string(r.text(i, 0)), r.optional_text(i, 1)});
    }
    return out;
}

std::vector<std::string> pg_served_set_specs(pq::Connection& conn, const std::string& endpoint) {
    return first_column(
        conn.exec("SELECT DISTINCT s #>> '{}' COLLATE \"C\" FROM records r JOIN endpoints e "
                  "ON e.id = r.endpoint_id, jsonb_array_elements(r.sets::jsonb) s "
                  "WHERE e.name = $1 AND jsonb_typeof(s) = 'string' ORDER BY 1",
                  {text(endpoint)}));
}

std::vector<std::string> pg_served_prefixes(pq::Connection& conn) {
    return first_column(
        conn.exec("SELECT DISTINCT metadata_prefix COLLATE \"C\" FROM scopes ORDER BY 1"));
}

std::optional<std::string> pg_sample_metadata(pq::Connection& conn,
                                              const std::string& metadata_prefix) {
    // The first stored, as SQLite's scan of the table finds it.
    auto r = conn.exec(
        "SELECT metadata FROM records WHERE metadata_prefix = $1 AND metadata IS NOT NULL "
        "ORDER BY id LIMIT 1",
        {text(metadata_prefix)});
    return r.rows() > 0 ? r.optional_text(0, 0) : std::nullopt;
}

std::optional<std::string> pg_earliest_change(pq::Connection& conn) {
    return conn.exec("SELECT min(last_changed) FROM records").optional_text(0, 0);
}

}  // namespace oaiharvest::store::detail
