#include "store/lock_probe.hpp"

#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <optional>
#include <set>
#include <sstream>

#include "store/lease.hpp"
#include "store/lock.hpp"
#include "store/postgres/pg_lease.hpp"
#include "store/postgres/pq.hpp"
#include "store/store.hpp"

namespace oaiharvest::store {
namespace {

// The inode numbers of every file some process holds an flock on. Only the inode is compared:
// on overlay file systems the device /proc/locks names is the lower one, not what stat says,
// and a false match only makes a dead run look alive.
std::optional<std::set<ino_t>> flocked_inodes() {
    std::ifstream locks("/proc/locks");
    if (!locks) {
        return std::nullopt;
    }
    std::set<ino_t> inodes;
    for (std::string line; std::getline(locks, line);) {
        // "1: FLOCK  ADVISORY  WRITE 4242 00:2f:1234 0 EOF"; a waiter's line has "->".
        std::istringstream fields(line);
        std::string id, kind, mode, access, pid, where;
        if (!(fields >> id >> kind >> mode >> access >> pid >> where) || kind != "FLOCK") {
            continue;
        }
        auto colon = where.rfind(':');
        if (colon != std::string::npos) {
            inodes.insert(static_cast<ino_t>(std::stoull(where.substr(colon + 1))));
        }
    }
    return inodes;
}

}  // namespace

bool harvest_lock_held(const std::string& database_path) {
    if (is_postgres_url(database_path)) {
        try {
            auto conn = pq::Connection::open(database_path);
            // A bigint key is held as (classid, objid) = its high and low 32 bits, objsubid 1.
            auto r = conn.exec(
                "SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND granted AND "
                "objsubid = 1 AND classid::int8 = $1 AND objid::int8 = $2 AND database = "
                "(SELECT oid FROM pg_database WHERE datname = current_database())",
                {pq::integer(k_postgres_harvest_lock >> 32),
                 pq::integer(k_postgres_harvest_lock & 0xffffffff)});
            return r.rows() > 0;
        } catch (const std::runtime_error&) {
            return true;  // the safe answer: the run may be alive
        }
    }
    auto inodes = flocked_inodes();
    if (!inodes) {
        return true;
    }
    // The lock file as HarvestLock names it, and through the database's real path, in case the
    // lock is taken there.
    std::set<std::string> candidates{database_path + ".lock"};
    std::error_code error;
    auto real = std::filesystem::canonical(database_path, error);
    if (!error) {
        candidates.insert(real.string() + ".lock");
    }
    for (const auto& path : candidates) {
        struct stat st {};
        if (::stat(path.c_str(), &st) == 0 && inodes->count(st.st_ino) > 0) {
            return true;
        }
    }
    return false;
}

std::optional<std::set<std::string>> leased_endpoints(const std::string& database_path) {
    if (!is_postgres_url(database_path)) {
        return std::nullopt;
    }
    try {
        auto conn = pq::Connection::open(database_path);
        auto r = conn.exec(
            // This fresh session holds nothing: "elsewhere" is anyone.
            "SELECT e.name FROM endpoints e WHERE " + detail::leased_elsewhere("e.id", "$1"),
            {pq::integer(k_postgres_lease_class)});
        std::set<std::string> names;
        for (int row = 0; row < r.rows(); ++row) {
            names.emplace(r.text(row, 0));
        }
        return names;
    } catch (const std::runtime_error&) {
        return std::nullopt;
    }
}

}  // namespace oaiharvest::store
