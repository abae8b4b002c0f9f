#pragma once
// One scope's list harvest: request page after page, commit each with its token. Internal.

#include "harvest/exchange.hpp"
#include "harvest/harvest.hpp"

namespace oaiharvest::harvest::detail {

enum class Granularity { day, second };

Granularity granularity_of(const std::optional<std::string>& identify_value);

// A from/until value as the endpoint's granularity writes it; nullopt when unreadable.
std::optional<std::string> at_granularity(const std::string& datestamp, Granularity g);

struct ScopeContext {
    http::Fetcher& fetcher;
    store::Store& store;
    util::Clock& clock;
    const RetryPolicy& policy;
    ProgressListener* progress;
    const std::atomic<bool>* stop;
};

ScopeReport run_scope(ScopeContext& ctx, const store::EndpointFacts& endpoint,
                      const std::string& prefix, const std::string& set_spec, const Window& window);

}  // namespace oaiharvest::harvest::detail
