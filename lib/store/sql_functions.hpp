#pragma once
// The SQL functions every connection of the store has, so that SQL over the mirror reads packed
// values as text (the `items` and `search_source` views, the migration that packs an older
// mirror). Internal to the store.
//
//   oaiharvest_unpack(value): a zstd frame of records.metadata or items_json.json as the text it
//       holds; text and NULL as they are. Fails naming the dictionary when it is missing.
//   oaiharvest_pack(value, dictionary_id): value as a zstd frame, with that dictionary of the
//       `dictionaries` table (NULL or 0: none); NULL stays NULL.
// and the FTS5 tokenizer `oaiharvest` of the search tables (store/search_tokenizer.hpp).
//
// Dictionaries are read from the connection's own `dictionaries` table the first time a frame
// names them, and kept for the connection's life.

#include <cstdint>
#include <map>
#include <memory>
#include <span>
#include <string>

#include "store/sqlite.hpp"

namespace oaiharvest::store::detail {

class Dictionary;

// The dictionaries a connection's frames name, read from its `dictionaries` table the first time
// and kept. Used by one thread at a time, like the connection.
class DictionaryCache {
public:
    // nullptr for id 0. Throws std::runtime_error when the table lacks it.
    const Dictionary* find(sqlite3* db, std::uint32_t id);

private:
    std::map<std::uint32_t, std::shared_ptr<const Dictionary>> m_dictionaries;
};

// A stored value (packed or not) as text, into `out`'s buffer: what a reader of many rows uses
// instead of oaiharvest_unpack(), saving SQLite's copy of each value.
void read_stored_text(sqlite3* db, DictionaryCache& cache, std::span<const std::uint8_t> value,
                      std::string& out);

void register_functions(sql::Database& db);
// The same on a connection someone else opened (the loadable extension): returns SQLite's
// result code.
int register_functions(sqlite3* db);

}  // namespace oaiharvest::store::detail
