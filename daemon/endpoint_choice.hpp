#pragma once
// Which endpoints a command that harvests (harvest, reconcile) works on, as its command line
// gives them, and the targets they make.

#include <optional>
#include <string>
#include <vector>

#include "cli.hpp"
#include "harvest/harvest.hpp"

namespace oaiharvest::cli {

struct EndpointChoice {
    std::vector<std::string> names;     // configured endpoints; empty: all of them
    std::optional<std::string> url;     // instead of configured endpoints
    std::optional<std::string> name;    // for the --url endpoint; absent: from its host
    std::vector<std::string> prefixes;  // replace the configured ones when given
    std::vector<std::string> sets;
};

// Holds the choice to the rules of the config file: throws UsageError naming a bad endpoint
// name, --name, --prefix, --set (or one given twice) or --url.
void check_choice(const EndpointChoice& choice);

// The endpoints chosen, with the configured prefixes, sets and overlap unless the choice
// replaces them. `verb` ("harvest") words the error when there is nothing to work on. Throws
// UsageError for names with --url, an unknown name, or no endpoint at all.
std::vector<harvest::EndpointTarget> chosen_targets(const GlobalOptions& global,
                                                    const EndpointChoice& choice,
                                                    const std::string& verb);

}  // namespace oaiharvest::cli
