#pragma once
// The log lines of a finished endpoint harvest, shared by `harvest` and `daemon`.

#include "harvest/harvest.hpp"

namespace oaiharvest::cli {

// One summary line per scope (info, or error for a failed scope) and the endpoint's own error,
// which is also saved for `status`. True when every scope ran and ended ok.
bool log_report(const harvest::EndpointReport& report, store::Store& store);

}  // namespace oaiharvest::cli
