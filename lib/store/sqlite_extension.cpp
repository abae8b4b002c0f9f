// A loadable SQLite extension with the functions every oaiharvest connection has
// (sql_functions.hpp), so that other programs can read a mirror's packed values:
//   sqlite3 mirror.db -cmd '.load build/liboaiharvest' 'SELECT title FROM items LIMIT 3'
// SQLite finds the entry point by the file's name (liboaiharvest.so: sqlite3_oaiharvest_init).
// It calls libsqlite3 directly rather than through the routines SQLite hands over, which is
// right for every program that links the system's libsqlite3 (the sqlite3 shell, Python).

#include <sqlite3.h>

#include "store/sql_functions.hpp"

extern "C" __attribute__((visibility("default"))) int sqlite3_oaiharvest_init(sqlite3* db,
                                                                              char** error,
                                                                              const void* /*api*/) {
    int rc = oaiharvest::store::detail::register_functions(db);
    if (rc != SQLITE_OK && error) {
        *error =
            sqlite3_mprintf("oaiharvest: cannot register its functions: %s", sqlite3_errstr(rc));
    }
    return rc;
}
