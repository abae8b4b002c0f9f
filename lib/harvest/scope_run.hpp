#pragma once
// One scope's list harvest: request page after page, commit each with its token. Internal.

#include "harvest/exchange.hpp"
#include "harvest/harvest.hpp"

namespace oaiharvest::harvest::detail {

// The window's helpers below are defined in window.cpp.
enum class Granularity { day, second };

Granularity granularity_of(const std::optional<std::string>& identify_value);

// A from/until value as the endpoint's granularity writes it; nullopt when unreadable.
std::optional<std::string> at_granularity(const std::string& datestamp, Granularity g);

// The `from` of an incremental harvest: the saved point moved back by the overlap (in whole
// days, at least one, when the endpoint speaks in days), at the endpoint's granularity.
std::optional<std::string> incremental_from(const std::string& saved_point, Granularity g,
                                            std::chrono::seconds overlap);

// The responseDate, when it is a UTC time as OAI-PMH requires ("...Z"); nullopt otherwise (a
// local time with an offset, or garbage), and for none.
std::optional<std::string> utc_response_date(const std::optional<std::string>& response_date);

struct ScopeContext {
    http::Fetcher& fetcher;
    store::Store& store;
    util::Clock& clock;
    const RetryPolicy& policy;
    ProgressListener* progress;
    const std::atomic<bool>* stop;
};

// "<endpoint> <prefix>[ set S]: <counts>, 1.2 s[, resumed][, N retries][ (interrupted)| FAILED:
// why]": the one line that ends a harvest's or a reconcile's scope.
std::string scope_line(const ScopeReport& report, const std::string& counts);

// Runs one scope's list (a ScopeRun, scope_run.cpp): resumes its unfinished list, or starts one
// over the window given (or from the saved point less the overlap), and commits page by page.
// Returns the scope's report; throws what the store throws (a local failure, not a remote's).
ScopeReport run_scope(ScopeContext& ctx, const store::EndpointFacts& endpoint,
                      const std::string& prefix, const std::string& set_spec, const Window& window,
                      std::chrono::seconds overlap = std::chrono::seconds{300});

}  // namespace oaiharvest::harvest::detail
