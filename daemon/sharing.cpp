#include "sharing.hpp"

#include <spdlog/spdlog.h>

#include "store/host_turns.hpp"

namespace oaiharvest::cli {

std::optional<store::EndpointLease> take_lease(store::Store& store,
                                               const harvest::EndpointTarget& target,
                                               spdlog::level::level_enum level) {
    auto id = store.endpoint(target.name, target.base_url).id;
    auto lease = store::EndpointLease::take(store, id);
    if (!lease) {
        spdlog::log(
            level, "{}: left to another harvester, which has it now ({})", target.name,
            lease.error().who.empty() ? "its session is hidden from this role" : lease.error().who);
        return std::nullopt;
    }
    return std::move(*lease);
}

SharedTurns::SharedTurns(const std::string& db_path, const std::atomic<bool>* stop)
    : m_turns(store::open_shared_host_turns(db_path, stop)) {}

SharedTurns::~SharedTurns() = default;

http::Fetcher& SharedTurns::wrap(http::Fetcher& inner, util::Clock& clock,
                                 harvest::RetryPolicy& policy) {
    if (!m_turns) {
        return inner;
    }
    m_fetcher =
        std::make_unique<http::TurnTakingFetcher>(inner, *m_turns, clock, policy.request_interval);
    policy.request_interval = std::chrono::milliseconds{0};
    return *m_fetcher;
}

}  // namespace oaiharvest::cli
