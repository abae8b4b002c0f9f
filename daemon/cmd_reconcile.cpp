#include <spdlog/spdlog.h>

#include <CLI/CLI.hpp>

#include "cli.hpp"
#include "context.hpp"
#include "endpoint_choice.hpp"
#include "harvest/harvest.hpp"
#include "reconcile_report.hpp"
#include "sharing.hpp"
#include "signals.hpp"
#include "store/lock.hpp"
#include "upgrade_progress.hpp"
#include "util/clock.hpp"
#include "util/safe_text.hpp"

namespace oaiharvest::cli {
namespace {

using ReconcileOptions = EndpointChoice;

int run_reconcile(const GlobalOptions& global, const ReconcileOptions& options) {
    check_choice(options);
    auto endpoints = chosen_targets(global, options, "reconcile");
    std::string db_path = database_path(global);
    auto lock = store::HarvestLock::acquire(db_path, store::LockMode::shared);
    if (!lock) {
        return report_locked(lock.error(), db_path);
    }
    auto store = store::Store::open(db_path, upgrade_progress(db_path));
    const auto& stop = install_stop_handlers();
    auto fetching = fetch_options(global);
    fetching.abort = &stop;
    auto curl = http::make_curl_fetcher(fetching);
    util::SystemClock clock(&stop, stop_wake_fd());
    auto policy = retry_policy(global);
    SharedTurns turns(db_path, &stop);
    http::Fetcher& fetcher = turns.wrap(*curl, clock, policy);
    harvest::EndpointHarvester harvester(fetcher, *store, clock, policy);
    harvester.set_stop_flag(&stop);
    bool all_ok = true;
    bool any_held = false;
    for (const auto& target : endpoints) {
        if (stop.load()) {
            all_ok = false;
            break;
        }
        auto lease = take_lease(*store, target, spdlog::level::warn);
        if (!lease) {
            any_held = true;
            continue;
        }
        all_ok = log_reconcile_report(harvester.reconcile(target)) && all_ok;
    }
    if (!all_ok) {
        return k_work_failed;
    }
    return any_held ? k_locked : k_ok;
}

}  // namespace

bool log_reconcile_report(const harvest::EndpointReport& report) {
    if (report.error) {
        spdlog::error("{}: {}", report.endpoint, util::printable(*report.error));
    }
    // No scope and no error: stopped before any scope ran.
    bool all_ok = !report.scopes.empty() || report.error.has_value();
    for (const auto& scope : report.scopes) {
        if (scope.outcome == store::Outcome::failed) {
            spdlog::error("{}", harvest::reconcile_summary_line(scope));
        } else {
            spdlog::info("{}", harvest::reconcile_summary_line(scope));
        }
        all_ok = all_ok && scope.outcome == store::Outcome::ok;
    }
    return all_ok && report.ok();
}

Runner add_reconcile(CLI::App& app, const GlobalOptions& global) {
    auto options = std::make_shared<ReconcileOptions>();
    auto* cmd = app.add_subcommand(
        "reconcile", "compare endpoints with the mirror and bring the mirror equal to them");
    cmd->add_option("names", options->names, "configured endpoints to reconcile (default: all)");
    cmd->add_option("--url", options->url, "reconcile this endpoint instead of configured ones");
    cmd->add_option("--name", options->name,
                    "the name the --url endpoint was harvested under (default: its host)");
    cmd->add_option("--prefix", options->prefixes, "metadata prefix (repeatable)")
        ->allow_extra_args(false);
    cmd->add_option("--set", options->sets, "setSpec (repeatable)")->allow_extra_args(false);
    return [&global, options] { return run_reconcile(global, *options); };
}

}  // namespace oaiharvest::cli
