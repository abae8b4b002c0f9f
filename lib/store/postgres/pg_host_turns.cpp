// Turns at hosts on PostgreSQL: a host is held through a session advisory lock of class
// k_host_turn_class keyed by a hash of its name. Waits are the server's lock queue, in slices of
// lock_timeout so that a stop is seen; a holder that dies drops its turn with its connection.
#include <cstdint>

#include "store/host_turns.hpp"
#include "store/lock.hpp"
#include "store/postgres/pg_lease.hpp"
#include "store/postgres/pq.hpp"

namespace oaiharvest::store {
namespace {

// The advisory lock class of host turns: "oaht".
constexpr std::int32_t k_host_turn_class = 0x6f616874;
// How long one wait for a turn lasts before the stop flag is looked at again.
constexpr const char* k_wait_slice = "SET lock_timeout = '200ms'";
// lock_not_available: the wait outlasted lock_timeout.
constexpr std::string_view k_lock_timeout = "55P03";

// FNV-1a: the same key for a host on every machine. Two hosts that share a key merely take
// turns with each other too.
std::int32_t host_key(const std::string& host) {
    std::uint32_t hash = 2166136261U;
    for (unsigned char c : host) {
        hash = (hash ^ c) * 16777619U;
    }
    return static_cast<std::int32_t>(hash);
}

class PgHostTurns final : public http::HostTurns {
public:
    PgHostTurns(const std::string& url, const std::atomic<bool>* stop)
        : m_conn(pq::Connection::open(url)), m_stop(stop) {
        detail::identify_session(m_conn);
        m_conn.exec_script(k_wait_slice);
    }

    bool take(const std::string& host) override {
        for (;;) {
            if (m_stop != nullptr && m_stop->load()) {
                return false;
            }
            try {
                m_conn.exec("SELECT pg_advisory_lock($1::int4, $2::int4)",
                            {pq::integer(k_host_turn_class), pq::integer(host_key(host))});
                return true;
            } catch (const pq::Error& e) {
                if (e.sqlstate() != k_lock_timeout) {
                    throw;
                }
            }
        }
    }

    void give_back(const std::string& host) noexcept override {
        try {
            m_conn.exec("SELECT pg_advisory_unlock($1::int4, $2::int4)",
                        {pq::integer(k_host_turn_class), pq::integer(host_key(host))});
        } catch (const std::exception&) {
            // A connection that is gone has dropped the turn with it; the next take() says why.
        }
    }

private:
    pq::Connection m_conn;
    const std::atomic<bool>* m_stop;
};

}  // namespace

std::unique_ptr<http::HostTurns> open_shared_host_turns(const std::string& database,
                                                        const std::atomic<bool>* stop) {
    if (!is_postgres_url(database)) {
        return nullptr;
    }
    return std::make_unique<PgHostTurns>(database, stop);
}

}  // namespace oaiharvest::store
