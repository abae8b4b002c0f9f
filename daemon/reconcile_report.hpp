#pragma once
// The log lines of a finished endpoint reconcile, shared by `reconcile` and `daemon`.

#include "harvest/harvest.hpp"

namespace oaiharvest::cli {

// One summary line per scope (info, or error for a failed scope) and the endpoint's own error.
// True when every scope ran and ended ok.
bool log_reconcile_report(const harvest::EndpointReport& report);

}  // namespace oaiharvest::cli
