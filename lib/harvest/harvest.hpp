#pragma once
// Harvesting: one endpoint's scopes (prefix × set), page by page, one commit per page.
// It wires the http Fetcher, the streaming oai::ResponseReader and the Store together; the
// decisions (what to ask, when to retry, when a list is complete) live here.
//
// An EndpointHarvester is used by one thread; it borrows the fetcher, store and clock, which
// must outlive it.

#include <atomic>
#include <chrono>
#include <cstdint>
#include <expected>
#include <optional>
#include <string>
#include <vector>

#include "http/http.hpp"
#include "oai/reader.hpp"
#include "oai/response.hpp"
#include "store/store.hpp"
#include "util/clock.hpp"

namespace oaiharvest::harvest {

struct RetryPolicy {
    int retries = 5;                               // further attempts after the first
    std::chrono::milliseconds first_delay{2'000};  // doubled each retry, with jitter
    std::chrono::milliseconds max_delay{5 * 60'000};
    std::chrono::milliseconds max_retry_after{60 * 60'000};
    std::chrono::milliseconds request_interval{0};  // least time between two requests
    oai::ReaderLimits reader_limits;                // record caps for ListRecords pages
    // A list that needs more pages fails: the bound for a server whose list never ends.
    std::int64_t max_list_pages = 200'000;
};

struct EndpointTarget {
    std::string name;
    std::string base_url;
    std::vector<std::string> prefixes;  // empty: mets if offered, else mods, else oai_dc
    std::vector<std::string> sets;      // empty: the whole repository
    // How far before the saved point an incremental harvest asks `from`, so that a record
    // committed late or backdated, or a server reading `from` as exclusive, is not missed.
    // With day granularity it is rounded up to whole days; 0: none.
    std::chrono::seconds overlap{300};
};

// Overrides of the incremental window, from the command line.
struct Window {
    std::optional<std::string> from;  // as the user wrote it (day or seconds)
    std::optional<std::string> until;
    bool full = false;  // ignore the saved next_from
};

struct ScopeReport {
    std::string endpoint;
    std::string metadata_prefix;
    std::string set_spec;
    store::Outcome outcome = store::Outcome::ok;
    bool resumed = false;
    std::int64_t pages = 0;
    store::PageCounts counts;
    store::RunEvents events;
    double seconds = 0;
    std::optional<std::string> error;  // what failed and why, naming the URL
    // A reconcile's own counts: identifiers the server listed, records marked gone, records
    // whose set membership was corrected.
    std::int64_t listed = 0;
    std::int64_t records_gone = 0;
    std::int64_t sets_corrected = 0;
};

struct EndpointReport {
    std::string endpoint;
    std::vector<ScopeReport> scopes;
    std::optional<std::string> error;  // a failure before any scope could run
    bool ok() const;
};

// Told of each committed page (for a progress line).
class ProgressListener {
public:
    virtual ~ProgressListener() = default;
    virtual void on_page(const ScopeReport& so_far, std::int64_t list_records,
                         std::optional<std::int64_t> complete_list_size) = 0;
};

class EndpointHarvester {
public:
    EndpointHarvester(http::Fetcher& fetcher, store::Store& store, util::Clock& clock,
                      RetryPolicy policy);

    void set_progress(ProgressListener* listener) { m_progress = listener; }
    // Checked between pages: once set, the harvest stops after the page in flight commits.
    void set_stop_flag(const std::atomic<bool>* stop) { m_stop = stop; }

    // Harvests every scope of the endpoint once. Never throws for a remote failure (it is in
    // the report); throws for local ones (the database).
    EndpointReport run(const EndpointTarget& target, const Window& window);
    // Compares every scope of the endpoint (its configured prefixes × sets and the scopes it
    // was harvested in) with the server's ListIdentifiers and brings the mirror equal to it
    // (lib/harvest/reconcile.cpp). Never touches a scope's harvest state. Same failure rules as
    // run().
    EndpointReport reconcile(const EndpointTarget& target);

private:
    http::Fetcher& m_fetcher;
    store::Store& m_store;
    util::Clock& m_clock;
    RetryPolicy m_policy;
    ProgressListener* m_progress = nullptr;
    const std::atomic<bool>* m_stop = nullptr;
};

// What Identify, ListMetadataFormats and ListSets say of an endpoint (the identify command).
struct EndpointDescription {
    oai::RepositoryInfo info;
    std::vector<oai::MetadataFormat> formats;
    std::int64_t set_count = 0;
    bool sets_supported = true;  // false: noSetHierarchy
};

// Asks the three verbs (following ListSets tokens); writes nothing. The error names the verb,
// the URL and the cause.
std::expected<EndpointDescription, std::string> describe_endpoint(http::Fetcher& fetcher,
                                                                  util::Clock& clock,
                                                                  const RetryPolicy& policy,
                                                                  const std::string& base_url);

// One line for a finished scope: "sample mets: 301 new, 0 updated, 5 deleted, 4 pages, 1.2 s".
std::string summary_line(const ScopeReport& report);
// One line for a reconciled scope: "sample mets: reconciled 305 listed: 1 new, 2 updated, 0
// deleted, 3 gone, 1 sets corrected, 0 stale, 0.4 s".
std::string reconcile_summary_line(const ScopeReport& report);

}  // namespace oaiharvest::harvest
