// Reconcile: the server's ListIdentifiers compared with the mirror, and the mirror brought equal
// to it. Pass 1 lists every identifier; what the mirror lacks or holds older is fetched, set
// membership is corrected, and what it holds but the server did not list becomes a candidate.
// Pass 2 lists what changed since pass 1 began (the list may be edited while it runs) and asks
// GetRecord for each candidate: only the server's "no such record" marks one gone. A list that
// fails part-way produces no candidate at all.

#include "harvest/reconcile_scope.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <set>

#include "harvest/identifier_list.hpp"
#include "harvest/normalize.hpp"
#include "oai/request.hpp"
#include "store/reconcile.hpp"
#include "util/safe_text.hpp"
#include "util/url.hpp"

namespace oaiharvest::harvest::detail {
namespace {

// Records fetched by GetRecord are committed in batches of this many.
constexpr std::int64_t k_batch = 100;
// One record the server cannot return (a broken EPrints item) must not stop every later
// reconcile of its scope at the same place; this many failures in a row say the server itself
// is failing, and end the run.
constexpr int k_failures_in_a_row = 3;

class OneRecord final : public oai::ResponseHandler {
public:
    void on_record(oai::Record& record) override { found = record; }
    std::optional<oai::Record> found;
};

bool in_set(const std::vector<std::string>& sets, const std::string& set_spec) {
    return std::ranges::any_of(
        sets, [&](const std::string& s) { return s == set_spec || s.starts_with(set_spec + ":"); });
}

std::string set_text(const std::vector<std::string>& sets) {
    std::string text = "[";
    for (const auto& s : sets) {
        text += (text.size() > 1 ? ", " : "") + s;
    }
    return text + "]";
}

class ScopeReconciler {
public:
    ScopeReconciler(ScopeContext& ctx, const store::EndpointFacts& endpoint,
                    const std::string& prefix, const std::string& set_spec,
                    std::chrono::seconds overlap)
        : m_ctx(ctx),
          m_endpoint(endpoint),
          m_prefix(prefix),
          m_set(set_spec),
          m_overlap(overlap),
          m_scope(ctx.store.scope(endpoint.id, prefix, set_spec)),
          m_retrier(ctx.clock, ctx.policy, ctx.stop),
          m_name(endpoint.name + " " + prefix),
          m_held(ctx.store, endpoint.id, prefix) {
        m_report.endpoint = endpoint.name;
        m_report.metadata_prefix = prefix;
        m_report.set_spec = set_spec;
    }

    ScopeReport run() {
        const auto started = m_ctx.clock.monotonic();
        m_run = store::begin_reconcile_run(m_ctx.store, m_scope, m_ctx.clock.now());
        std::optional<std::string> failure;
        try {
            failure = reconcile();
            flush();
        } catch (...) {
            m_batch.reset();  // rolls back the batch
            try {
                finish(store::Outcome::failed, "a local failure ended the reconcile");
            } catch (...) {
                // The first failure is the one worth reporting.
            }
            throw;
        }
        // A request cut short by a stop fails: that is the stop, not the server.
        if (failure && m_ctx.stop != nullptr && m_ctx.stop->load()) {
            finish(store::Outcome::interrupted, std::nullopt);
        } else if (failure) {
            finish(store::Outcome::failed, util::printable(*failure));
        } else {
            finish(store::Outcome::ok, std::nullopt);
        }
        m_report.seconds = std::chrono::duration<double>(m_ctx.clock.monotonic() - started).count();
        return m_report;
    }

private:
    void finish(store::Outcome outcome, const std::optional<std::string>& error) {
        m_report.outcome = outcome;
        m_report.error = error;
        store::finish_reconcile_run(m_ctx.store, m_run, m_scope.id, outcome, m_ctx.clock.now(),
                                    since(), m_report.pages, m_report.sets_corrected, error);
    }

    // Run events not yet written to the run's row.
    store::RunEvents since() {
        const auto& e = m_report.events;
        store::RunEvents delta{e.retries - m_saved.retries,
                               e.token_restarts - m_saved.token_restarts,
                               e.repaired_characters - m_saved.repaired_characters};
        m_saved = e;
        return delta;
    }

