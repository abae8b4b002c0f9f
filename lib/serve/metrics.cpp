#include "serve/metrics.hpp"

#include <functional>
#include <string_view>

#include "store/scope_metrics.hpp"
#include "util/safe_text.hpp"

namespace oaiharvest::serve {
namespace {

// A label value as the format wants it: backslash, double quote and line feed escaped, and
// valid UTF-8 (a scraper rejects the whole page otherwise), since endpoint names and set specs
// come from configuration and servers.
std::string label_value(std::string_view text) {
    std::string out;
    for (const char c : util::valid_utf8(text)) {
        switch (c) {
            case '\\':
                out += "\\\\";
                break;
            case '"':
                out += "\\\"";
                break;
            case '\n':
                out += "\\n";
                break;
            default:
                out += c;
        }
    }
    return out;
}

std::string scope_labels(const store::ScopeMetrics& scope) {
    return "endpoint=\"" + label_value(scope.endpoint) + "\",metadata_prefix=\"" +
           label_value(scope.metadata_prefix) + "\",set=\"" + label_value(scope.set_spec) + "\"";
}

class Exposition {
public:
    explicit Exposition(const std::vector<store::ScopeMetrics>& scopes) : m_scopes(scopes) {}

    // One metric family: its HELP and TYPE, then the sample `value` gives for each scope that
    // has one.
    void family(
        const char* name, const char* type, const char* help,
        const std::function<std::optional<std::int64_t>(const store::ScopeMetrics&)>& value) {
        start(name, type, help);
        for (const auto& scope : m_scopes) {
            if (const auto v = value(scope)) {
                sample(name, scope_labels(scope), *v);
            }
        }
    }

    void runs() {
        const char* name = "oaiharvest_runs_total";
        start(name, "counter", "Runs of the scope, by kind (harvest, reconcile) and outcome.");
        for (const auto& scope : m_scopes) {
            for (const auto& count : scope.runs) {
                sample(name,
                       scope_labels(scope) + ",kind=\"" + label_value(count.kind) +
                           "\",outcome=\"" + label_value(count.outcome) + "\"",
                       count.runs);
            }
        }
    }

    std::string take() { return std::move(m_out); }

private:
    void start(const char* name, const char* type, const char* help) {
        m_out +=
            std::string("# HELP ") + name + " " + help + "\n# TYPE " + name + " " + type + "\n";
    }
    void sample(const char* name, const std::string& labels, std::int64_t value) {
        m_out += std::string(name) + "{" + labels + "} " + std::to_string(value) + "\n";
    }

    const std::vector<store::ScopeMetrics>& m_scopes;
    std::string m_out;
};

}  // namespace

std::string metrics_text(store::Store& store) {
    const auto scopes = store::scope_metrics(store);
    Exposition out(scopes);
    out.family("oaiharvest_records", "gauge",
               "Records of the scope held in the mirror, live and deleted.",
               [](const auto& s) { return std::optional(s.records); });
    out.family("oaiharvest_records_deleted", "gauge", "Records of the scope held as deleted.",
               [](const auto& s) { return std::optional(s.deleted); });
    out.family("oaiharvest_last_success_timestamp_seconds", "gauge",
               "When the scope's latest harvest run that ended ok finished, in Unix seconds.",
               [](const auto& s) {
                   return s.last_success ? std::optional(s.last_success->time_since_epoch().count())
                                         : std::nullopt;
               });
    out.family("oaiharvest_consecutive_failed_runs", "gauge",
               "Harvest runs of the scope that failed or died since its last one that ended ok.",
               [](const auto& s) { return std::optional(s.failures_since_success); });
    out.family(
        "oaiharvest_last_run_duration_seconds", "gauge",
        "How long the scope's latest finished harvest run took, in seconds.", [](const auto& s) {
            return s.last_run_duration ? std::optional(s.last_run_duration->count()) : std::nullopt;
        });
    out.family("oaiharvest_pages_total", "counter",
               "Pages of OAI-PMH lists committed by the scope's runs.",
               [](const auto& s) { return std::optional(s.pages); });
    out.runs();
    return out.take();
}

}  // namespace oaiharvest::serve
