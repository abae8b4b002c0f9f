#pragma once
// An endpoint's lease: while a process holds it, no other harvests or reconciles that endpoint.
// Several daemons, on one machine or several, share one PostgreSQL mirror this way
// (docs/scaling.md): each takes an endpoint's lease before its run and leaves the endpoint to
// whoever holds it. On PostgreSQL a lease is a session advisory lock, which the server drops
// when the holder's connection ends, so a harvester killed mid-list never keeps one, and the
// next holder resumes the list from its saved token. On SQLite the harvest lock (lock.hpp)
// already keeps every other harvester out, and a lease is always granted.

#include <cstdint>
#include <expected>

#include "store/store.hpp"

namespace oaiharvest::store {

// The advisory lock class of the leases (pg_try_advisory_lock(class, endpoint id)): "oale".
inline constexpr std::int32_t k_postgres_lease_class = 0x6f616c65;

class EndpointLease {
public:
    // Takes the lease on the store's session, without waiting; the holder when another has it.
    static std::expected<EndpointLease, LeaseHolder> take(Store& store, EndpointId id);
    ~EndpointLease();
    EndpointLease(EndpointLease&& other) noexcept;
    EndpointLease& operator=(EndpointLease&&) = delete;
    EndpointLease(const EndpointLease&) = delete;
    EndpointLease& operator=(const EndpointLease&) = delete;

    EndpointId endpoint() const { return m_id; }

private:
    EndpointLease(Store& store, EndpointId id) : m_store(&store), m_id(id) {}
    Store* m_store = nullptr;  // nullptr once moved from
    EndpointId m_id = 0;
};

}  // namespace oaiharvest::store
