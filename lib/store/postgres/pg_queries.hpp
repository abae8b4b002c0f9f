#pragma once
// queries.hpp's functions on a PostgreSQL mirror: queries.cpp hands them the connection when
// the Store is a PgStore. Same results as on SQLite (tests/unit/store/test_backends.cpp).

#include "store/postgres/pq.hpp"
#include "store/queries.hpp"

namespace oaiharvest::store::detail {

std::vector<ScopeStatus> pg_scope_status(pq::Connection& conn,
                                         const std::vector<std::string>& endpoints);
std::vector<StoredRecord> pg_find_records(pq::Connection& conn, const std::string& identifier);
void pg_for_each_record(pq::Connection& conn, const ExportFilter& filter,
                        const std::function<void(const StoredRecord&)>& visit);
std::expected<std::vector<SearchHit>, std::string> pg_search(pq::Connection& conn,
                                                             const std::string& query, int limit,
                                                             search::QuerySyntax syntax);

}  // namespace oaiharvest::store::detail
