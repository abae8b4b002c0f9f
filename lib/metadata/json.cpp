// to_json(): the contract's record JSON as a tree, for callers that inspect or reshape it. The
// text itself is written in one place, to_json_text() (json_text.cpp), which the store uses.

#include <nlohmann/json.hpp>

#include "metadata/metadata.hpp"

namespace oaiharvest::metadata {

nlohmann::ordered_json to_json(const Envelope& envelope, const Description& d) {
    return nlohmann::ordered_json::parse(to_json_text(envelope, d));
}

}  // namespace oaiharvest::metadata
