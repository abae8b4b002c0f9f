#pragma once
// Schema 9's program part: packs an existing mirror's raw XML and JSON with dictionaries trained
// on its own records, and fills the full-text index from the packed rows. Runs inside the
// migration's transaction, right after schema/009_compact.sql. Internal to the store.

#include "store/sqlite.hpp"
#include "store/store.hpp"

namespace oaiharvest::store::detail {

// Fewer records than this in a format of an endpoint are packed without a dictionary.
inline constexpr std::int64_t k_min_training_records = 32;

// Saves a dictionary once (a page and the upgrade both use it): the same id again is a no-op.
// ?1 id, ?2 endpoint, ?3 prefix, ?4 kind, ?5 samples, ?6 created_at, ?7 bytes.
inline constexpr const char* k_save_dictionary =
    "INSERT OR IGNORE INTO dictionaries (id, endpoint_id, metadata_prefix, kind, samples, "
    "created_at, bytes) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)";

void pack_existing(sql::Database& db, const UpgradeObserver& observer);

}  // namespace oaiharvest::store::detail