    std::optional<std::string> reconcile() {
        auto first = list_identifiers(m_ctx, m_retrier, m_report.events, m_endpoint.base_url,
                                      m_prefix, m_set, std::nullopt);
        if (!first) {
            return first.error();  // an incomplete list: nothing may be marked gone
        }
        m_report.listed = static_cast<std::int64_t>(first->entries.size());
        m_report.pages += first->pages;
        std::set<std::string> candidates;
        m_held.for_each([&](const store::HeldRecord& held) {
            if (!held.gone && (m_set.empty() || in_set(held.sets, m_set)) &&
                !first->entries.contains(held.identifier)) {
                candidates.insert(held.identifier);
            }
        });
        for (const auto& [identifier, listed] : first->entries) {
            if (!keep_going(compare(identifier, listed))) {
                return m_first_failure;
            }
        }

        // The second pass: what changed since the first began, for edits made while it ran.
        const auto point = first->started ? first->started : first->newest;
        if (point) {
            flush();
            auto from = incremental_from(*point, granularity_of(m_endpoint.granularity), m_overlap);
            auto second = list_identifiers(m_ctx, m_retrier, m_report.events, m_endpoint.base_url,
                                           m_prefix, m_set, from);
            if (!second) {
                return second.error();
            }
            m_report.pages += second->pages;
            for (const auto& [identifier, listed] : second->entries) {
                candidates.erase(identifier);
                auto before = first->entries.find(identifier);
                if (before == first->entries.end() ||
                    before->second.datestamp != listed.datestamp ||
                    before->second.deleted != listed.deleted) {
                    if (!keep_going(compare(identifier, listed))) {
                        return m_first_failure;
                    }
                }
            }
        }
        for (const auto& identifier : candidates) {
            if (!keep_going(check_candidate(identifier))) {
                return m_first_failure;
            }
        }
        return m_first_failure;  // the run fails, having done all it could
    }

    // Notes the failure of one record's request; false when the run must end: a stop, or a
    // server that fails request after request.
    bool keep_going(std::optional<std::string> failure) {
        if (!failure) {
            m_failures_in_a_row = 0;
            return true;
        }
        spdlog::warn("{}: {}", m_name, util::printable(*failure));
        if (!m_first_failure) {
            m_first_failure = std::move(failure);
        }
        const bool stopping = m_ctx.stop != nullptr && m_ctx.stop->load();
        return !stopping && ++m_failures_in_a_row < k_failures_in_a_row;
    }

    // One listed identifier against the mirror's copy.
    std::optional<std::string> compare(const std::string& identifier, const Listed& listed) {
        auto found = m_held.find(identifier);
        if (!found) {
            log(identifier, listed.deleted ? "deleted: missing from the mirror, listed deleted"
                                           : "fetched: missing from the mirror");
            return take(identifier, listed);
        }
        const auto& held = *found;
        if (held.gone && !listed.deleted) {
            // Whatever its datestamp: a gone record holds nothing newer than the server's copy.
            log(identifier, "fetched: listed live, the mirror held it gone");
            return fetch(identifier, false);
        }
        if (earlier(held.datestamp, listed.datestamp)) {
            log(identifier,
                "updated: the mirror held " + held.datestamp + ", the server " + listed.datestamp);
            return take(identifier, listed);
        }
        if (earlier(listed.datestamp, held.datestamp)) {
            // Newest wins: the header is offered and counted stale (a restored backup).
            put_header(identifier, listed, std::nullopt);
            return std::nullopt;
        }
        if (listed.deleted && (!held.deleted || held.gone)) {
            log(identifier, "deleted: listed deleted, the mirror held it " +
                                std::string(held.gone ? "gone" : "live"));
            put_header(identifier, listed, std::nullopt);
        } else if (!listed.deleted && held.deleted) {
            log(identifier, "fetched: listed live, the mirror held it " +
                                std::string(held.gone ? "gone" : "deleted"));
            return fetch(identifier, false);
        } else if (!listed.deleted && listed.sets != held.sets) {
            log(identifier,
                "sets corrected: " + set_text(held.sets) + " -> " + set_text(listed.sets));
            ++m_report.sets_corrected;
            put_header(identifier, listed,
                       store::stored_metadata(m_ctx.store, m_endpoint.id, identifier, m_prefix));
        }
        return std::nullopt;
    }

    // A listed record the mirror needs: a deleted header is stored as listed, a live one fetched.
    std::optional<std::string> take(const std::string& identifier, const Listed& listed) {
        if (listed.deleted) {
            put_header(identifier, listed, std::nullopt);
            return std::nullopt;
        }
        return fetch(identifier, false);
    }

    std::optional<std::string> check_candidate(const std::string& identifier) {
        return fetch(identifier, true);
    }

