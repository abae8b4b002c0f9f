#pragma once
// Writes a record's normalized fields: the items row, the child tables (names, subjects,
// identifiers, urls, files) and its full-text row, replacing what was there. Internal to the
// store; runs inside the page's transaction.

#include <cstdint>

#include "metadata/metadata.hpp"
#include "store/sqlite.hpp"

namespace oaiharvest::store::detail {

class CatalogueWriter {
public:
    explicit CatalogueWriter(sql::Database& db);

    // existed: the record had catalogue rows before (skips the deletes for a new record). json
    // is metadata::to_json_text(envelope, description) packed (lib/store/packing.hpp), made by
    // the caller, possibly earlier and on another thread.
    void replace(std::int64_t record_id, const metadata::Envelope& envelope,
                 const metadata::Description& description, const std::string& json, bool existed);

    // The record is now deleted and keeps the metadata its rows were made of: its JSON becomes
    // `json` (packed) and it leaves the full-text index; the other rows stay.
    void mark_deleted(std::int64_t record_id, const std::string& json);

private:
    void remove(std::int64_t record_id);

    sql::Statement m_delete_item, m_delete_names, m_delete_subjects, m_delete_identifiers,
        m_delete_urls, m_delete_files, m_delete_search;
    sql::Statement m_insert_item, m_insert_name, m_insert_subject, m_insert_identifier,
        m_insert_url, m_insert_file, m_insert_search;
    sql::Statement m_mark_item_deleted;
};

}  // namespace oaiharvest::store::detail
