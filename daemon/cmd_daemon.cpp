#include <spdlog/spdlog.h>

#include <algorithm>
#include <memory>

#include "cli.hpp"
#include "context.hpp"
#include "daemon_loop.hpp"
#include "signals.hpp"
#include "store/lock.hpp"

namespace oaiharvest::cli {
namespace {

int run_daemon(const GlobalOptions& global, bool once) {
    auto file = config_file(global);
    if (!file) {
        throw UsageError(
            "the daemon needs a config file with scheduled [[endpoint]] tables: give -c FILE, "
            "set $OAIHARVEST_CONFIG, or put oaiharvest.toml in the working directory");
    }
    const auto& config = settings(global);
    if (std::none_of(config.endpoints.begin(), config.endpoints.end(),
                     [](const auto& e) { return e.schedule.has_value(); })) {
        throw UsageError(*file +
                         ": no [[endpoint]] has a schedule, so the daemon would have nothing to "
                         "do (`oaiharvest harvest` runs endpoints without one)");
    }
    std::string db_path = database_path(global);
    auto lock = store::HarvestLock::acquire(db_path);
    if (!lock) {
        return report_locked(lock.error(), db_path);
    }
    const auto& stop = install_stop_handlers();
    auto& reload = install_reload_handler();
    Daemon daemon(config, *file, db_path);
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
    return [&global, once] { return run_daemon(global, *once); };
}

}  // namespace oaiharvest::cli
