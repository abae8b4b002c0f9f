#include "cli.hpp"

#include <spdlog/spdlog.h>

#include <CLI/CLI.hpp>
#include <iostream>

#include "context.hpp"
#include "store/store.hpp"
#include "util/journal_stream.hpp"
#include "util/safe_text.hpp"
#include "util/url.hpp"
#include "version_text.hpp"

namespace oaiharvest::cli {
namespace {

// A message may quote a server or a bad argument: each of its lines is made printable and the
// credentials of any URL in it redacted.
void print_error(std::string_view message) {
    // In the journal each line is its own entry, at priority error.
    const bool journal = util::stderr_is_journal();
    std::string lines;
    std::size_t begin = 0;
    while (true) {
        auto end = message.find('\n', begin);
        auto line = message.substr(begin, end == std::string_view::npos ? end : end - begin);
        lines += journal ? "<3>" : "";
        lines += begin == 0 ? "oaiharvest: " : "";
        lines += util::printable(util::redact_credentials_in_text(line));
        lines += '\n';
        if (end == std::string_view::npos) {
            break;
        }
        begin = end + 1;
    }
    // One write: a line another process (a harvest child) logs to the same journal stream
    // cannot land inside it and take its priority.
    std::cerr.write(lines.data(), static_cast<std::streamsize>(lines.size()));
    std::cerr.flush();
}

// The first argument when it is where a command should be and names none: CLI11 would only
// say "A subcommand is required".
std::optional<std::string> unknown_command(CLI::App& app) {
    const std::vector<std::string> remaining = app.remaining();
    if (!app.get_subcommands().empty() || remaining.empty()) {
        return std::nullopt;
    }
    const std::string& first = remaining.front();
    if (first.empty() || first.front() == '-') {
        return std::nullopt;
    }
    return first;
}

std::string command_names(CLI::App& app) {
    std::string names;
    for (const auto* command : app.get_subcommands({})) {
        if (command->get_group().empty()) {
            continue;  // hidden: internal to oaiharvest (__extract-text)
        }
        names += (names.empty() ? "" : ", ") + command->get_name();
    }
    return names;
}

}  // namespace

int run(int argc, char** argv) {
    CLI::App app{"oaiharvest: harvests OAI-PMH endpoints into a SQLite mirror", "oaiharvest"};
    GlobalOptions global;
    app.set_version_flag("--version", version_text,
                         "print the version and the libcurl, libxml2 and SQLite in use");
    app.add_option("-c,--config", global.config_file,
                   "config file (default: $OAIHARVEST_CONFIG, else ./oaiharvest.toml)");
    app.add_option("--db", global.database,
                   "the mirror: a SQLite file, or a PostgreSQL database as "
                   "postgresql://user@host/db (overrides the config)");
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
    add(add_reconcile);
    add(add_status);
    add(add_show);
    add(add_search);
    add(add_export);
    add(add_copy);
    add(add_config);
    add(add_daemon);
    add(add_serve);
    add(add_extract_text);
    add(add_cli_reference);

    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        if (auto command = unknown_command(app)) {
            print_error("unknown command \"" + *command + "\" (commands: " + command_names(app) +
                        "; see oaiharvest --help)");
            return k_usage;
        }
        if (e.get_exit_code() != 0 && util::stderr_is_journal()) {
            // Under systemd (a bad ExecStart): at priority error, like every other error.
            print_error(std::string(e.what()) + "\nRun with --help for more information.");
            return k_usage;
        }
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
        print_error(e.what());
        return k_usage;
    } catch (const store::StoreError& e) {
        print_error(e.what());
        return k_usage;
    } catch (const std::exception& e) {
        print_error(e.what());
        return k_work_failed;
    }
}

}  // namespace oaiharvest::cli
