#pragma once
// A whole ListIdentifiers list, held in memory by identifier (reconcile's view of what the
// server has). Internal to lib/harvest.

#include <map>

#include "harvest/scope_run.hpp"

namespace oaiharvest::harvest::detail {

// One identifier as the list showed it; listed twice, its newest entry.
struct Listed {
    std::string datestamp;
    bool deleted = false;
    std::vector<std::string> sets;  // sorted, without repeats
};

struct IdentifierList {
    std::map<std::string, Listed> entries;
    // responseDate of the first request, when in UTC.
    std::optional<std::string> started;
    // The newest datestamp listed (a point to ask from when there is no responseDate).
    std::optional<std::string> newest;
    std::int64_t pages = 0;
};

// Lists every identifier of prefix (in set, from `from`) following resumption tokens, with
// the harvest's retries and spacing. A failure (a request that fails after its retries, an OAI
// error other than noRecordsMatch, a token loop, a list past max_list_pages) is an error
// naming the URL: the list is then not known to be complete. The Retrier counts retries in
// events.retries.
std::expected<IdentifierList, std::string> list_identifiers(
    ScopeContext& ctx, Retrier& retrier, store::RunEvents& events, const std::string& base_url,
    const std::string& prefix, const std::string& set_spec, const std::optional<std::string>& from);

// Sorted, without repeats: how sets are stored.
std::vector<std::string> sorted_sets(std::vector<std::string> sets);

// True when datestamp a is an earlier instant than b (false when either is not a date).
bool earlier(const std::string& a, const std::string& b);

}  // namespace oaiharvest::harvest::detail
