// Copying a PostgreSQL mirror out, and into one (copy.hpp).
#include "store/postgres/pg_search.hpp"
#include "store/postgres/pg_store.hpp"

namespace oaiharvest::store {
namespace {

using pq::integer;
using pq::null;
using pq::text;

std::string pg_column_list(MirrorTable table, bool as_read) {
    std::string out;
    for (const auto& column : table_columns(table)) {
        out += out.empty() ? "" : ", ";
        // A boolean is carried as 0 or 1 (copy.hpp), as SQLite holds it.
        out += as_read && column.type == ColumnType::boolean
                   ? std::string(column.name) + "::int::text"
                   : std::string(column.name);
    }
    return out;
}

}  // namespace

std::int64_t PgStore::record_rows() {
    return m_conn.exec("SELECT count(*) FROM records").int64(0, 0);
}

std::vector<CopiedRow> PgStore::copied_rows(MirrorTable table) {
    auto r = m_conn.exec("SELECT " + pg_column_list(table, true) + " FROM " + table_name(table) +
                         " ORDER BY id");
    std::vector<CopiedRow> rows;
    for (int i = 0; i < r.rows(); ++i) {
        CopiedRow row(static_cast<std::size_t>(r.columns()));
        for (int c = 0; c < r.columns(); ++c) {
            row[static_cast<std::size_t>(c)] = r.optional_text(i, c);
        }
        rows.push_back(std::move(row));
    }
    return rows;
}

void PgStore::for_each_copied_record(const std::function<void(const CopiedRecord&)>& visit) {
    CopiedRecord record;
    m_conn.for_each_row(
        "SELECT r.id, r.endpoint_id, r.identifier, r.metadata_prefix, r.datestamp, "
        "r.deleted::int::int8, r.sets, r.metadata, r.content_hash, r.first_seen, r.last_seen, "
        "r.last_changed, r.gone_at, coalesce(i.json, ''), i.year::int8, "
        "coalesce(i.deleted, false)::int::int8 "
        "FROM records r LEFT JOIN items i ON i.record_id = r.id ORDER BY r.id",
        {},
        [&](const pq::Result& rows) {
            for (int i = 0; i < rows.rows(); ++i) {
                record.id = rows.int64(i, 0);
                record.endpoint_id = rows.int64(i, 1);
                record.identifier.assign(rows.text(i, 2));
                record.metadata_prefix.assign(rows.text(i, 3));
                record.datestamp.assign(rows.text(i, 4));
                record.deleted = rows.int64(i, 5) != 0;
                record.sets.assign(rows.text(i, 6));
                record.metadata = rows.optional_text(i, 7);
                record.content_hash = rows.bytes(i, 8);
                record.first_seen.assign(rows.text(i, 9));
                record.last_seen.assign(rows.text(i, 10));
                record.last_changed.assign(rows.text(i, 11));
                record.gone_at = rows.optional_text(i, 12);
                record.json.assign(rows.text(i, 13));
                record.year = rows.is_null(i, 14) ? std::nullopt : std::optional(rows.int64(i, 14));
                record.item_deleted = rows.int64(i, 15) != 0;
                visit(record);
            }
        },
        pq::ResultFormat::binary);
}

void PgStore::paste_rows(MirrorTable table, const std::vector<CopiedRow>& rows) {
    const auto columns = table_columns(table);
    std::string values;
    for (std::size_t i = 1; i <= columns.size(); ++i) {
        values += (i == 1 ? "$" : ", $") + std::to_string(i);
    }
    const std::string insert = std::string("INSERT INTO ") + table_name(table) + " (" +
                               pg_column_list(table, false) + ") VALUES (" + values + ")";
    pq::Transaction transaction(m_conn);
    for (const auto& row : rows) {
        pq::Params params;
        for (const auto& value : row) {
            params.push_back(text(value));
        }
        m_conn.exec_prepared(insert, params);
    }
    transaction.commit();
}

void PgStore::paste_records(const std::vector<PastedRecord>& records) {
    pq::Transaction transaction(m_conn);
    for (const auto& [row, description] : records) {
        m_conn.exec_prepared(
            "INSERT INTO records (id, endpoint_id, identifier, metadata_prefix, datestamp, "
            "deleted, sets, metadata, content_hash, first_seen, last_seen, last_changed, gone_at) "
            "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
            {integer(row.id), integer(row.endpoint_id), text(row.identifier),
             text(row.metadata_prefix), text(row.datestamp), text(row.deleted ? "true" : "false"),
             text(row.sets), text(row.metadata), pq::bytes(row.content_hash), text(row.first_seen),
             text(row.last_seen), text(row.last_changed), text(row.gone_at)});
        // Search finds live records only, as on SQLite.
        auto search =
            row.item_deleted ? std::nullopt : std::optional(detail::search_vector(description));
        m_conn.exec_prepared(
            "INSERT INTO items (record_id, year, deleted, json, search) "
            "VALUES ($1, $2, $3, $4, $5::tsvector)",
            {integer(row.id), row.year ? integer(*row.year) : null(),
             text(row.item_deleted ? "true" : "false"), text(row.json), text(search)});
    }
    transaction.commit();
}

void PgStore::finish_paste() {
    // Ids were written as they were: the next one a harvest takes must come after them.
    for (const char* table : {"endpoints", "scopes", "records", "harvest_runs"}) {
        m_conn.exec(std::string("SELECT setval(pg_get_serial_sequence('") + table +
                    "', 'id'), coalesce(max(id), 0) + 1, false) FROM " + table);
    }
    m_conn.exec("ANALYZE");
}

}  // namespace oaiharvest::store
