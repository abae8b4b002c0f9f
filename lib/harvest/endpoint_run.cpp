#include <spdlog/spdlog.h>

#include <cstdio>

#include "harvest/normalize.hpp"
#include "harvest/scope_run.hpp"
#include "oai/request.hpp"
#include "util/url.hpp"

namespace oaiharvest::harvest {
namespace {

constexpr auto k_identify_every = std::chrono::hours{24};

class FormatsHandler final : public oai::ResponseHandler {
public:
    void on_metadata_format(const oai::MetadataFormat& format) override {
        prefixes.push_back(format.prefix);
    }
    std::vector<std::string> prefixes;
};

bool identify_is_stale(const store::EndpointFacts& facts, util::UtcTime now) {
    if (!facts.identified_at || !facts.granularity) {
        return true;
    }
    auto at = util::parse_utc(*facts.identified_at);
    return !at || now - *at >= k_identify_every;
}

}  // namespace

bool EndpointReport::ok() const {
    if (error) {
        return false;
    }
    for (const auto& s : scopes) {
        if (s.outcome == store::Outcome::failed) {
            return false;
        }
    }
    return true;
}

EndpointHarvester::EndpointHarvester(http::Fetcher& fetcher, store::Store& store,
                                     util::Clock& clock, RetryPolicy policy)
    : m_fetcher(fetcher), m_store(store), m_clock(clock), m_policy(policy) {}

EndpointReport EndpointHarvester::run(const EndpointTarget& target, const Window& window) {
    EndpointReport report{target.name, {}, std::nullopt};
    // Credentials in the URL stay in the config (or on the command line): never in the mirror.
    auto facts = m_store.endpoint(target.name, util::redact_credentials(target.base_url));
    detail::Retrier retrier(m_clock, m_policy, m_stop);
    std::int64_t retries = 0;

    // Identify tells the granularity for from/until; it is re-read at most once a day.
    if (identify_is_stale(facts, m_clock.now())) {
        detail::IdentifyHandler handler;
        std::string url = oai::identify().url(target.base_url);
        auto ex = retrier.run([&] { return detail::exchange(m_fetcher, url, handler); }, retries);
        if (!ex && ex.error().stopped) {
            return report;  // no scope ran: the caller takes it as interrupted
        }
        if (ex && handler.result) {
            m_store.save_identify(facts.id, facts_of(*handler.result), m_clock.now());
            facts = *m_store.find_endpoint(target.name);
        } else {
            spdlog::warn("{}: Identify failed ({}); from and until are sent as days", target.name,
                         ex ? "no Identify element" : ex.error().message);
        }
    }

    std::vector<std::string> prefixes = target.prefixes;
    if (prefixes.empty()) {
        FormatsHandler handler;
        std::string url = oai::list_metadata_formats().url(target.base_url);
        auto ex = retrier.run([&] { return detail::exchange(m_fetcher, url, handler); }, retries);
        if (!ex && ex.error().stopped) {
            return report;
        }
        if (!ex || handler.prefixes.empty()) {
            report.error = "cannot choose a metadata format: ListMetadataFormats failed: " +
                           (ex ? std::string("no formats listed") : ex.error().message);
            return report;
        }
        for (const char* preferred : {"mets", "mods", "oai_dc"}) {
            if (std::find(handler.prefixes.begin(), handler.prefixes.end(), preferred) !=
                handler.prefixes.end()) {
                prefixes.push_back(preferred);
                break;
            }
        }
        if (prefixes.empty()) {
            report.error = "the endpoint offers none of mets, mods, oai_dc; name a prefix";
            return report;
        }
    }

    std::vector<std::string> sets = target.sets;
    if (sets.empty()) {
        sets.push_back("");
    }
    detail::ScopeContext ctx{m_fetcher, m_store, m_clock, m_policy, m_progress, m_stop};
    for (const auto& prefix : prefixes) {
        for (const auto& set : sets) {
            if (m_stop && m_stop->load()) {
                return report;
            }
            report.scopes.push_back(
                detail::run_scope(ctx, facts, prefix, set, window, target.overlap));
        }
    }
    return report;
}

namespace detail {

std::string scope_line(const ScopeReport& r, const std::string& counts) {
    char seconds[32];
    std::snprintf(seconds, sizeof seconds, "%.1f s", r.seconds);
    std::string line = r.endpoint + " " + r.metadata_prefix;
    if (!r.set_spec.empty()) {
        line += " set " + r.set_spec;
    }
    line += ": " + counts + ", " + seconds;
    if (r.resumed) {
        line += ", resumed";
    }
    if (r.events.retries > 0) {
        line += ", " + std::to_string(r.events.retries) + " retries";
    }
    if (r.outcome == store::Outcome::interrupted) {
        line += " (interrupted)";
    } else if (r.outcome == store::Outcome::failed) {
        line += " FAILED: " + r.error.value_or("unknown error");
    }
    return line;
}

}  // namespace detail

std::string summary_line(const ScopeReport& r) {
    return detail::scope_line(r, std::to_string(r.counts.records_new) + " new, " +
                                     std::to_string(r.counts.records_updated) + " updated, " +
                                     std::to_string(r.counts.records_deleted) + " deleted, " +
                                     std::to_string(r.counts.records_unchanged) + " unchanged, " +
                                     std::to_string(r.pages) + " pages");
}

}  // namespace oaiharvest::harvest
