#pragma once

// The FTS5 tokenizer "oaiharvest" of the `search` and `document_search` tables (schema 12):
// search::for_each_word's keys, and in a query each word's key in the other script as a
// synonym (docs/schema.md). Every connection oaiharvest opens has it, and so has the loadable
// extension; without it SQLite cannot read those tables.

struct sqlite3;

namespace oaiharvest::store::detail {

// SQLite's result code.
int register_search_tokenizer(sqlite3* db);

}  // namespace oaiharvest::store::detail
