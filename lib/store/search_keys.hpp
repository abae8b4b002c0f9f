#pragma once

// The search indexes stay keyed by the rules in use (search::key_version): FTS5 removes a
// changed or deleted row's words by keying its text again, so an index made under other rules
// or another Unicode version (an ICU upgrade) would be asked to remove words it never held.
// The table search_keys (schema 12) names the version the indexes were made with.

#include "store/sqlite.hpp"
#include "store/store.hpp"

namespace oaiharvest::store::detail {

// Records the version in use; in the transaction of the migration that made the indexes.
void record_search_keys(sql::Database& db);

// Makes both search indexes again when they were made under another version (or it is not
// known), reporting "rebuilding the search indexes" to the observer. One transaction. A
// writer's open calls it; readers search the index as it is.
void keep_search_keys_current(sql::Database& db, const UpgradeObserver& observer);

}  // namespace oaiharvest::store::detail