    // GetRecord; what it returns is stored. For a candidate (not listed), the server's "no such
    // record" marks it gone, and "not in this format" marks it gone in this format.
    std::optional<std::string> fetch(const std::string& identifier, bool candidate) {
        const std::string url = oai::get_record(identifier, m_prefix).url(m_endpoint.base_url);
        OneRecord handler;
        auto result = m_retrier.run(
            [&]() -> std::expected<Exchange, Failure> {
                handler.found.reset();
                auto ex = exchange(m_ctx.fetcher, url, handler, m_ctx.policy.reader_limits);
                if (ex && ex->errors.empty() && !handler.found) {
                    return std::unexpected(Failure{true,
                                                   "response from " +
                                                       util::redact_credentials(url) +
                                                       " has neither a record nor an error",
                                                   std::nullopt});
                }
                return ex;
            },
            m_report.events.retries);
        if (!result) {
            return result.error().message;
        }
        m_report.events.repaired_characters +=
            static_cast<std::int64_t>(result->summary.repaired_characters);
        if (!result->errors.empty()) {
            const bool missing = has_error(*result, oai::ErrorCode::id_does_not_exist) ||
                                 has_error(*result, oai::ErrorCode::no_records_match);
            const bool withdrawn = has_error(*result, oai::ErrorCode::cannot_disseminate_format);
            if (!missing && !withdrawn) {
                return describe_errors(*result, url);
            }
            if (candidate) {
                gone(identifier,
                     missing ? "gone: no longer listed"
                             : "gone in " + m_prefix + ": no longer offered in this format");
            }
            return std::nullopt;
        }
        oai::Record& record = *handler.found;
        if (candidate) {
            note_candidate(identifier, record);
        }
        put(record);
        return std::nullopt;
    }

    // A candidate the server still returns: moved out of the set, deleted without a setSpec in
    // its header, or missed by the list.
    void note_candidate(const std::string& identifier, const oai::Record& record) {
        auto held = m_held.find(identifier);  // before the record is stored
        auto sets = sorted_sets(record.header.set_specs);
        if (record.header.deleted) {
            if (held && !held->deleted) {
                log(identifier, "deleted: not listed, the server returns it deleted");
            }
            return;
        }
        if (held && held->sets != sets && held->datestamp == record.header.datestamp) {
            log(identifier, "sets corrected: " + set_text(held->sets) + " -> " + set_text(sets));
            ++m_report.sets_corrected;
        } else if (held && held->datestamp != record.header.datestamp) {
            log(identifier, "updated: not listed, the mirror held " + held->datestamp +
                                ", the server " + record.header.datestamp);
        }
    }

    void gone(const std::string& identifier, const std::string& why) {
        flush();  // mark_gone has its own transaction
        if (store::mark_gone(m_ctx.store, m_run, m_endpoint.id, identifier, m_prefix,
                             m_ctx.clock.now())) {
            log(identifier, why);
            ++m_report.records_gone;
        }
    }

    void put_header(const std::string& identifier, const Listed& listed,
                    std::optional<std::string> metadata) {
        oai::Record record;
        record.header = {identifier, listed.datestamp, listed.sets, listed.deleted};
        record.metadata = std::move(metadata).value_or("");
        put(record);
    }

    void put(const oai::Record& record) {
        if (!m_batch) {
            m_batch.emplace(m_ctx.store.begin_page(m_run, m_scope));
        }
        harvest::put(*m_batch, record);
        if (++m_in_batch >= k_batch) {
            flush();
        }
    }

    void flush() {
        if (!m_batch) {
            return;
        }
        m_batch->commit_records(since());
        m_report.counts += m_batch->counts();
        m_batch.reset();
        m_in_batch = 0;
    }

    void log(const std::string& identifier, const std::string& what) {
        spdlog::info("{}: {} {}", m_name, util::printable(identifier), util::printable(what));
    }

    ScopeContext& m_ctx;
    const store::EndpointFacts& m_endpoint;
    std::string m_prefix;
    std::string m_set;
    std::chrono::seconds m_overlap;
    store::ScopeState m_scope;
    Retrier m_retrier;
    std::string m_name;
    ScopeReport m_report;
    store::RunId m_run = 0;
    store::RunEvents m_saved;
    store::HeldRecords m_held;
    std::optional<store::PageWriter> m_batch;
    std::int64_t m_in_batch = 0;
    std::optional<std::string> m_first_failure;
    int m_failures_in_a_row = 0;
};

}  // namespace

ScopeReport reconcile_scope(ScopeContext& ctx, const store::EndpointFacts& endpoint,
                            const std::string& prefix, const std::string& set_spec,
                            std::chrono::seconds overlap) {
    return ScopeReconciler(ctx, endpoint, prefix, set_spec, overlap).run();
}

}  // namespace oaiharvest::harvest::detail
