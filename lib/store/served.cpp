#include "store/served.hpp"

#include "store/postgres/pg_served.hpp"
#include "store/postgres/pg_store.hpp"
#include "store/sets_json.hpp"
#include "store/sqlite.hpp"
#include "store/store_access.hpp"

namespace oaiharvest::store {
namespace {

// The record's newest copy across formats; a datestamp that is not a date is older than any
// date. Ties go to the oai_dc copy (so that a record harvested in oai_dc is served in it as
// harvested), then to the row stored first: exactly one copy of a record is current.
constexpr const char* k_is_current =
    "NOT EXISTS (SELECT 1 FROM records n WHERE n.endpoint_id = r.endpoint_id "
    "AND n.identifier = r.identifier AND n.id <> r.id "
    "AND (coalesce(julianday(n.datestamp), -1), n.metadata_prefix = 'oai_dc', -n.id) > "
    "(coalesce(julianday(r.datestamp), -1), r.metadata_prefix = 'oai_dc', -r.id))";

// The identifier is served by the first endpoint that harvested it.
constexpr const char* k_is_served =
    "NOT EXISTS (SELECT 1 FROM records o WHERE o.identifier = r.identifier "
    "AND o.endpoint_id < r.endpoint_id)";

// Parameters: ?1 until, ?2 from, ?3 prefix, ?4 endpoint, ?5 set, ?6 and ?7 the position, ?8 the
// limit; only those the selection uses are in the SQL.
std::string where(const Selection& selection) {
    std::string sql = " WHERE r.last_changed <= ?1";
    if (selection.from) {
        sql += " AND r.last_changed >= ?2";
    }
    sql += selection.metadata_prefix ? " AND r.metadata_prefix = ?3"
                                     : std::string(" AND ") + k_is_current;
    if (selection.endpoint) {
        sql += " AND e.name = ?4";
    }
    if (selection.set) {
        sql +=
            " AND EXISTS (SELECT 1 FROM json_each(r.sets) s WHERE s.value = ?5 "
            "OR substr(s.value, 1, length(?5) + 1) = ?5 || ':')";
    }
    return sql + " AND " + k_is_served;
}

void bind(sql::Statement& stmt, const Selection& selection) {
    stmt.bind(1, selection.until);
    if (selection.from) {
        stmt.bind(2, *selection.from);
    }
    if (selection.metadata_prefix) {
        stmt.bind(3, *selection.metadata_prefix);
    }
    if (selection.endpoint) {
        stmt.bind(4, *selection.endpoint);
    }
    if (selection.set) {
        stmt.bind(5, *selection.set);
    }
}

std::string columns(Content content) {
    std::string sql =
        "SELECT r.id, e.name, r.identifier, r.metadata_prefix, r.last_changed, r.deleted, "
        "r.sets";
    if (content == Content::records) {
        sql += ", oaiharvest_unpack(r.metadata), oaiharvest_unpack(i.json)";
    }
    return sql;
}

std::string tables(Content content, const char* index) {
    std::string sql =
        std::string(" FROM records r ") + index + " JOIN endpoints e ON e.id = r.endpoint_id";
    if (content == Content::records) {
        sql += " LEFT JOIN items_json i ON i.record_id = r.id";
    }
    return sql;
}

ServedCopy read_copy(const sql::Statement& stmt, Content content) {
    ServedCopy copy;
    copy.row_id = stmt.int64(0);
    copy.endpoint.assign(stmt.text(1));
    copy.identifier.assign(stmt.text(2));
    copy.metadata_prefix.assign(stmt.text(3));
    copy.last_changed.assign(stmt.text(4));
    copy.deleted = stmt.int64(5) != 0;
    copy.sets = detail::parse_sets(stmt.text(6));
    if (content == Content::records) {
        copy.metadata = stmt.optional_text(7);
        copy.json = stmt.optional_text(8);
    }
    return copy;
}

}  // namespace

std::vector<ServedCopy> served_page(Store& store, const Selection& selection,
                                    const ServedPosition& position, int limit, Content content) {
    if (auto* pg = detail::PgAccess::connection(store)) {
        return detail::pg_served_page(*pg, selection, position, limit, content);
    }
    // The list's order is the index's: a page costs the rows it reads, never a sort of the
    // selection, whatever the planner would guess from the filters.
    sql::Statement stmt(detail::StoreAccess::connection(store),
                        columns(content) + tables(content, "INDEXED BY records_last_changed") +
                            where(selection) +
                            " AND (r.last_changed, r.id) > (?6, ?7)"
                            " ORDER BY r.last_changed, r.id LIMIT ?8");
    bind(stmt, selection);
    stmt.bind(6, position.after_changed).bind(7, position.after_id).bind(8, std::int64_t{limit});
    std::vector<ServedCopy> out;
    while (stmt.step()) {
        out.push_back(read_copy(stmt, content));
        out.back().current = !selection.metadata_prefix;
    }
    return out;
}

std::int64_t served_count(Store& store, const Selection& selection) {
    if (auto* pg = detail::PgAccess::connection(store)) {
        return detail::pg_served_count(*pg, selection);
    }
    sql::Statement stmt(detail::StoreAccess::connection(store),
                        "SELECT count(*)" + tables(Content::headers, "") + where(selection));
    bind(stmt, selection);
    stmt.step();
    return stmt.int64(0);
}

std::vector<ServedCopy> served_record(Store& store, const std::string& identifier) {
    if (auto* pg = detail::PgAccess::connection(store)) {
        return detail::pg_served_record(*pg, identifier);
    }
    sql::Statement stmt(
        detail::StoreAccess::connection(store),
        columns(Content::records) + ", " + k_is_current + tables(Content::records, "") +
            " WHERE r.identifier = ?1 AND r.endpoint_id = (SELECT min(endpoint_id) FROM records "
            "WHERE identifier = ?1) ORDER BY r.metadata_prefix");
    stmt.bind(1, identifier);
    std::vector<ServedCopy> out;
    while (stmt.step()) {
        out.push_back(read_copy(stmt, Content::records));
        out.back().current = stmt.int64(9) != 0;
    }
    return out;
}

std::vector<ServedEndpoint> served_endpoints(Store& store) {
    if (auto* pg = detail::PgAccess::connection(store)) {
        return detail::pg_served_endpoints(*pg);
    }
    sql::Statement stmt(detail::StoreAccess::connection(store),
                        "SELECT name, repository_name FROM endpoints ORDER BY name");
    std::vector<ServedEndpoint> out;
    while (stmt.step()) {
        out.push_back({std::string(stmt.text(0)), stmt.optional_text(1)});
    }
    return out;
}

std::vector<std::string> served_set_specs(Store& store, const std::string& endpoint) {
    if (auto* pg = detail::PgAccess::connection(store)) {
        return detail::pg_served_set_specs(*pg, endpoint);
    }
    sql::Statement stmt(detail::StoreAccess::connection(store),
                        "SELECT DISTINCT s.value FROM records r JOIN endpoints e "
                        "ON e.id = r.endpoint_id, json_each(r.sets) s "
                        "WHERE e.name = ?1 AND s.type = 'text' ORDER BY 1");
    stmt.bind(1, endpoint);
    std::vector<std::string> out;
    while (stmt.step()) {
        out.emplace_back(stmt.text(0));
    }
    return out;
}

std::vector<std::string> served_prefixes(Store& store) {
    if (auto* pg = detail::PgAccess::connection(store)) {
        return detail::pg_served_prefixes(*pg);
    }
    sql::Statement stmt(detail::StoreAccess::connection(store),
                        "SELECT DISTINCT metadata_prefix FROM scopes ORDER BY 1");
    std::vector<std::string> out;
    while (stmt.step()) {
        out.emplace_back(stmt.text(0));
    }
    return out;
}

std::optional<std::string> sample_metadata(Store& store, const std::string& metadata_prefix) {
    if (auto* pg = detail::PgAccess::connection(store)) {
        return detail::pg_sample_metadata(*pg, metadata_prefix);
    }
    sql::Statement stmt(detail::StoreAccess::connection(store),
                        "SELECT oaiharvest_unpack(metadata) FROM records "
                        "WHERE metadata_prefix = ?1 AND metadata IS NOT NULL LIMIT 1");
    stmt.bind(1, metadata_prefix);
    return stmt.step() ? stmt.optional_text(0) : std::nullopt;
}

std::optional<std::string> earliest_change(Store& store) {
    if (auto* pg = detail::PgAccess::connection(store)) {
        return detail::pg_earliest_change(*pg);
    }
    sql::Statement stmt(detail::StoreAccess::connection(store),
                        "SELECT min(last_changed) FROM records");
    stmt.step();
    return stmt.optional_text(0);
}

}  // namespace oaiharvest::store
