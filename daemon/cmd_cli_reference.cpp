// `oaiharvest __cli-reference` (hidden): the command line as JSON, walked from the very CLI11
// app that parses it, so that the man page oaiharvest(1) and the bash completion, which
// scripts/gen-manpages renders from it at build time, name exactly the commands and options
// `--help` does. Hidden commands and options are left out.

#include <CLI/CLI.hpp>
#include <iostream>
#include <nlohmann/json.hpp>

#include "cli.hpp"

namespace oaiharvest::cli {
namespace {

using nlohmann::json;

bool hidden(const CLI::Option& option) {
    return option.get_group().empty();
}

json describe_option(const CLI::Option& option) {
    json names = json::array();
    for (const auto& name : option.get_snames()) {
        names.push_back("-" + name);
    }
    for (const auto& name : option.get_lnames()) {
        names.push_back("--" + name);
    }
    // CLI11 gives a flag (an option without a value) no type name.
    const bool flag = option.get_type_name().empty();
    return json{
        {"names", names},
        {"positional", option.get_positional()},
        {"name", option.get_name(true, false)},
        {"type", flag ? "" : option.get_type_name()},
        {"flag", flag},
        {"required", option.get_required()},
        {"repeatable", option.get_items_expected_max() > 1 ||
                           option.get_multi_option_policy() == CLI::MultiOptionPolicy::TakeAll},
        {"description", option.get_description()}};
}

json describe_app(const CLI::App& app) {
    json options = json::array();
    for (const auto* option : app.get_options()) {
        if (!hidden(*option)) {
            options.push_back(describe_option(*option));
        }
    }
    json commands = json::array();
    for (const auto* command : app.get_subcommands({})) {
        if (!command->get_group().empty()) {
            commands.push_back(describe_app(*command));
        }
    }
    return json{{"name", app.get_name()},
                {"description", app.get_description()},
                {"options", options},
                {"commands", commands}};
}

}  // namespace

Runner add_cli_reference(CLI::App& app, const GlobalOptions& /*global*/) {
    app.add_subcommand("__cli-reference", "the command line as JSON")->group("");
    return [&app] {
        std::cout << describe_app(app).dump(2) << "\n";
        return std::cout.flush() ? k_ok : k_work_failed;
    };
}

}  // namespace oaiharvest::cli
