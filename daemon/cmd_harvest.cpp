#include <spdlog/spdlog.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <iostream>

#include "cli.hpp"
#include "config/checks.hpp"
#include "context.hpp"
#include "documents_run.hpp"
#include "endpoint_choice.hpp"
#include "harvest/harvest.hpp"
#include "http/polite.hpp"
#include "report.hpp"
#include "sharing.hpp"
#include "signals.hpp"
#include "store/lock.hpp"
#include "upgrade_progress.hpp"
#include "util/clock.hpp"
#include "util/process.hpp"
#include "util/safe_text.hpp"
#include "util/url.hpp"

namespace oaiharvest::cli {
namespace {

struct HarvestOptions : EndpointChoice {
    std::optional<std::string> from;
    std::optional<std::string> until;
    bool full = false;
};

// Draws "\rsample mets: 300 records, 3 pages, 100%" on a terminal.
class TerminalProgress final : public harvest::ProgressListener {
public:
    void on_page(const harvest::ScopeReport& so_far, std::int64_t list_records,
                 std::optional<std::int64_t> complete_list_size) override {
        std::int64_t records = so_far.counts.records_new + so_far.counts.records_updated +
                               so_far.counts.records_unchanged + so_far.counts.records_deleted;
        std::fprintf(stderr, "\r%s %s: %lld records, %lld pages", so_far.endpoint.c_str(),
                     so_far.metadata_prefix.c_str(), static_cast<long long>(records),
                     static_cast<long long>(so_far.pages));
        if (complete_list_size && *complete_list_size > 0) {
            std::fprintf(stderr, ", %lld%%",
                         static_cast<long long>(100 * list_records / *complete_list_size));
        }
        std::fprintf(stderr, "\033[K");
        std::fflush(stderr);
        m_drawn = true;
    }
    void clear() {
        if (m_drawn) {
            std::fprintf(stderr, "\r\033[K");
            m_drawn = false;
        }
    }

private:
    bool m_drawn = false;
};

std::optional<util::UtcTime> checked_date(const std::optional<std::string>& value,
                                          const char* flag) {
    if (!value) {
        return std::nullopt;
    }
    auto date = util::parse_utc(*value);
    if (!date) {
        throw UsageError(std::string(flag) + " \"" + util::printable(*value) +
                         "\" is not a date: use YYYY-MM-DD or YYYY-MM-DDThh:mm:ssZ");
    }
    return date;
}

// The command line is held to the rules of the config file: a name, prefix or set that the
// config would refuse is refused here too, before any request.
void check_options(const HarvestOptions& o) {
    auto from = checked_date(o.from, "--from");
    auto until = checked_date(o.until, "--until");
    if (from && until && *from > *until) {
        throw UsageError("--from " + *o.from + " is after --until " + *o.until +
                         ": the window holds nothing (swap them?)");
    }
    check_choice(o);
}

int run_harvest(const GlobalOptions& global, const HarvestOptions& options) {
    check_options(options);
    auto endpoints = chosen_targets(global, options, "harvest");
    std::string db_path = database_path(global);
    auto lock = store::HarvestLock::acquire(db_path, store::LockMode::shared);
    if (!lock) {
        return report_locked(lock.error(), db_path);
    }
    auto store = store::Store::open(db_path, upgrade_progress(db_path));
    const auto& stop = install_stop_handlers();
    auto fetching = fetch_options(global);
    fetching.abort = &stop;  // a stop aborts the download in flight
    auto curl = http::make_curl_fetcher(fetching);
    util::SystemClock clock(&stop, stop_wake_fd());
    auto policy = retry_policy(global);
    SharedTurns turns(db_path, &stop);
    http::Fetcher& fetcher = turns.wrap(*curl, clock, policy);
    harvest::EndpointHarvester harvester(fetcher, *store, clock, policy);
    TerminalProgress progress;
    if (stderr_is_terminal() && !global.quiet) {
        harvester.set_progress(&progress);
    }
    harvester.set_stop_flag(&stop);

    harvest::Window window{options.from, options.until, options.full};
    bool all_ok = true;
    bool any_held = false;
    for (const auto& target : endpoints) {
        if (stop.load()) {
            all_ok = false;  // the endpoints left are not harvested: an interrupted harvest
            break;
        }
        auto lease = take_lease(*store, target, spdlog::level::warn);
        if (!lease) {
            any_held = true;
            continue;
        }
        auto report = harvester.run(target, window);
        progress.clear();
        all_ok = log_report(report, *store) && all_ok;
        if (const auto* configured = config::find_endpoint(settings(global), target.name)) {
            http::HostGate gate(retry_policy(global).request_interval);
            run_documents(
                *configured, settings(global).text, fetching,
                [&gate](http::Fetcher& inner) {
                    return std::make_unique<http::PoliteFetcher>(inner, gate);
                },
                *store, db_path, clock, &stop);
        }
    }
    if (auto peak = util::peak_memory_kib()) {
        spdlog::debug("peak memory: {} KiB", *peak);
    }
    if (!all_ok) {
        return k_work_failed;
    }
    return any_held ? k_locked : k_ok;
}

}  // namespace

Runner add_harvest(CLI::App& app, const GlobalOptions& global) {
    auto options = std::make_shared<HarvestOptions>();
    auto* cmd = app.add_subcommand("harvest", "harvest endpoints once, incrementally");
    cmd->add_option("names", options->names, "configured endpoints to harvest (default: all)");
    cmd->add_option("--url", options->url, "harvest this endpoint instead of configured ones");
    cmd->add_option("--name", options->name, "name for the --url endpoint (default: its host)");
    // One value per --prefix or --set, so that `--prefix oai_dc sample` leaves "sample" to the
    // names (CLI11 lets a vector option take every argument that follows).
    cmd->add_option("--prefix", options->prefixes, "metadata prefix (repeatable)")
        ->allow_extra_args(false);
    cmd->add_option("--set", options->sets, "setSpec (repeatable)")->allow_extra_args(false);
    cmd->add_option("--from", options->from, "harvest from this date (YYYY-MM-DD[Thh:mm:ssZ])");
    cmd->add_option("--until", options->until, "harvest until this date");
    cmd->add_flag("--full", options->full, "ignore the saved window: harvest everything");
    return [&global, options] { return run_harvest(global, *options); };
}

}  // namespace oaiharvest::cli
