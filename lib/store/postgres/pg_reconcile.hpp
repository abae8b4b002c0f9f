#pragma once
// reconcile.hpp's functions on a PostgreSQL mirror: reconcile.cpp hands them the connection
// when the Store is a PgStore.

#include "store/postgres/pq.hpp"
#include "store/reconcile.hpp"

namespace oaiharvest::store::detail {

std::optional<HeldRecord> pg_held_record(pq::Connection& conn, EndpointId endpoint,
                                         const std::string& prefix, const std::string& identifier);
void pg_for_each_held(pq::Connection& conn, EndpointId endpoint, const std::string& prefix,
                      const std::function<void(const HeldRecord&)>& visit);
std::optional<std::string> pg_stored_metadata(pq::Connection& conn, EndpointId endpoint,
                                              const std::string& identifier,
                                              const std::string& prefix);
std::vector<std::pair<std::string, std::string>> pg_known_scopes(pq::Connection& conn,
                                                                 EndpointId endpoint);
std::optional<util::UtcTime> pg_last_started(pq::Connection& conn, EndpointId endpoint,
                                             std::string_view kind);
RunId pg_begin_reconcile_run(pq::Connection& conn, const ScopeState& scope, util::UtcTime started);
bool pg_mark_gone(pq::Connection& conn, RunId run, EndpointId endpoint,
                  const std::string& identifier, const std::string& prefix, util::UtcTime when);
// The run's pages and sets_corrected; with `ok`, the scope's last_reconciled_at.
void pg_reconcile_counts(pq::Connection& conn, RunId run, ScopeId scope, bool ok,
                         util::UtcTime finished, std::int64_t pages, std::int64_t sets_corrected);

}  // namespace oaiharvest::store::detail
