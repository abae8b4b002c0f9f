#pragma once
// Whether some process holds a database's harvest lock, asked without taking it (a read-only
// command must neither write the lock file nor, for a moment, keep a harvest from starting).

#include <optional>
#include <set>
#include <string>

namespace oaiharvest::store {

// False when no process holds the harvest lock of the database (lock.hpp), so that a run
// marked 'running' in it is a dead process's. Reads /proc/locks; true when that cannot be read
// (the safe answer: the run may be alive).
bool harvest_lock_held(const std::string& database_path);

// On PostgreSQL, where several harvesters share a mirror, a run is alive while its endpoint's
// lease is held (lease.hpp): the names of the endpoints whose lease some session holds.
// nullopt for a SQLite mirror, or when the server cannot be asked (then harvest_lock_held
// answers, safely).
std::optional<std::set<std::string>> leased_endpoints(const std::string& database_path);

}  // namespace oaiharvest::store
