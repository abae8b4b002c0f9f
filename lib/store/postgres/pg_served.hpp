#pragma once
// served.hpp's, browse.hpp's and scope_metrics.hpp's functions on a PostgreSQL mirror: what
// `oaiharvest serve` reads. served.cpp, browse.cpp and scope_metrics.cpp hand them the
// connection when the Store is a PgStore. Same results as on SQLite, in the same order
// (tests/unit/store/test_backend_serving.cpp).

#include "store/browse.hpp"
#include "store/postgres/pq.hpp"
#include "store/queries.hpp"
#include "store/scope_metrics.hpp"
#include "store/served.hpp"

namespace oaiharvest::store::detail {

// A datestamp as a key that orders as SQLite's julianday() does, for the two forms OAI-PMH
// gives ("YYYY-MM-DD", "YYYY-MM-DDThh:mm:ssZ"): the second form, as text; NULL for anything
// else (julianday's NULL for text that is no date). `column` is SQL, never a value.
// julianday() also reads forms OAI-PMH does not allow (a UTC offset, fractional seconds, no
// seconds): here they are no date, so a record whose copies carry them may be listed through
// another of its copies than on SQLite. Day 29 to 31 of a shorter month is kept as written,
// where julianday() rolls it into the next month.
std::string pg_instant(const std::string& column);

// A statement's parameters as its SQL is put together: add() keeps one and gives its "$n", so
// that a statement names exactly the parameters it is given (the server refuses a parameter it
// cannot type because no SQL uses it).
class PgArgs {
public:
    std::string add(pq::Param param) {
        m_params.push_back(std::move(param));
        return "$" + std::to_string(m_params.size());
    }
    const pq::Params& params() const { return m_params; }

private:
    pq::Params m_params;
};

std::vector<ServedCopy> pg_served_page(pq::Connection& conn, const Selection& selection,
                                       const ServedPosition& position, int limit, Content content);
std::int64_t pg_served_count(pq::Connection& conn, const Selection& selection);
std::vector<ServedCopy> pg_served_record(pq::Connection& conn, const std::string& identifier);
std::vector<ServedEndpoint> pg_served_endpoints(pq::Connection& conn);
std::vector<std::string> pg_served_set_specs(pq::Connection& conn, const std::string& endpoint);
std::vector<std::string> pg_served_prefixes(pq::Connection& conn);
std::optional<std::string> pg_sample_metadata(pq::Connection& conn,
                                              const std::string& metadata_prefix);
std::optional<std::string> pg_earliest_change(pq::Connection& conn);

std::vector<EndpointSummary> pg_endpoint_summaries(pq::Connection& conn,
                                                   const std::optional<std::string>& name);
RecordList pg_browse_records(pq::Connection& conn, const std::string& endpoint,
                             const RecordFilter& filter, const RecordCursor& after, int limit);
FacetList pg_sets(pq::Connection& conn, const std::string& endpoint, const std::string& after,
                  int limit);
FacetList pg_years(pq::Connection& conn, const std::string& endpoint,
                   std::optional<std::int64_t> before, int limit);
bool pg_has_undated(pq::Connection& conn, const std::string& endpoint);
FacetList pg_authors(pq::Connection& conn, const std::string& endpoint, const std::string& after,
                     int limit);

// The run figures of scope_metrics(), for the scopes scope_status() gave.
std::vector<ScopeMetrics> pg_scope_metrics(pq::Connection& conn,
                                           const std::vector<ScopeStatus>& scopes);

}  // namespace oaiharvest::store::detail
