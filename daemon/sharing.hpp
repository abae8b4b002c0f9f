#pragma once
// What a harvesting command (harvest, reconcile, a daemon's harvest child) does to share a
// PostgreSQL mirror with other harvesters, on this machine or others (docs/scaling.md): it runs
// an endpoint only under the endpoint's lease (store/lease.hpp), and asks each host in turns
// kept in the database (http/host_turns.hpp). On SQLite the harvest lock already keeps every
// other harvester out: leases are always granted, and turns are the process's own.

#include <spdlog/common.h>

#include <atomic>
#include <memory>
#include <optional>
#include <string>

#include "harvest/harvest.hpp"
#include "http/host_turns.hpp"
#include "store/lease.hpp"
#include "util/clock.hpp"

namespace oaiharvest::cli {

// The lease of the target's endpoint, for a run of it; nullopt, having logged at `level` who
// holds it, when another harvester does.
std::optional<store::EndpointLease> take_lease(store::Store& store,
                                               const harvest::EndpointTarget& target,
                                               spdlog::level::level_enum level);

// The turns at hosts of the mirror's harvesters, on a PostgreSQL mirror.
class SharedTurns {
public:
    // Connects to the database for the turns (a StoreError when it cannot); on SQLite, nothing.
    SharedTurns(const std::string& db_path, const std::atomic<bool>* stop);
    ~SharedTurns();
    SharedTurns(const SharedTurns&) = delete;
    SharedTurns& operator=(const SharedTurns&) = delete;
    SharedTurns(SharedTurns&&) = delete;
    SharedTurns& operator=(SharedTurns&&) = delete;

    // True on a PostgreSQL mirror.
    bool shared() const { return m_turns != nullptr; }
    // The fetcher to harvest with: `inner` taking turns, policy.request_interval apart, when
    // shared, and then policy.request_interval becomes 0 (the turns keep it); `inner` itself,
    // policy unchanged, otherwise. One wrapped fetcher at a time.
    http::Fetcher& wrap(http::Fetcher& inner, util::Clock& clock, harvest::RetryPolicy& policy);

private:
    std::unique_ptr<http::HostTurns> m_turns;
    std::unique_ptr<http::TurnTakingFetcher> m_fetcher;
};

}  // namespace oaiharvest::cli
