// Endpoint leases on PostgreSQL: pg_try_advisory_lock(class, endpoint id) on the store's own
// session, so that the lease lasts exactly as long as the process that harvests.
#include "store/postgres/pg_lease.hpp"

#include "store/lease.hpp"
#include "store/lock.hpp"
#include "store/postgres/pg_store.hpp"

namespace oaiharvest::store {
namespace detail {

void identify_session(pq::Connection& conn) {
    conn.exec_script(
        "SET tcp_keepalives_idle = 60; SET tcp_keepalives_interval = 10; "
        "SET tcp_keepalives_count = 3");
    conn.exec("SELECT set_config('application_name', $1, false)",
              {pq::text(postgres_session_name())});
}

// A two-key advisory lock shows in pg_locks as classid, objid and objsubid 2.
std::string leased_elsewhere(std::string_view endpoint_id, std::string_view lease_class) {
    return "EXISTS (SELECT 1 FROM pg_locks l WHERE l.locktype = 'advisory' AND l.granted AND "
           "l.objsubid = 2 AND l.classid::int8 = " +
           std::string(lease_class) + " AND l.objid::int8 = " + std::string(endpoint_id) +
           " AND l.pid <> pg_backend_pid() AND l.database = "
           "(SELECT oid FROM pg_database WHERE datname = current_database()))";
}

}  // namespace detail

std::optional<LeaseHolder> PgStore::try_lease(EndpointId id) {
    auto taken = m_conn.exec("SELECT pg_try_advisory_lock($1::int4, $2::int4)",
                             {pq::integer(k_postgres_lease_class), pq::integer(id)});
    if (taken.text(0, 0) == "t") {
        return std::nullopt;
    }
    // Its name as its session gave it; a role that may not see other roles' sessions reads
    // NULL (pg_stat_activity), and the holder stays unnamed.
    auto holder = m_conn.exec(
        "SELECT a.application_name FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid "
        "WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 2 AND "
        "l.classid::int8 = $1 AND l.objid::int8 = $2 AND l.database = "
        "(SELECT oid FROM pg_database WHERE datname = current_database()) LIMIT 1",
        {pq::integer(k_postgres_lease_class), pq::integer(id)});
    LeaseHolder who;
    if (holder.rows() > 0) {
        who.who = holder.text(0, 0);
    }
    return who;
}

bool PgStore::lease_held_elsewhere(EndpointId id) {
    return m_conn
               .exec("SELECT " + detail::leased_elsewhere("$2::int8", "$1"),
                     {pq::integer(k_postgres_lease_class), pq::integer(id)})
               .text(0, 0) == "t";
}

void PgStore::release_lease(EndpointId id) {
    m_conn.exec("SELECT pg_advisory_unlock($1::int4, $2::int4)",
                {pq::integer(k_postgres_lease_class), pq::integer(id)});
}

}  // namespace oaiharvest::store
