#pragma once
// The resumption tokens of oaiharvest's data provider (issue 14): the whole state of a list in
// the token itself, so that the server keeps none and a token stays valid however long the
// harvester takes, while harvests write to the mirror.
//
// A list runs in (last_changed, row id) order up to a fixed upper bound, `until`: the second
// before the list's first response, or the request's own until if earlier. A record that
// changes while the list is being read moves past that bound, so it is neither sent twice in
// the list nor lost: the harvester's next incremental harvest, from the first responseDate,
// gets it. The token names the last record sent; the next page starts after it.
// Pure; thread-safe.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "oai/request.hpp"
#include "util/time.hpp"

namespace oaiharvest::oai {

struct ListState {
    Verb verb = Verb::list_records;  // list_records, list_identifiers or list_sets
    std::string metadata_prefix;     // empty for list_sets
    std::optional<std::string> set;
    std::optional<util::UtcTime> from;
    util::UtcTime until{};
    // The last record sent: its last_changed time and row id (0 and 0 before the first).
    util::UtcTime after_changed{};
    std::int64_t after_id = 0;
    std::int64_t cursor = 0;              // how many were sent before the next page
    std::int64_t complete_list_size = 0;  // counted at the list's first request
};

// The protocol's characters for a metadataPrefix and for each part of a setSpec (OAI-PMH 2.0,
// 3.5 and 4.4): the only values a token carries as text.
bool is_spec_text(std::string_view text);

// A token made of `state`. The state's prefix and set must be spec text (is_spec_text).
std::string encode_token(const ListState& state);
// The state a token was made of; nullopt for anything encode_token did not make
// (badResumptionToken).
std::optional<ListState> decode_token(std::string_view token);

}  // namespace oaiharvest::oai
