#pragma once
// Leases on PostgreSQL (store/lease.hpp): session advisory locks of class
// k_postgres_lease_class, keyed by the endpoint's id.

#include <string>
#include <string_view>

namespace oaiharvest::store::pq {
class Connection;
}

namespace oaiharvest::store::detail {

// Readies a session that holds locks, leases or turns: names it postgres_session_name(), so
// that another process can say who holds what, and asks the server to probe the client when
// it falls silent. The server drops a session's locks when it sees the connection gone: a
// process that dies closes it at once, but a machine that vanishes (power, network) only fails
// the server's TCP keepalive, which by default takes two hours; this makes it about a minute
// and a half. (No effect over a Unix socket, where nothing can vanish that way.)
void identify_session(pq::Connection& conn);

// SQL that is true when a session other than this one holds the lease of the endpoint whose id
// is `endpoint_id` (a column), `lease_class` being the parameter ($n) that holds
// k_postgres_lease_class. Any role may read pg_locks.
std::string leased_elsewhere(std::string_view endpoint_id, std::string_view lease_class);

}  // namespace oaiharvest::store::detail
