#pragma once
// A stored record as the contract's normalized JSON: the store keeps it ready, written when
// the record was harvested.

#include <nlohmann/json.hpp>

#include "store/queries.hpp"

namespace oaiharvest::cli {

inline nlohmann::ordered_json record_json(const store::StoredRecord& r) {
    return nlohmann::ordered_json::parse(r.json);
}

}  // namespace oaiharvest::cli
