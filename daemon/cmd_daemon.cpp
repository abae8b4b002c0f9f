#include <spdlog/spdlog.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <memory>

#include "child.hpp"
#include "cli.hpp"
#include "context.hpp"
#include "daemon_loop.hpp"
#include "serving.hpp"
#include "signals.hpp"
#include "store/lock.hpp"

namespace oaiharvest::cli {
namespace {

// The global options a harvest child needs besides its config: the database as resolved here
// (a relative --db reads the same in the child, which shares the working directory) and the
// logging the daemon was given.
std::vector<std::string> child_args(const GlobalOptions& global, const std::string& db_path) {
    std::vector<std::string> args{"--db", db_path};
    for (int i = 0; i < global.verbose; ++i) {
        args.emplace_back("-v");
    }
    if (global.quiet) {
        args.emplace_back("-q");
    }
    if (global.log_format_given) {
        args.insert(args.end(), {"--log-format", global.log_format});
    }
    return args;
}

int run_daemon(const GlobalOptions& global, bool once, bool serve) {
    // First: a SIGHUP (systemctl reload) or SIGTERM that comes while the daemon starts (opening
    // or migrating the mirror can take a while) is acted on once it runs, instead of ending it.
    const auto& stop = install_stop_handlers();
    auto& reload = install_reload_handler();
    auto file = config_file(global);
    if (!file) {
        throw UsageError(
            "the daemon needs a config file with scheduled [[endpoint]] tables: give -c FILE, "
            "set $OAIHARVEST_CONFIG, or put oaiharvest.toml in the working directory");
    }
    const auto& config = settings(global);
    if (std::none_of(config.endpoints.begin(), config.endpoints.end(),
                     [](const auto& e) { return e.schedule || e.reconcile; })) {
        throw UsageError(*file +
                         ": no [[endpoint]] has a schedule, so the daemon would have nothing to "
                         "do (`oaiharvest harvest` runs endpoints without one)");
    }
    std::string db_path = database_path(global);
    auto lock = store::HarvestLock::acquire(db_path, store::LockMode::shared);
    if (!lock) {
        return report_locked(lock.error(), db_path);
    }
    std::optional<BackgroundServer> server;
    if (serve || config.serve.in_daemon) {
        auto serving = serve_settings(config.serve, db_path, std::nullopt);
        // The server reads the mirror from the start, before the first harvest makes it.
        store::Store::open(db_path);
        server.emplace(std::move(serving));
    }
    Daemon daemon(config, *file, db_path, child_args(global, db_path), lock->fd());
    if (once) {
        return daemon.run_once(stop) ? k_ok : k_work_failed;
    }
    daemon.run(stop, reload);
    return k_ok;
}

}  // namespace

Runner add_daemon(CLI::App& app, const GlobalOptions& global) {
    auto* cmd = app.add_subcommand(
        "daemon", "harvest the scheduled endpoints when due, until SIGTERM; SIGHUP reloads");
    auto once = std::make_shared<bool>(false);
    cmd->add_flag("--once", *once,
                  "harvest the endpoints due now, `parallel` at a time, then exit (for cron)");
    // Hidden: how the daemon starts a harvest child (child.hpp). Not for users.
    auto child = std::make_shared<std::string>();
    cmd->add_option("--harvest-child", *child, "internal: harvest one endpoint for the daemon")
        ->group("");
    auto slot = std::make_shared<int>(-1);
    cmd->add_option("--host-slot", *slot, "internal: the host's slot in the daemon's gate")
        ->group("");
    auto serve = std::make_shared<bool>(false);
    cmd->add_flag("--serve", *serve,
                  "serve the mirror too, as `oaiharvest serve` does ([serve] in_daemon)");
    auto reconcile = std::make_shared<bool>(false);
    cmd->add_flag("--reconcile", *reconcile, "internal: the child reconciles instead")->group("");
    return [&global, once, child, slot, reconcile, serve] {
        return child->empty() ? run_daemon(global, *once, *serve)
                              : run_harvest_child(global, *child, *slot, *reconcile);
    };
}

}  // namespace oaiharvest::cli
