#include "cli.hpp"

#include <spdlog/spdlog.h>

#include <iostream>

#include "context.hpp"
#include "store/store.hpp"
#include "util/version.hpp"

namespace oaiharvest::cli {

int run(int argc, char** argv) {
    CLI::App app{"oaiharvest: harvests OAI-PMH endpoints into a SQLite mirror", "oaiharvest"};
    GlobalOptions global;
    app.set_version_flag("--version", std::string("oaiharvest ") + k_version);
    app.add_option("-c,--config", global.config_file,
                   "config file (default: $OAIHARVEST_CONFIG, else ./oaiharvest.toml)");
    app.add_option("--db", global.database, "SQLite database (overrides the config)");
    app.add_flag("-v,--verbose", global.verbose, "more log output (repeat for debug)");
    app.add_flag("-q,--quiet", global.quiet, "only warnings and errors");
    auto* log_format =
        app.add_option("--log-format", global.log_format, "log lines as text or json")
            ->check(CLI::IsMember({"text", "json"}));
    app.require_subcommand(1);
    app.fallthrough();

    std::vector<std::pair<CLI::App*, Runner>> commands;
    auto add = [&](Runner (*adder)(CLI::App&, const GlobalOptions&)) {
        std::size_t before = app.get_subcommands({}).size();
        Runner runner = adder(app, global);
        commands.emplace_back(app.get_subcommands({})[before], std::move(runner));
    };
    add(add_identify);
    add(add_harvest);
    add(add_status);
    add(add_show);
    add(add_search);
    add(add_export);
    add(add_config);
    add(add_daemon);

    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        int status = app.exit(e);
        return status == 0 ? k_ok : k_usage;
    }
    global.log_format_given = log_format->count() > 0;
    try {
        setup_logging(global);
        for (auto& [command, runner] : commands) {
            if (command->parsed()) {
                return runner();
            }
        }
        return k_usage;
    } catch (const UsageError& e) {
        std::cerr << "oaiharvest: " << e.what() << "\n";
        return k_usage;
    } catch (const store::StoreError& e) {
        std::cerr << "oaiharvest: " << e.what() << "\n";
        return k_usage;
    } catch (const std::exception& e) {
        std::cerr << "oaiharvest: " << e.what() << "\n";
        return k_work_failed;
    }
}

}  // namespace oaiharvest::cli
