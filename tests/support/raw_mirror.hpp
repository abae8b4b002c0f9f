#pragma once
// A test's own connection to a mirror's file, for the tests that check the SQLite layout itself
// (tables, triggers, query plans): the store hands its connection to nobody. It has the store's
// SQL functions, so the views that read packed values work. Header-only.

#include <memory>
#include <string>

#include "store/sql_functions.hpp"
#include "store/sqlite.hpp"

namespace oaiharvest::test {

inline std::unique_ptr<store::sql::Database> raw_connection(const std::string& path) {
    auto db = std::make_unique<store::sql::Database>(path, store::sql::Database::Mode::read_write);
    store::detail::register_functions(*db);
    return db;
}

}  // namespace oaiharvest::test
