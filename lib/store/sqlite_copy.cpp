// Copying a SQLite mirror out, and into one (copy.hpp): values unpacked on the way out, packed
// with the endpoint's dictionaries on the way in, the catalogue and its search index made from
// the descriptions the caller gives.
#include <map>

#include "store/packing.hpp"
#include "store/sqlite.hpp"
#include "store/sqlite_store.hpp"
#include "store/statements.hpp"

namespace oaiharvest::store {
namespace {

std::string column_list(MirrorTable table, bool as_read) {
    std::string out;
    for (const auto& column : table_columns(table)) {
        out += out.empty() ? "" : ", ";
        // Read as text: the row carries every value as text (copy.hpp).
        out += as_read && column.type != ColumnType::text
                   ? std::string("CAST(") + column.name + " AS TEXT)"
                   : std::string(column.name);
    }
    return out;
}

void bind_copied(sql::Statement& stmt, int index, const std::optional<std::string>& value,
                 ColumnType type) {
    if (!value) {
        stmt.bind_null(index);
    } else if (type == ColumnType::text) {
        stmt.bind(index, *value);
    } else {
        stmt.bind(index, std::int64_t{std::stoll(*value)});
    }
}

void roll_back_quietly(sql::Database& db) noexcept {
    try {
        db.exec("ROLLBACK");
    } catch (...) {
    }
}

}  // namespace

std::int64_t SqliteStore::record_rows() {
    sql::Statement count(*m_db, "SELECT count(*) FROM records");
    count.step();
    return count.int64(0);
}

std::vector<CopiedRow> SqliteStore::copied_rows(MirrorTable table) {
    sql::Statement select(*m_db, "SELECT " + column_list(table, true) + " FROM " +
                                     table_name(table) + " ORDER BY id");
    const auto columns = table_columns(table).size();
    std::vector<CopiedRow> rows;
    while (select.step()) {
        CopiedRow row(columns);
        for (std::size_t i = 0; i < columns; ++i) {
            row[i] = select.optional_text(static_cast<int>(i));
        }
        rows.push_back(std::move(row));
    }
    return rows;
}

void SqliteStore::for_each_copied_record(const std::function<void(const CopiedRecord&)>& visit) {
    sql::Statement select(
        *m_db,
        "SELECT r.id, r.endpoint_id, r.identifier, r.metadata_prefix, r.datestamp, r.deleted, "
        "r.sets, oaiharvest_unpack(r.metadata), r.content_hash, r.first_seen, r.last_seen, "
        "r.last_changed, r.gone_at, oaiharvest_unpack(i.json), i.year, coalesce(i.deleted, 0) "
        "FROM records r LEFT JOIN items_json i ON i.record_id = r.id ORDER BY r.id");
    CopiedRecord record;
    while (select.step()) {
        record.id = select.int64(0);
        record.endpoint_id = select.int64(1);
        record.identifier.assign(select.text(2));
        record.metadata_prefix.assign(select.text(3));
        record.datestamp.assign(select.text(4));
        record.deleted = select.int64(5) != 0;
        record.sets.assign(select.text(6));
        record.metadata = select.optional_text(7);
        auto hash = select.blob(8);
        record.content_hash.assign(reinterpret_cast<const char*>(hash.data()), hash.size());
        record.first_seen.assign(select.text(9));
        record.last_seen.assign(select.text(10));
        record.last_changed.assign(select.text(11));
        record.gone_at = select.optional_text(12);
        record.json.assign(select.text(13));
        record.year = select.is_null(14) ? std::nullopt : std::optional(select.int64(14));
        record.item_deleted = select.int64(15) != 0;
        visit(record);
    }
}

void SqliteStore::paste_rows(MirrorTable table, const std::vector<CopiedRow>& rows) {
    const auto columns = table_columns(table);
    std::string values;
    for (std::size_t i = 1; i <= columns.size(); ++i) {
        values += (i == 1 ? "?" : ", ?") + std::to_string(i);
    }
    m_db->exec("BEGIN IMMEDIATE");
    try {
        sql::Statement insert(*m_db, std::string("INSERT INTO ") + table_name(table) + " (" +
                                         column_list(table, false) + ") VALUES (" + values + ")");
        for (const auto& row : rows) {
            for (std::size_t i = 0; i < columns.size(); ++i) {
                bind_copied(insert, static_cast<int>(i + 1), row.at(i), columns[i].type);
            }
            insert.run();
        }
        m_db->exec("COMMIT");
    } catch (...) {
        roll_back_quietly(*m_db);
        throw;
    }
}

void SqliteStore::paste_records(const std::vector<PastedRecord>& records) {
    m_db->exec("BEGIN IMMEDIATE");
    try {
        sql::Statement insert(
            *m_db,
            "INSERT INTO records (id, endpoint_id, identifier, metadata_prefix, datestamp, "
            "deleted, sets, metadata, content_hash, first_seen, last_seen, last_changed, gone_at) "
            "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)");
        std::map<std::pair<EndpointId, std::string>,
                 std::vector<std::shared_ptr<const detail::Dictionary>>>
            used;
        for (const auto& [row, description] : records) {
            auto packer = this->packer(row.endpoint_id, row.metadata_prefix);
            auto& dictionaries = used[{row.endpoint_id, row.metadata_prefix}];
            insert.bind(1, row.id)
                .bind(2, row.endpoint_id)
                .bind(3, row.identifier)
                .bind(4, row.metadata_prefix)
                .bind(5, row.datestamp)
                .bind(6, std::int64_t{row.deleted ? 1 : 0})
                .bind(7, row.sets)
                .bind_blob_static(9, row.content_hash)
                .bind(10, row.first_seen)
                .bind(11, row.last_seen)
                .bind(12, row.last_changed)
                .bind(13, row.gone_at);
            // Bound without a copy: it lives until the row is written.
            std::string packed;
            if (row.metadata) {
                if (!row.metadata->empty()) {
                    packed =
                        packer->pack(detail::PackedKind::metadata, *row.metadata, dictionaries);
                }
                insert.bind_blob_static(8, packed);
            } else {
                insert.bind_null(8);
            }
            insert.run();
            metadata::Envelope entry;
            entry.deleted = row.item_deleted;
            m_stmts->catalogue.replace(
                row.id, entry, description,
                packer->pack(detail::PackedKind::json, row.json, dictionaries), false);
        }
        const auto now = util::format_utc_seconds(util::now_utc());
        for (const auto& [scope, dictionaries] : used) {
            for (const auto& d : dictionaries) {
                m_stmts->save_dictionary.bind(1, std::int64_t{d->id()})
                    .bind(2, scope.first)
                    .bind(3, scope.second)
                    .bind(4, detail::kind_name(d->kind()))
                    .bind(5, d->samples())
                    .bind(6, now)
                    .bind_blob_static(7, d->bytes())
                    .run();
            }
        }
        m_db->exec("COMMIT");
    } catch (...) {
        roll_back_quietly(*m_db);
        throw;
    }
}

void SqliteStore::finish_paste() {
    // The planner's statistics, for the indexes the pasted rows filled.
    m_db->exec("ANALYZE");
}

}  // namespace oaiharvest::store
