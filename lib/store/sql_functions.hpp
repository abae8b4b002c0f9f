#pragma once
// The SQL functions every connection of the store has, so that SQL over the mirror reads packed
// values as text (the `items` and `search_source` views, the migration that packs an older
// mirror). Internal to the store.
//
//   oaiharvest_unpack(value): a zstd frame of records.metadata or items_json.json as the text it
//       holds; text and NULL as they are. Fails naming the dictionary when it is missing.
//   oaiharvest_pack(value, dictionary_id): value as a zstd frame, with that dictionary of the
//       `dictionaries` table (NULL or 0: none); NULL stays NULL.
//
// Dictionaries are read from the connection's own `dictionaries` table the first time a frame
// names them, and kept for the connection's life.

#include "store/sqlite.hpp"

namespace oaiharvest::store::detail {

void register_functions(sql::Database& db);
// The same on a connection someone else opened (the loadable extension): returns SQLite's
// result code.
int register_functions(sqlite3* db);

}  // namespace oaiharvest::store::detail
