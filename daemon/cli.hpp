#pragma once
// The command line: global options, one subcommand per cmd_<name>.cpp, exit codes of the
// contract. Each command wires config, store, fetcher and logger into the library.

#include <functional>
#include <optional>
#include <stdexcept>
#include <string>

// Only the commands include CLI11 itself: the header instantiates about 160 functions in every
// file that includes it, which took most of the daemon's build time.
namespace CLI {
class App;
}

namespace oaiharvest::cli {

enum ExitCode : int { k_ok = 0, k_work_failed = 1, k_usage = 2, k_locked = 3 };

// A usage or configuration mistake (exit 2), with a message naming what and where.
class UsageError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

struct GlobalOptions {
    std::optional<std::string> config_file;
    std::optional<std::string> database;
    int verbose = 0;
    bool quiet = false;
    std::string log_format = "text";
    bool log_format_given = false;
};

int run(int argc, char** argv);

// Each command registers itself on the app and returns the function that runs it after
// parsing.
using Runner = std::function<int()>;
Runner add_identify(CLI::App& app, const GlobalOptions& global);
Runner add_harvest(CLI::App& app, const GlobalOptions& global);
Runner add_reconcile(CLI::App& app, const GlobalOptions& global);
Runner add_status(CLI::App& app, const GlobalOptions& global);
Runner add_show(CLI::App& app, const GlobalOptions& global);
Runner add_export(CLI::App& app, const GlobalOptions& global);
Runner add_search(CLI::App& app, const GlobalOptions& global);
Runner add_copy(CLI::App& app, const GlobalOptions& global);
Runner add_config(CLI::App& app, const GlobalOptions& global);
Runner add_daemon(CLI::App& app, const GlobalOptions& global);
Runner add_serve(CLI::App& app, const GlobalOptions& global);
Runner add_extract_text(CLI::App& app, const GlobalOptions& global);  // hidden: the text worker
// Hidden: the command line as JSON, for the man page and the completion (scripts/gen-manpages).
Runner add_cli_reference(CLI::App& app, const GlobalOptions& global);

}  // namespace oaiharvest::cli
