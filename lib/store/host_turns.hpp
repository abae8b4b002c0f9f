#pragma once
// Politeness kept in the database (http/host_turns.hpp): the harvesting processes that share a
// PostgreSQL mirror, on one machine or several, take turns at each host through it.

#include <atomic>
#include <memory>
#include <string>

#include "http/host_turns.hpp"

namespace oaiharvest::store {

// Turns at hosts kept in the mirror's database, on a connection of their own (a harvest's
// store connection is busy committing pages while its next request waits for a turn); nullptr
// for a SQLite mirror, whose one harvesting process keeps its turns itself. A stop (*stop set)
// ends a wait. Throws StoreError when the server cannot be reached.
std::unique_ptr<http::HostTurns> open_shared_host_turns(const std::string& database,
                                                        const std::atomic<bool>* stop);

}  // namespace oaiharvest::store
