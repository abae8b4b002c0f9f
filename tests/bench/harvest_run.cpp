#include "harvest_run.hpp"

#include <nlohmann/json.hpp>

namespace oaiharvest::bench {

HarvestRun run_harvest(const BenchOptions& options, const std::string& config,
                       const std::string& db, const std::string& url, const std::string& name) {
    HarvestRun run;
    run.child = run_child({options.binary, "-c", config, "--db", db, "-v", "harvest", "--url", url,
                           "--name", name, "--prefix", "mets"});
    const std::string marker = "peak memory: ";
    if (auto at = run.child.err.rfind(marker); at != std::string::npos) {
        run.peak_kib = std::stol(run.child.err.substr(at + marker.size()));
    }
    return run;
}

void add_harvest_figures(const std::string& label, const HarvestRun& run, double records,
                         double bytes, Figures& figures) {
    const auto& c = run.child;
    figures.add(label + " records/s", "rec/s", records / c.wall_s);
    figures.add(label + " MB/s", "MB/s", mb(bytes) / c.wall_s);
    figures.add(label + " wall", "s", c.wall_s);
    figures.add(label + " CPU user+sys", "s", c.user_s + c.sys_s);
    figures.add(label + " records per CPU second", "rec/s", records / (c.user_s + c.sys_s));
    figures.add(label + " CPU user", "s", c.user_s);
    figures.add(label + " CPU sys", "s", c.sys_s);
    if (run.peak_kib) {
        figures.add(label + " peak RSS (VmHWM)", "MiB",
                    mib_of_kib(static_cast<double>(*run.peak_kib)));
    }
    figures.add(label + " ru_maxrss", "MiB", mib_of_kib(static_cast<double>(c.maxrss_kib)));
}

ScopeStatus read_status(const BenchOptions& options, const std::string& db) {
    ScopeStatus status;
    auto result = run_child({options.binary, "--db", db, "status", "--json"});
    if (result.exit_code != 0) {
        return status;
    }
    auto json = nlohmann::json::parse(result.out, nullptr, false);
    if (json.is_discarded() || !json.is_array() || json.empty()) {
        return status;
    }
    const auto& scope = json[0];
    status.records = scope.value("records", std::int64_t{-1});
    status.deleted = scope.value("deleted", std::int64_t{-1});
    if (scope.contains("last_run") && scope["last_run"].is_object()) {
        const auto& run = scope["last_run"];
        status.last_new = run.value("new", std::int64_t{-1});
        status.last_updated = run.value("updated", std::int64_t{-1});
        status.pages = run.value("pages", std::int64_t{-1});
    }
    return status;
}

void check_scope(const ScopeStatus& status, std::size_t records, const std::string& what,
                 Figures& figures) {
    const auto expected = static_cast<std::int64_t>(records);
    if (status.records != expected) {
        figures.fail(what + ": the mirror holds " + std::to_string(status.records) +
                     " records, expected " + std::to_string(records));
    }
}

}  // namespace oaiharvest::bench
