#include "report.hpp"

#include <spdlog/spdlog.h>

namespace oaiharvest::cli {

bool log_report(const harvest::EndpointReport& report, store::Store& store) {
    if (report.error) {
        spdlog::error("{}: {}", report.endpoint, *report.error);
    }
    store.save_endpoint_error(report.endpoint, report.error, util::now_utc());
    // No scope and no error: the harvest was stopped before any scope ran.
    bool all_ok = !report.scopes.empty() || report.error.has_value();
    for (const auto& scope : report.scopes) {
        if (scope.outcome == store::Outcome::failed) {
            spdlog::error("{}", harvest::summary_line(scope));
        } else {
            spdlog::info("{}", harvest::summary_line(scope));
        }
        all_ok = all_ok && scope.outcome == store::Outcome::ok;
    }
    return all_ok && report.ok();
}

}  // namespace oaiharvest::cli
