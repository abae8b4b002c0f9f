#include "report.hpp"

#include <spdlog/spdlog.h>

#include "util/safe_text.hpp"

namespace oaiharvest::cli {

bool log_report(const harvest::EndpointReport& report, store::Store& store) {
    // The error quotes what the server sent: it is stored and printed by `status`.
    std::optional<std::string> error;
    if (report.error) {
        error = util::printable(*report.error);
        spdlog::error("{}: {}", report.endpoint, *error);
    }
    store.save_endpoint_error(report.endpoint, error, util::now_utc());
    // No scope and no error: the harvest was stopped before any scope ran.
    bool all_ok = !report.scopes.empty() || report.error.has_value();
    for (const auto& scope : report.scopes) {
        if (scope.outcome == store::Outcome::failed) {
            spdlog::error("{}", harvest::summary_line(scope));
        } else {
            spdlog::info("{}", harvest::summary_line(scope));
        }
        if (scope.counts.unreadable_records > 0) {
            spdlog::warn(
                "{} {}: {} records stored with a parse_error (metadata that could not be "
                "read, or a header datestamp that is not a date; see `show` or the "
                "items.parse_error column)",
                scope.endpoint, scope.metadata_prefix, scope.counts.unreadable_records);
        }
        all_ok = all_ok && scope.outcome == store::Outcome::ok;
    }
    return all_ok && report.ok();
}

}  // namespace oaiharvest::cli
