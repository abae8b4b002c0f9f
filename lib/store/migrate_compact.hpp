#pragma once
// Schema 9's program part: packs an existing mirror's raw XML and JSON with dictionaries trained
// on its own records, and fills the full-text index from the packed rows. Runs inside the
// migration's transaction, right after schema/009_compact.sql. Internal to the store.

#include "store/sqlite.hpp"
#include "store/store.hpp"

namespace oaiharvest::store::detail {

// Fewer records than this in a format of an endpoint are packed without a dictionary.
inline constexpr std::int64_t k_min_training_records = 32;

void pack_existing(sql::Database& db, const UpgradeObserver& observer);

}  // namespace oaiharvest::store::detail
