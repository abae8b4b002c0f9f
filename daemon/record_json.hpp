#pragma once
// A stored record as the contract's normalized JSON: the store keeps it ready, written when
// the record was harvested. A byte that is not UTF-8 (which an older version could store)
// becomes U+FFFD instead of failing the parse.

#include <nlohmann/json.hpp>

#include "store/queries.hpp"
#include "util/safe_text.hpp"

namespace oaiharvest::cli {

inline nlohmann::ordered_json record_json(const store::StoredRecord& r) {
    return nlohmann::ordered_json::parse(util::valid_utf8(r.json));
}

}  // namespace oaiharvest::cli
