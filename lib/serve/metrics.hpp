#pragma once
// /metrics in the Prometheus text format (issue 14), and /healthz.
//
// One sample per harvest scope, labelled endpoint, metadata_prefix and set ("" for the whole
// repository); the runs also by kind and outcome. Times are Unix seconds. A figure the mirror
// does not have (no run succeeded yet, none finished) has no sample. Bytes downloaded are not
// among them: the mirror does not record them (store/scope_metrics.hpp).
//
//   oaiharvest_records                          gauge    records held, live and deleted
//   oaiharvest_records_deleted                  gauge    of which deleted
//   oaiharvest_last_success_timestamp_seconds   gauge    end of the latest harvest run ended ok
//   oaiharvest_consecutive_failed_runs          gauge    harvest runs failed or died since then
//   oaiharvest_last_run_duration_seconds        gauge    the latest finished harvest run's
//   oaiharvest_pages_total                      counter  pages committed, all runs
//   oaiharvest_runs_total{kind,outcome}         counter  runs by kind and outcome

#include <string>

#include "store/store.hpp"

namespace oaiharvest::serve {

// The mirror's figures per endpoint and scope, in the Prometheus text exposition format 0.0.4
// (serve it as "text/plain; version=0.0.4; charset=utf-8"). `store` is a read-only Store owned
// by the calling thread. Throws std::runtime_error when the database cannot be read.
std::string metrics_text(store::Store& store);

}  // namespace oaiharvest::serve
