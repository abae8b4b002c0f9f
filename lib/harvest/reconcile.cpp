// `reconcile` of a whole endpoint: which scopes, and the summary line. Each scope's work is in
// reconcile_scope.cpp.

#include "store/reconcile.hpp"

#include <algorithm>
#include <cstdio>

#include "harvest/normalize.hpp"
#include "harvest/reconcile_scope.hpp"
#include "harvest/scope_run.hpp"
#include "oai/request.hpp"
#include "util/url.hpp"

namespace oaiharvest::harvest {

EndpointReport EndpointHarvester::reconcile(const EndpointTarget& target) {
    EndpointReport report{target.name, {}, std::nullopt};
    auto facts = m_store.endpoint(target.name, util::redact_credentials(target.base_url));
    facts.base_url = target.base_url;  // the stored one has its credentials redacted
    // The granularity decides how pass 2 asks `from`.
    if (!facts.granularity) {
        detail::Retrier retrier(m_clock, m_policy, m_stop);
        std::int64_t retries = 0;
        detail::IdentifyHandler handler;
        std::string url = oai::identify().url(target.base_url);
        auto ex = retrier.run([&] { return detail::exchange(m_fetcher, url, handler); }, retries);
        if (!ex && ex.error().stopped) {
            return report;
        }
        if (ex && handler.result) {
            m_store.save_identify(facts.id, facts_of(*handler.result), m_clock.now());
            facts.granularity = handler.result->granularity;
        }
    }
    std::vector<std::pair<std::string, std::string>> scopes;
    auto add_scope = [&scopes](const std::string& prefix, const std::string& set) {
        if (std::ranges::find(scopes, std::pair{prefix, set}) == scopes.end()) {
            scopes.emplace_back(prefix, set);
        }
    };
    for (const auto& prefix : target.prefixes) {
        for (const auto& set : target.sets) {
            add_scope(prefix, set);
        }
        if (target.sets.empty()) {
            add_scope(prefix, "");
        }
    }
    // The scopes harvested before, within the prefixes and sets asked for (all when none are).
    auto wanted = [](const std::vector<std::string>& chosen, const std::string& value) {
        return chosen.empty() || std::ranges::find(chosen, value) != chosen.end();
    };
    for (const auto& [prefix, set] : store::known_scopes(m_store, facts.id)) {
        if (wanted(target.prefixes, prefix) && (set.empty() || wanted(target.sets, set)) &&
            (!set.empty() || target.sets.empty())) {
            add_scope(prefix, set);
        }
    }
    if (scopes.empty()) {
        report.error =
            "nothing to reconcile: the endpoint was never harvested and its config "
            "names no prefix";
        return report;
    }
    detail::ScopeContext ctx{m_fetcher, m_store, m_clock, m_policy, m_progress, m_stop};
    for (const auto& [prefix, set] : scopes) {
        if (m_stop && m_stop->load()) {
            return report;
        }
        report.scopes.push_back(detail::reconcile_scope(ctx, facts, prefix, set, target.overlap));
    }
    return report;
}

std::string reconcile_summary_line(const ScopeReport& r) {
    return detail::scope_line(r, "reconciled " + std::to_string(r.listed) +
                                     " listed: " + std::to_string(r.counts.records_new) + " new, " +
                                     std::to_string(r.counts.records_updated) + " updated, " +
                                     std::to_string(r.counts.records_deleted) + " deleted, " +
                                     std::to_string(r.records_gone) + " gone, " +
                                     std::to_string(r.sets_corrected) + " sets corrected, " +
                                     std::to_string(r.counts.records_stale) + " stale");
}

}  // namespace oaiharvest::harvest
