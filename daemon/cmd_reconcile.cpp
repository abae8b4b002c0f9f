#include <spdlog/spdlog.h>

#include <cctype>

#include "cli.hpp"
#include "config/checks.hpp"
#include "context.hpp"
#include "harvest/harvest.hpp"
#include "reconcile_report.hpp"
#include "signals.hpp"
#include "store/lock.hpp"
#include "util/clock.hpp"
#include "util/safe_text.hpp"
#include "util/url.hpp"

namespace oaiharvest::cli {
namespace {

struct ReconcileOptions {
    std::vector<std::string> names;
    std::optional<std::string> url;
    std::optional<std::string> name;
    std::vector<std::string> prefixes;
    std::vector<std::string> sets;
};

// As `harvest` names an endpoint given by --url alone.
std::string name_from_url(const std::string& url) {
    std::string name = util::url_host(url);
    for (char& c : name) {
        if (!std::isalnum(static_cast<unsigned char>(c)) && c != '.' && c != '-' && c != '_') {
            c = '_';
        }
    }
    return name.empty() ? "endpoint" : name;
}

// Held to the rules of the config file, as `harvest` holds its options.
void check_options(const ReconcileOptions& o) {
    auto check = [](const std::string& what, const std::string& value, std::string problem) {
        if (!problem.empty()) {
            throw UsageError(what + " \"" + util::printable(value) + "\": " + problem);
        }
    };
    for (const auto& name : o.names) {
        check("endpoint name", name, config::endpoint_name_problem(name));
    }
    if (o.name) {
        check("--name", *o.name, config::endpoint_name_problem(*o.name));
    }
    for (const auto& [flag, values] : {std::pair{"--prefix", &o.prefixes}, {"--set", &o.sets}}) {
        for (const auto& value : *values) {
            check(flag, value, config::oai_token_problem(value));
        }
    }
    if (o.url) {
        if (auto problem = util::http_url_problem(*o.url); !problem.empty()) {
            check("--url", util::redact_credentials(*o.url), problem);
        }
    }
}

std::vector<harvest::EndpointTarget> targets(const GlobalOptions& global,
                                             const ReconcileOptions& o) {
    if (o.url) {
        if (!o.names.empty()) {
            throw UsageError("give endpoint names or --url, not both");
        }
        return {harvest::EndpointTarget{o.name.value_or(name_from_url(*o.url)), *o.url, o.prefixes,
                                        o.sets}};
    }
    const auto& config = settings(global);
    if (config.endpoints.empty()) {
        throw UsageError(config_file(global)
                             ? "nothing to reconcile: " + *config_file(global) +
                                   " has no [[endpoint]], and no --url was given"
                             : std::string("nothing to reconcile: give --url URL --name NAME, or "
                                           "a config file with [[endpoint]] tables (-c FILE)"));
    }
    auto target_of = [&](const config::EndpointConfig& e) {
        return harvest::EndpointTarget{e.name, e.url, o.prefixes.empty() ? e.prefixes : o.prefixes,
                                       o.sets.empty() ? e.sets : o.sets,
                                       std::chrono::duration_cast<std::chrono::seconds>(e.overlap)};
    };
    std::vector<harvest::EndpointTarget> chosen;
    if (o.names.empty()) {
        for (const auto& e : config.endpoints) {
            chosen.push_back(target_of(e));
        }
        return chosen;
    }
    for (const auto& name : o.names) {
        const auto* e = config::find_endpoint(config, name);
        if (!e) {
            throw UsageError("no endpoint named \"" + name + "\" in " +
                             config_file(global).value_or("the config"));
        }
        chosen.push_back(target_of(*e));
    }
    return chosen;
}

int run_reconcile(const GlobalOptions& global, const ReconcileOptions& options) {
    check_options(options);
    auto endpoints = targets(global, options);
    std::string db_path = database_path(global);
    auto lock = store::HarvestLock::acquire(db_path);
    if (!lock) {
        return report_locked(lock.error(), db_path);
    }
    auto store = store::Store::open(db_path);
    const auto& stop = install_stop_handlers();
    auto fetching = fetch_options(global);
    fetching.abort = &stop;
    auto fetcher = http::make_curl_fetcher(fetching);
    util::SystemClock clock(&stop, stop_wake_fd());
    harvest::EndpointHarvester harvester(*fetcher, *store, clock, retry_policy(global));
    harvester.set_stop_flag(&stop);
    bool all_ok = true;
    for (const auto& target : endpoints) {
        if (stop.load()) {
            all_ok = false;
            break;
        }
        all_ok = log_reconcile_report(harvester.reconcile(target)) && all_ok;
    }
    return all_ok ? k_ok : k_work_failed;
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
