#pragma once
// What a harvester asks of a data provider: the arguments of a GET query or a POST form,
// checked against OAI-PMH 2.0's rules (sections 3.1.1, 3.3.1 and 3.6 of the specification),
// into a request, or into the error and message the response must carry. The first part of
// serving the mirror (issue 14). Pure; thread-safe.

#include <expected>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "oai/request.hpp"
#include "util/time.hpp"

namespace oaiharvest::oai {

// The protocol's error conditions, each with its code in the response (`error_code`).
enum class ProviderError {
    bad_verb,
    bad_argument,
    bad_resumption_token,
    cannot_disseminate_format,
    id_does_not_exist,
    no_records_match,
    no_metadata_formats,
    no_set_hierarchy
};

// "badVerb", "badArgument", ...: as the <error code="..."> attribute spells it.
std::string_view error_code(ProviderError error);

struct Refusal {
    ProviderError error;
    std::string message;  // for people: names the argument and what is wrong with it
};

struct ProviderRequest {
    Verb verb = Verb::identify;
    std::optional<std::string> identifier;
    std::optional<std::string> metadata_prefix;
    // Bounds of a selective harvest, both inclusive. A day stands for its first second in
    // `from` and for its last in `until`, so that until=2026-01-01 includes that whole day.
    std::optional<util::UtcTime> from;
    std::optional<util::UtcTime> until;
    std::optional<std::string> set;
    std::optional<std::string> resumption_token;
};

// One of the protocol's argument names, verb included.
bool is_argument_name(std::string_view name);

// `arguments`: the decoded name=value pairs of the query or form, in order, repeats kept.
// The provider's granularity is seconds: a date may be given as YYYY-MM-DD or as
// YYYY-MM-DDThh:mm:ssZ, but from and until in one request must use the same one.
std::expected<ProviderRequest, Refusal> parse_provider_request(
    const std::vector<std::pair<std::string, std::string>>& arguments);

}  // namespace oaiharvest::oai
