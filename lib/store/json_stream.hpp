#pragma once
// Export's reading loop: the packed JSON of many rows, unpacked on a thread of its own a batch
// ahead of the caller, who writes each one out. Unpacking (zstd, ~2 µs a record) and writing
// then overlap on two cores instead of adding up. Internal to the store.
//
// Threads: from the call until it returns, `stmt` and its connection are used by the reading
// thread only; the caller must not touch them. visit runs on the calling thread, in row order.

#include <functional>
#include <string>

#include "store/sqlite.hpp"

namespace oaiharvest::store::detail {

// Steps `stmt`, whose column 0 is a stored JSON value (packed or not), to its end, and calls
// visit with each value's text. An exception from either side stops both and is rethrown here:
// SQLite's and zstd's as sql::Error naming the statement, visit's as it was.
void stream_json(sql::Database& db, sql::Statement& stmt,
                 const std::function<void(const std::string&)>& visit);

}  // namespace oaiharvest::store::detail
