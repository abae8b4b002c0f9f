#pragma once
// Running `oaiharvest harvest` and reading the mirror's status, for the scenarios.

#include <cstdint>
#include <optional>
#include <string>

#include "figures.hpp"
#include "process.hpp"
#include "scenarios.hpp"

namespace oaiharvest::bench {

struct HarvestRun {
    ChildResult child;
    std::optional<long> peak_kib;  // the child's own "peak memory: N KiB" (VmHWM), from -v
};

// `oaiharvest -c config --db db -v harvest --url url --name name`.
HarvestRun run_harvest(const BenchOptions& options, const std::string& config,
                       const std::string& db, const std::string& url, const std::string& name);

// records/s, MB/s, wall, CPU and peak memory of a harvest, under "<label> ...".
void add_harvest_figures(const std::string& label, const HarvestRun& run, double records,
                         double bytes, Figures& figures);

struct ScopeStatus {
    std::int64_t records = -1;
    std::int64_t deleted = -1;
    std::int64_t last_new = -1;
    std::int64_t last_updated = -1;
    std::int64_t pages = -1;
};

// The first scope of `oaiharvest --db db status --json`; -1s when unreadable.
ScopeStatus read_status(const BenchOptions& options, const std::string& db);

// Fails unless the scope holds `records` records (deleted ones included).
void check_scope(const ScopeStatus& status, std::size_t records, const std::string& what,
                 Figures& figures);

}  // namespace oaiharvest::bench
