#pragma once
// One scope's reconcile (lib/harvest/reconcile_scope.cpp). Internal to lib/harvest.

#include "harvest/scope_run.hpp"

namespace oaiharvest::harvest::detail {

// Compares the scope's ListIdentifiers with the mirror and brings the mirror equal to it, in a
// run of kind 'reconcile'; never touches the scope's harvest state. A remote failure is in the
// report; a local one throws, with the run recorded as failed.
ScopeReport reconcile_scope(ScopeContext& ctx, const store::EndpointFacts& endpoint,
                            const std::string& prefix, const std::string& set_spec,
                            std::chrono::seconds overlap);

}  // namespace oaiharvest::harvest::detail
