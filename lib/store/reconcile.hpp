#pragma once
// What a reconcile needs of the mirror besides PageWriter: its own runs (kind 'reconcile'), the
// rows it compares with the server's list, and marking records the server no longer lists as
// gone. Uses the Store's write connection: same thread rules as the Store.

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "store/store.hpp"
#include "util/time.hpp"

namespace oaiharvest::store {

// One stored record of an endpoint in one format, as a reconcile compares it.
struct HeldRecord {
    std::string identifier;
    std::string datestamp;
    bool deleted = false;
    bool gone = false;              // gone_at set: a reconcile found it no longer listed
    std::vector<std::string> sets;  // sorted, as stored
};

// The endpoint's records in one format, read from the database as they are asked for (a
// reconcile of a million identifiers holds the server's list in memory, not the mirror's too).
// Uses the Store's write connection: a record put in a page not yet committed may not show.
class HeldRecords {
public:
    HeldRecords(Store& store, EndpointId endpoint, std::string prefix);
    ~HeldRecords();
    HeldRecords(const HeldRecords&) = delete;
    HeldRecords& operator=(const HeldRecords&) = delete;

    std::optional<HeldRecord> find(const std::string& identifier);
    // Calls visit for each record, in no particular order; visit must not write to the store.
    void for_each(const std::function<void(const HeldRecord&)>& visit);

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

// The metadata stored for the record in that format; nullopt when none.
std::optional<std::string> stored_metadata(Store& store, EndpointId endpoint,
                                           const std::string& identifier,
                                           const std::string& prefix);

// The (prefix, set) of every scope the endpoint has been harvested in.
std::vector<std::pair<std::string, std::string>> known_scopes(Store& store, EndpointId endpoint);

// When the endpoint's latest reconcile (or harvest) of any scope started; nullopt when none
// ran. Each kind is planned from its own runs: a reconcile must not push the next harvest
// back, nor a harvest the next reconcile.
std::optional<util::UtcTime> last_reconcile_started(Store& store, EndpointId endpoint);
std::optional<util::UtcTime> last_harvest_started(Store& store, EndpointId endpoint);

// Marks runs of the scope left 'running' as died, then starts a run of kind 'reconcile'.
RunId begin_reconcile_run(Store& store, const ScopeState& scope, util::UtcTime started);

// Marks the record gone in that format in one transaction: deleted with its last metadata
// kept, gone_at and last_changed now, a content hash no copy has (so any later copy counts as
// changed), its JSON saying deleted, out of the full-text index. Adds one to the run's
// records_gone. False (and nothing written) when the mirror does not hold it, or holds it
// gone already.
bool mark_gone(Store& store, RunId run, EndpointId endpoint, const std::string& identifier,
               const std::string& prefix, util::UtcTime when);

// Ends the run (Store::finish_run) with its sets_corrected and its pages: the list pages it
// read (each batch commit counted one). On ok, the scope's last_reconciled_at becomes
// `finished`.
void finish_reconcile_run(Store& store, RunId run, ScopeId scope, Outcome outcome,
                          util::UtcTime finished, const RunEvents& events, std::int64_t pages,
                          std::int64_t sets_corrected, const std::optional<std::string>& error);

}  // namespace oaiharvest::store
