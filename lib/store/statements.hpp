#pragma once
// The store's prepared statements: prepared once per connection and reused for every record.

#include "store/catalogue.hpp"
#include "store/sqlite.hpp"
#include "store/sqlite_store.hpp"

namespace oaiharvest::store {

struct SqliteStore::Statements {
    explicit Statements(sql::Database& db);

    sql::Statement find_record;
    sql::Statement insert_record;
    sql::Statement update_record;
    sql::Statement mark_deleted;
    sql::Statement other_formats;        // the record's rows in the endpoint's other formats
    sql::Statement deletions_elsewhere;  // datestamps of its deletions in the other formats
    sql::Statement mark_withdrawn;
    sql::Statement save_scope;
    sql::Statement add_page_to_run;
    sql::Statement read_metadata;
    sql::Statement read_json;  // a record's JSON, unpacked
    sql::Statement save_dictionary;
    detail::CatalogueWriter catalogue;
};

}  // namespace oaiharvest::store
