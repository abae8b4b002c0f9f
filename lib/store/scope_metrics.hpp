#pragma once
// The mirror's figures per harvest scope, for monitoring (/metrics, issue 14): what a scrape
// reads. Same threading as Store: one thread at a time per Store. Reads only; a read-only
// Store will do, and never waits on a harvest (WAL).
//
// Bytes downloaded are not among them: harvest_runs does not record a byte count (schema/).

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "store/store.hpp"
#include "util/time.hpp"

namespace oaiharvest::store {

// How many of the scope's runs of one kind (harvest, reconcile) ended one way (ok, failed,
// interrupted, died; running while one is).
struct RunCount {
    std::string kind;
    std::string outcome;
    std::int64_t runs = 0;
};

struct ScopeMetrics {
    std::string endpoint;
    std::string metadata_prefix;
    std::string set_spec;      // "" is the whole repository
    std::int64_t records = 0;  // live and deleted, as scope_status counts them
    std::int64_t deleted = 0;
    // When the latest harvest run that ended ok finished; nullopt when none has.
    std::optional<util::UtcTime> last_success;
    // Harvest runs that failed or died after that one (every one, when none succeeded).
    // Interrupted runs (a stop) and the one running are not failures and do not end the streak.
    std::int64_t failures_since_success = 0;
    // Pages committed by all the scope's runs, harvests and reconciles.
    std::int64_t pages = 0;
    // From start to finish of the latest harvest run that has finished, however it ended:
    // a run in progress does not hide the last one's duration.
    std::optional<std::chrono::seconds> last_run_duration;
    std::vector<RunCount> runs;  // by kind, then outcome; only the counts that are not 0
};

// Every scope of every endpoint, ordered by endpoint, prefix and set (an endpoint that has no
// scope yet has no entry). Throws std::runtime_error when the database cannot be read.
std::vector<ScopeMetrics> scope_metrics(Store& store);

}  // namespace oaiharvest::store
