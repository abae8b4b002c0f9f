#pragma once
// The record JSON of a row that becomes deleted and keeps the metadata stored before, made from
// the JSON stored with that metadata rather than by describing it again: the store normalizes
// nothing (lib/harvest does). Internal to the store.

#include <optional>
#include <string>
#include <string_view>

#include "metadata/metadata.hpp"

namespace oaiharvest::store::detail {

struct DeletedJson {
    std::string json;
    bool unreadable = false;  // its parse_error is set
};

// `stored` with the header fields of `envelope` (datestamp, deleted, sets) and a parse_error
// recomputed for the new datestamp (`datestamp` as sent): byte for byte what
// metadata::to_json_text(envelope, describe(metadata)) with the datestamp's note gives, since
// the stored JSON is that description's. nullopt when `stored` is not a record JSON object.
std::optional<DeletedJson> deleted_json(std::string_view stored, const metadata::Envelope& envelope,
                                        const std::string& datestamp);

}  // namespace oaiharvest::store::detail
