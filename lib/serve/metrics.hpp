#pragma once
// /metrics in the Prometheus text format (issue 14), and /healthz.

#include <string>

#include "store/store.hpp"

namespace oaiharvest::serve {

// The mirror's figures per endpoint and scope, in the Prometheus text exposition format 0.0.4.
// `store` is a read-only Store owned by the calling thread.
std::string metrics_text(store::Store& store);

}  // namespace oaiharvest::serve
