#include "endpoint_choice.hpp"

#include <algorithm>
#include <cctype>

#include "config/checks.hpp"
#include "context.hpp"
#include "util/safe_text.hpp"
#include "util/url.hpp"

namespace oaiharvest::cli {
namespace {

// An endpoint given by --url alone is named after its host.
std::string name_from_url(const std::string& url) {
    std::string name = util::url_host(url);
    for (char& c : name) {
        if (!std::isalnum(static_cast<unsigned char>(c)) && c != '.' && c != '-' && c != '_') {
            c = '_';
        }
    }
    return name.empty() ? "endpoint" : name;
}

}  // namespace

void check_choice(const EndpointChoice& o) {
    auto check = [](const std::string& what, const std::string& value, std::string problem) {
        if (!problem.empty()) {
            throw UsageError(what + " \"" + util::printable(value) + "\": " + problem);
        }
    };
    for (const auto& name : o.names) {
        check("endpoint name", name, config::endpoint_name_problem(name));
    }
    if (o.name) {
        check("--name", *o.name, config::endpoint_name_problem(*o.name));
    }
    for (const auto& [flag, values] : {std::pair{"--prefix", &o.prefixes}, {"--set", &o.sets}}) {
        for (std::size_t i = 0; i < values->size(); ++i) {
            const auto& value = (*values)[i];
            check(flag, value, config::oai_token_problem(value));
            if (std::find(values->begin(), values->begin() + i, value) != values->begin() + i) {
                check(flag, value, "given twice");
            }
        }
    }
    if (o.url) {
        if (auto problem = util::http_url_problem(*o.url); !problem.empty()) {
            check("--url", util::redact_credentials(*o.url), problem);
        }
    }
}

std::vector<harvest::EndpointTarget> chosen_targets(const GlobalOptions& global,
                                                    const EndpointChoice& o,
                                                    const std::string& verb) {
    if (o.url) {
        if (!o.names.empty()) {
            throw UsageError("give endpoint names or --url, not both");
        }
        return {harvest::EndpointTarget{o.name.value_or(name_from_url(*o.url)), *o.url, o.prefixes,
                                        o.sets}};
    }
    const auto& config = settings(global);
    if (config.endpoints.empty()) {
        throw UsageError(config_file(global)
                             ? "nothing to " + verb + ": " + *config_file(global) +
                                   " has no [[endpoint]], and no --url was given"
                             : "nothing to " + verb +
                                   ": give --url URL, or a config file with [[endpoint]] tables "
                                   "(-c FILE)");
    }
    auto target_of = [&](const config::EndpointConfig& e) {
        return harvest::EndpointTarget{e.name, e.url, o.prefixes.empty() ? e.prefixes : o.prefixes,
                                       o.sets.empty() ? e.sets : o.sets,
                                       std::chrono::duration_cast<std::chrono::seconds>(e.overlap)};
    };
    std::vector<harvest::EndpointTarget> chosen;
    if (o.names.empty()) {
        for (const auto& e : config.endpoints) {
            chosen.push_back(target_of(e));
        }
        return chosen;
    }
    for (const auto& name : o.names) {
        const auto* e = config::find_endpoint(config, name);
        if (!e) {
            throw UsageError("no endpoint named \"" + name + "\" in " +
                             config_file(global).value_or("the config"));
        }
        chosen.push_back(target_of(*e));
    }
    return chosen;
}

}  // namespace oaiharvest::cli
