#pragma once
// The OAI-PMH argument grammar as EPrints 3.4's cgi/oai2 checks it: repeated, missing,
// unrecognised and malformed arguments, with EPrints' own error codes and messages. Values are
// checked for syntax only; whether a format or identifier exists is the provider's business.
// Pure functions; thread-safe.

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace oaiharvest::sample::detail {

enum class Verb {
    identify,
    list_metadata_formats,
    list_sets,
    list_identifiers,
    list_records,
    get_record
};

struct OaiError {
    std::string code;  // "badArgument", "badVerb", ...
    std::string message;
};

struct CheckedRequest {
    std::optional<Verb> verb;                   // nullopt when missing or not a verb
    std::map<std::string, std::string> params;  // well-formed arguments, verb excluded
    // The <request> element's attributes: verb, then every single non-empty argument as sent.
    std::vector<std::pair<std::string, std::string>> echo;
    std::vector<OaiError> errors;  // in the order EPrints reports them
};

// Checks decoded query arguments. Empty values count as absent, as in EPrints.
CheckedRequest check_arguments(const std::multimap<std::string, std::string>& args);

// "YYYY-MM-DD" or "YYYY-MM-DDThh:mm:ssZ", the only dates EPrints accepts.
bool is_oai_date(std::string_view text);

}  // namespace oaiharvest::sample::detail
