#include <CLI/CLI.hpp>
#include <iostream>

#include "cli.hpp"
#include "context.hpp"

namespace oaiharvest::cli {
namespace {

int run_config_check(const GlobalOptions& global) {
    auto file = config_file(global);
    if (!file) {
        throw UsageError(
            "no config file: give -c FILE, set OAIHARVEST_CONFIG, or create ./oaiharvest.toml");
    }
    // settings() has already read and checked it (setup_logging needs it); print what it made.
    std::cout << config::describe_effective(settings(global));
    std::cerr << *file << ": ok\n";
    return k_ok;
}

}  // namespace

Runner add_config(CLI::App& app, const GlobalOptions& global) {
    auto* cmd = app.add_subcommand("config", "the config file");
    cmd->require_subcommand(1);
    cmd->add_subcommand("check", "validate the config file and print the effective settings");
    return [&global] { return run_config_check(global); };
}

}  // namespace oaiharvest::cli
