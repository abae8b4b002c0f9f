#include "store/lease.hpp"

#include <spdlog/spdlog.h>

#include <exception>
#include <utility>

namespace oaiharvest::store {

std::expected<EndpointLease, LeaseHolder> EndpointLease::take(Store& store, EndpointId id) {
    if (auto holder = store.try_lease(id)) {
        return std::unexpected(std::move(*holder));
    }
    return EndpointLease(store, id);
}

EndpointLease::~EndpointLease() {
    if (!m_store) {
        return;
    }
    try {
        m_store->release_lease(m_id);
    } catch (const std::exception& e) {
        // A session that is gone has dropped the lease with it; one that is not keeps it until
        // the process ends, which is soon.
        spdlog::debug("cannot release the lease of endpoint {}: {}", m_id, e.what());
    }
}

EndpointLease::EndpointLease(EndpointLease&& other) noexcept
    : m_store(std::exchange(other.m_store, nullptr)), m_id(other.m_id) {}

}  // namespace oaiharvest::store
