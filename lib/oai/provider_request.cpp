#include "oai/provider_request.hpp"

#include <algorithm>
#include <array>
#include <chrono>
#include <iterator>

namespace oaiharvest::oai {
namespace {

struct VerbRules {
    Verb verb;
    std::vector<std::string_view> required;  // unless a resumption token is given
    std::vector<std::string_view> optional;
    bool resumable;
};

const std::array<VerbRules, 6>& verb_rules() {
    static const std::array<VerbRules, 6> rules{{
        {Verb::identify, {}, {}, false},
        {Verb::list_metadata_formats, {}, {"identifier"}, false},
        {Verb::list_sets, {}, {}, true},
        {Verb::list_identifiers, {"metadataPrefix"}, {"from", "until", "set"}, true},
        {Verb::list_records, {"metadataPrefix"}, {"from", "until", "set"}, true},
        {Verb::get_record, {"identifier", "metadataPrefix"}, {}, false},
    }};
    return rules;
}

std::unexpected<Refusal> refuse(ProviderError error, std::string message) {
    return std::unexpected(Refusal{error, std::move(message)});
}

bool is_digits(std::string_view text) {
    return !text.empty() &&
           std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// Exactly the protocol's two forms: parse_utc alone would also take offsets and fractions.
enum class DateForm { day, seconds };
std::optional<DateForm> date_form(std::string_view text) {
    auto day = [](std::string_view d) {
        return d.size() == 10 && is_digits(d.substr(0, 4)) && d[4] == '-' &&
               is_digits(d.substr(5, 2)) && d[7] == '-' && is_digits(d.substr(8, 2));
    };
    if (day(text)) {
        return DateForm::day;
    }
    if (text.size() == 20 && day(text.substr(0, 10)) && text[10] == 'T' &&
        is_digits(text.substr(11, 2)) && text[13] == ':' && is_digits(text.substr(14, 2)) &&
        text[16] == ':' && is_digits(text.substr(17, 2)) && text[19] == 'Z') {
        return DateForm::seconds;
    }
    return std::nullopt;
}

}  // namespace

bool is_argument_name(std::string_view name) {
    static constexpr std::string_view names[] = {"verb",  "identifier", "metadataPrefix", "from",
                                                 "until", "set",        "resumptionToken"};
    return std::find(std::begin(names), std::end(names), name) != std::end(names);
}

std::string_view error_code(ProviderError error) {
    switch (error) {
        case ProviderError::bad_verb:
            return "badVerb";
        case ProviderError::bad_argument:
            return "badArgument";
        case ProviderError::bad_resumption_token:
            return "badResumptionToken";
        case ProviderError::cannot_disseminate_format:
            return "cannotDisseminateFormat";
        case ProviderError::id_does_not_exist:
            return "idDoesNotExist";
        case ProviderError::no_records_match:
            return "noRecordsMatch";
        case ProviderError::no_metadata_formats:
            return "noMetadataFormats";
        case ProviderError::no_set_hierarchy:
            return "noSetHierarchy";
    }
    return "badArgument";
}

std::expected<ProviderRequest, Refusal> parse_provider_request(
    const std::vector<std::pair<std::string, std::string>>& arguments) {
    const std::pair<std::string, std::string>* verb = nullptr;
    for (const auto& argument : arguments) {
        if (argument.first == "verb") {
            if (verb) {
                return refuse(ProviderError::bad_verb, "the verb argument is repeated");
            }
            verb = &argument;
        }
    }
    if (!verb) {
        return refuse(ProviderError::bad_verb, "the request names no verb");
    }
    const auto& rules = verb_rules();
    const auto* rule = std::find_if(rules.begin(), rules.end(), [&](const VerbRules& r) {
        return verb_name(r.verb) == verb->second;
    });
    if (rule == rules.end()) {
        return refuse(ProviderError::bad_verb, "\"" + verb->second + "\" is not an OAI-PMH verb");
    }

    ProviderRequest request;
    request.verb = rule->verb;
    std::vector<std::string_view> seen;
    auto allowed = [&](std::string_view name) {
        auto in = [&](const std::vector<std::string_view>& names) {
            return std::find(names.begin(), names.end(), name) != names.end();
        };
        return in(rule->required) || in(rule->optional) ||
               (rule->resumable && name == "resumptionToken");
    };
    for (const auto& [name, value] : arguments) {
        if (name == "verb") {
            continue;
        }
        if (!allowed(name)) {
            return refuse(ProviderError::bad_argument,
                          "\"" + name + "\" is not an argument of " + verb->second);
        }
        if (std::find(seen.begin(), seen.end(), name) != seen.end()) {
            return refuse(ProviderError::bad_argument, "the argument " + name + " is repeated");
        }
        seen.push_back(name);
        if (name == "identifier") {
            request.identifier = value;
        } else if (name == "metadataPrefix") {
            request.metadata_prefix = value;
        } else if (name == "set") {
            request.set = value;
        } else if (name == "resumptionToken") {
            request.resumption_token = value;
        }
    }
    if (request.resumption_token) {
        if (seen.size() > 1) {
            return refuse(ProviderError::bad_argument,
                          "resumptionToken is an exclusive argument: send it alone with the verb");
        }
        return request;
    }
    for (auto name : rule->required) {
        if (std::find(seen.begin(), seen.end(), name) == seen.end()) {
            return refuse(ProviderError::bad_argument,
                          verb->second + " needs the argument " + std::string(name));
        }
    }

    std::optional<DateForm> from_form;
    std::optional<DateForm> until_form;
    for (const auto& [name, value] : arguments) {
        if (name != "from" && name != "until") {
            continue;
        }
        auto form = date_form(value);
        auto time = form ? util::parse_utc(value) : std::nullopt;
        if (!time) {
            return refuse(
                ProviderError::bad_argument,
                name + " \"" + value + "\" is not a date: use YYYY-MM-DD or YYYY-MM-DDThh:mm:ssZ");
        }
        if (name == "from") {
            request.from = *time;
            from_form = form;
        } else {
            // The last second of a day given alone.
            request.until = *form == DateForm::day ? *time + std::chrono::seconds{86'399} : *time;
            until_form = form;
        }
    }
    if (from_form && until_form && *from_form != *until_form) {
        return refuse(ProviderError::bad_argument,
                      "from and until must have the same granularity (both days or both "
                      "seconds)");
    }
    if (request.from && request.until && *request.from > *request.until) {
        return refuse(ProviderError::bad_argument, "from is later than until");
    }
    return request;
}

}  // namespace oaiharvest::oai
