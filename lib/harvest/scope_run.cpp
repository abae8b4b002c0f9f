#include "harvest/scope_run.hpp"

#include <spdlog/spdlog.h>

#include <unordered_map>
#include <unordered_set>

#include "harvest/normalize.hpp"
#include "harvest/page_committer.hpp"
#include "oai/request.hpp"
#include "util/safe_text.hpp"
#include "util/url.hpp"

namespace oaiharvest::harvest::detail {
namespace {

// A list may take this many more pages than its completeListSize (a page with records holds at
// least one): room for empty pages and sizes that servers count loosely.
constexpr std::int64_t k_pages_past_size = 10;

// Sends each record of the page being read into its transaction, and sums up which records the
// page held: two pages with the same identifiers in the same order have the same fingerprint.
class PageRecords final : public oai::ResponseHandler {
public:
    PageRecords(store::PageWriter& page, const std::string& endpoint)
        : m_page(page), m_endpoint(endpoint) {}
    void on_record(oai::Record& record) override {
        if (record.dropped) {
            spdlog::warn("{}: record {} kept without its metadata: {}", m_endpoint,
                         record.header.identifier, *record.dropped);
        }
        harvest::put(m_page, record);
        // FNV-1a, with a separator no identifier holds.
        for (unsigned char c : record.header.identifier + '\n') {
            m_fingerprint = (m_fingerprint ^ c) * 0x100000001b3ULL;
        }
        ++m_records;
    }
    std::uint64_t fingerprint() const { return m_fingerprint; }
    std::int64_t records() const { return m_records; }

private:
    store::PageWriter& m_page;
    const std::string& m_endpoint;
    std::uint64_t m_fingerprint = 0xcbf29ce484222325ULL;
    std::int64_t m_records = 0;
};

void add(store::PageCounts& total, const store::PageCounts& page) {
    total.records_new += page.records_new;
    total.records_updated += page.records_updated;
    total.records_unchanged += page.records_unchanged;
    total.records_deleted += page.records_deleted;
    total.unreadable_records += page.unreadable_records;
}

// Run events not yet written to the run's row: each commit writes what came since the last.
store::RunEvents since(const store::RunEvents& total, store::RunEvents& saved) {
    store::RunEvents delta{total.retries - saved.retries,
                           total.token_restarts - saved.token_restarts,
                           total.repaired_characters - saved.repaired_characters};
    saved = total;
    return delta;
}

// A token request that the server answers with a 4xx of its own (not an OAI error): most likely
// the token expired or the server forgot it (restarted, another node behind a balancer). 408
// and 429 say "not now", not "not this token".
bool rejects_token(const Failure& failure) {
    return failure.http_status >= 400 && failure.http_status < 500 && failure.http_status != 408 &&
           failure.http_status != 429;
}

// Why a list that has taken `pages` pages and goes on with `next` must stop; nullopt when it
// may go on.
std::optional<std::string> list_overrun(const oai::ResumptionToken& next, std::int64_t pages,
                                        std::int64_t max_pages) {
    if (pages >= max_pages) {
        return "the list passes max_pages (" + std::to_string(max_pages) + ") with " +
               std::to_string(pages) + " pages";
    }
    const auto& size = next.complete_list_size;
    if (size && *size >= 0 && pages > *size + k_pages_past_size) {
        return "the list has more pages than its completeListSize " + std::to_string(*size) +
               " allows: " + std::to_string(pages) + " pages";
    }
    return std::nullopt;
}

bool stop_requested(const ScopeContext& ctx) {
    return ctx.stop != nullptr && ctx.stop->load(std::memory_order_relaxed);
}

}  // namespace

Granularity granularity_of(const std::optional<std::string>& identify_value) {
    // An endpoint whose Identify failed is asked in days: every server understands those.
    return identify_value && identify_value->size() > 10 ? Granularity::second : Granularity::day;
}

std::optional<std::string> at_granularity(const std::string& datestamp, Granularity g) {
    auto t = util::parse_utc(datestamp);
    if (!t) {
        return std::nullopt;
    }
    return g == Granularity::day ? util::format_utc_day(*t) : util::format_utc_seconds(*t);
}

std::optional<std::string> incremental_from(const std::string& saved_point, Granularity g,
                                            std::chrono::seconds overlap) {
    auto t = util::parse_utc(saved_point);
    if (!t) {
        return std::nullopt;
    }
    constexpr std::chrono::seconds k_day{86'400};
    std::chrono::seconds margin = overlap;
    if (g == Granularity::day && margin.count() > 0) {
        // A day-granular from names a whole day: a local date (UTC-5) against a UTC point needs
        // the day before.
        margin = ((margin + k_day - std::chrono::seconds{1}) / k_day) * k_day;
    }
    const auto back = *t - margin;
    return g == Granularity::day ? util::format_utc_day(back) : util::format_utc_seconds(back);
}

std::optional<std::string> utc_response_date(const std::optional<std::string>& response_date) {
    if (!response_date || response_date->empty() || response_date->back() != 'Z' ||
        response_date->size() < 20 || !util::parse_utc(*response_date)) {
        return std::nullopt;
    }
    return response_date;
}

ScopeReport run_scope(ScopeContext& ctx, const store::EndpointFacts& endpoint,
                      const std::string& prefix, const std::string& set_spec, const Window& window,
                      std::chrono::seconds overlap) {
    auto started = ctx.clock.monotonic();
    ScopeReport report;
    // Names the scope in the failures that are the list's own, not one request's.
    const std::string list_name =
        endpoint.name + " " + prefix + (set_spec.empty() ? "" : " set " + set_spec);
    report.endpoint = endpoint.name;
    report.metadata_prefix = prefix;
    report.set_spec = set_spec;
    auto scope = ctx.store.scope(endpoint.id, prefix, set_spec);
    Granularity granularity = granularity_of(endpoint.granularity);

    bool overridden = window.full || window.from || window.until;
    if (scope.pending_token && overridden) {
        spdlog::info("{} {}: the window given replaces the unfinished list", endpoint.name, prefix);
        ctx.store.abandon_list(scope);
    }
    std::optional<std::string> from, until;
    if (window.from) {
        from = at_granularity(*window.from, granularity);
    } else if (!window.full && scope.next_from) {
        from = incremental_from(*scope.next_from, granularity, overlap);
    }
    if (window.until) {
        until = at_granularity(*window.until, granularity);
    }
    bool resuming = scope.pending_token.has_value();
    report.resumed = resuming;
    if (resuming) {
        from = scope.list_from;
        until = scope.list_until;
    }
    auto run = ctx.store.begin_run(scope, ctx.clock.now(), from, until, resuming);
    Retrier retrier(ctx.clock, ctx.policy, ctx.stop);
    std::unordered_set<std::string> tokens_seen;
    // What each page of the list held (fingerprint -> its page number), to tell a list that
    // makes no progress: a server handing out new tokens with the same records forever.
    std::unordered_map<std::uint64_t, std::int64_t> pages_seen;
    std::int64_t list_pages = scope.list_pages;  // pages of the list so far, resumed ones too
    store::RunEvents saved_events;
    std::optional<std::string> failure;
    bool interrupted = false;

    // From here the committer writes `scope` while this thread requests the next page, so this
    // thread reads it only once the committer is idle (settle, restart_list) and keeps its own
    // copy of what the next request needs. begin_page reads only the scope's identity, which
    // never changes: it gets a copy that the committer never touches.
    const store::ScopeState identity = scope;
    std::optional<std::string> token = scope.pending_token;  // the next request's
    std::optional<std::string> list_started = scope.list_started;
    // The page handed to the committer and not yet accounted for.
    struct InFlight {
        std::optional<oai::ResumptionToken> next;
        std::string url;
        bool listed = true;  // false: noRecordsMatch, which reports no progress
    };
    std::optional<InFlight> in_flight;
    PageCommitter committer(scope);

    // Waits for the page in flight to commit, then counts it, reports progress and checks the
    // list's length, as was done right after each commit when commits were synchronous. A
    // failed commit throws out of run_scope, as it always did: local failures are not a
    // remote's. Returns false when the list must stop.
    auto settle = [&]() -> bool {
        auto counts = committer.wait();
        if (!in_flight) {
            return true;
        }
        InFlight done = std::move(*in_flight);
        in_flight.reset();
        add(report.counts, counts.value());
        ++report.pages;
        if (!done.listed) {
            return true;
        }
        if (ctx.progress) {
            ctx.progress->on_page(report, scope.list_records, scope.complete_list_size);
        }
        if (done.next && scope.complete_list_size && *scope.complete_list_size >= 0 &&
            scope.list_records > 2 * *scope.complete_list_size + 1000) {
            failure = "the list runs far past its completeListSize " +
                      std::to_string(*scope.complete_list_size) + " at token \"" +
                      done.next->value + "\" (" + util::redact_credentials(done.url) + ")";
            return false;
        }
        return true;
    };

    while (true) {
        if (stop_requested(ctx)) {
            interrupted = true;
            break;
        }
        const bool token_request = token.has_value();
        oai::Request request =
            token_request
                ? oai::resume(oai::Verb::list_records, *token)
                : oai::list_records({prefix, from, until,
                                     set_spec.empty() ? std::nullopt : std::optional(set_spec)});
        const std::string url = request.url(endpoint.base_url);
        std::optional<store::PageWriter> page;
        std::optional<PageRecords> records;
        auto result = retrier.run(
            [&]() -> std::expected<Exchange, Failure> {
                page.reset();  // rolls back what a failed attempt had written
                page.emplace(ctx.store.begin_page(run, identity));
                // A page too large to hold writes through on the write connection, which is
                // the committer's until the page before has committed.
                page->before_write_through([&committer] { committer.wait_idle(); });
                records.emplace(*page, endpoint.name);
                auto ex = exchange(ctx.fetcher, url, *records, ctx.policy.reader_limits);
                if (ex && ex->errors.empty() && !ex->summary.list_element_seen) {
                    return std::unexpected(Failure{true,
                                                   "response from " +
                                                       util::redact_credentials(url) +
                                                       " has neither ListRecords nor an error",
                                                   std::nullopt});
                }
                return ex;
            },
            report.events.retries);
        // The request above overlapped the previous page's commit; what follows is decided
        // after it, in the order a harvest with synchronous commits decided it.
        if (!settle()) {
            break;
        }
        // An expired or rejected token: the list starts over from its saved window, once per
        // run (a server that rejects every token would otherwise restart forever).
        auto restart_list = [&](const std::string& why) {
            spdlog::warn("{} {}: resumption token rejected: {}; restarting the list from {}",
                         endpoint.name, prefix, why, from.value_or("the beginning"));
            page.reset();
            ctx.store.abandon_list(scope);  // the committer is idle: settled above
            token.reset();
            list_started.reset();
            ++report.events.token_restarts;
            tokens_seen.clear();
            pages_seen.clear();
            list_pages = 0;
        };
        const bool may_restart = token_request && report.events.token_restarts == 0;
        if (!result) {
            if (result.error().stopped) {
                interrupted = true;  // what was read of the page rolls back
                break;
            }
            if (may_restart && rejects_token(result.error())) {
                restart_list(result.error().message);
                continue;
            }
            failure = result.error().message;
            break;
        }
        report.events.repaired_characters +=
            static_cast<std::int64_t>(result->summary.repaired_characters);
        // Without a responseDate in UTC the list's newest datestamp decides how far it
        // reached (lib/store/page.cpp): never this machine's clock.
        std::string response_date = utc_response_date(result->response_date).value_or("");
        std::string page_list_started =
            token_request && list_started ? *list_started : response_date;

        if (!result->errors.empty()) {
            if (has_error(*result, oai::ErrorCode::no_records_match) && !token_request) {
                committer.submit(std::move(*page),
                                 store::PageEnd{std::nullopt, page_list_started, from, until},
                                 since(report.events, saved_events));
                in_flight = InFlight{std::nullopt, url, false};
                break;
            }
            if (may_restart && has_error(*result, oai::ErrorCode::bad_resumption_token)) {
                restart_list(describe_errors(*result, url));
                continue;
            }
            failure = describe_errors(*result, url);
            break;
        }

        std::optional<oai::ResumptionToken> next = result->token;
        if (next && next->value.empty()) {
            next.reset();  // an empty resumptionToken element ends the list
        }
        if (next && !tokens_seen.insert(next->value).second) {
            failure = "resumption token loop: the server sent \"" + next->value +
                      "\" twice in one list (" + util::redact_credentials(url) + ")";
            break;
        }
        const std::int64_t page_number = list_pages + 1;
        if (next && records->records() > 0) {
            auto [seen, added] = pages_seen.emplace(records->fingerprint(), page_number);
            if (!added) {
                failure = list_name + ": the list makes no progress: page " +
                          std::to_string(page_number) + " holds the same " +
                          std::to_string(records->records()) + " records as page " +
                          std::to_string(seen->second) + " (" + util::redact_credentials(url) + ")";
                break;
            }
        }
        committer.submit(std::move(*page),
                         store::PageEnd{position_of(next), page_list_started, from, until},
                         since(report.events, saved_events));
        in_flight = InFlight{next, url, true};
        list_pages = page_number;
        if (!next) {
            break;
        }
        if (auto problem = list_overrun(*next, list_pages, ctx.policy.max_list_pages)) {
            failure = list_name + ": " + *problem + " at token \"" + next->value + "\" (" +
                      util::redact_credentials(url) + ")";
            break;
        }
        token = next->value;
        list_started = page_list_started;
    }
    // The page still in flight commits before the run's row is finished; its checks may still
    // fail the list, as they would have right after its commit.
    settle();
    report.outcome = failure       ? store::Outcome::failed
                     : interrupted ? store::Outcome::interrupted
                                   : store::Outcome::ok;
    if (failure) {
        failure = util::printable(*failure);  // it quotes server text: stored, logged, printed
    }
    report.error = failure;
    ctx.store.finish_run(run, report.outcome, ctx.clock.now(), since(report.events, saved_events),
                         failure);
    report.seconds = std::chrono::duration<double>(ctx.clock.monotonic() - started).count();
    return report;
}

}  // namespace oaiharvest::harvest::detail
