#pragma once
// How the SQLite store's own query code (queries.cpp, reconcile.cpp) reaches a Store's
// connection: Store hands it to nothing else. Internal to the store.

#include "store/sqlite.hpp"
#include "store/store.hpp"

namespace oaiharvest::store::detail {

struct StoreAccess {
    // The Store's connection: the write connection of one opened for harvesting, the read-only
    // one of one opened for reading.
    static sql::Database& connection(Store& store) { return *store.m_db; }
};

}  // namespace oaiharvest::store::detail
