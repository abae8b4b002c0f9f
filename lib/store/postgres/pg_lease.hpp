#pragma once
// Leases on PostgreSQL (store/lease.hpp): session advisory locks of class
// k_postgres_lease_class, keyed by the endpoint's id.

#include <string>
#include <string_view>

namespace oaiharvest::store::detail {

// SQL that is true when a session other than this one holds the lease of the endpoint whose id
// is `endpoint_id` (a column), `lease_class` being the parameter ($n) that holds
// k_postgres_lease_class. Any role may read pg_locks.
std::string leased_elsewhere(std::string_view endpoint_id, std::string_view lease_class);

}  // namespace oaiharvest::store::detail
