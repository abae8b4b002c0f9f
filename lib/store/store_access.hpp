#pragma once
// How the SQLite store's own query code (queries.cpp, reconcile.cpp, ...) reaches a Store's
// connection: Store hands it to nothing else. Internal to the store.

#include "store/sqlite.hpp"
#include "store/sqlite_store.hpp"

namespace oaiharvest::store::detail {

struct StoreAccess {
    // The SQLite connection of a SQLite mirror: the write connection of one opened for
    // harvesting, the read-only one of one opened for reading. Throws StoreError for a mirror
    // on another backend, which the caller's function does not serve (yet).
    static sql::Database& connection(Store& store) {
        if (auto* sqlite = dynamic_cast<SqliteStore*>(&store)) {
            return *sqlite->m_db;
        }
        throw StoreError("this does not work on a PostgreSQL mirror yet (" + store.describe() +
                         "): use a SQLite mirror, or `oaiharvest copy` one to SQLite");
    }
};

}  // namespace oaiharvest::store::detail
