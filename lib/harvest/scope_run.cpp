#include "harvest/scope_run.hpp"

#include <spdlog/spdlog.h>

#include <unordered_map>
#include <unordered_set>

#include "harvest/normalize.hpp"
#include "harvest/page_committer.hpp"
#include "harvest/page_records.hpp"
#include "oai/request.hpp"
#include "util/safe_text.hpp"
#include "util/url.hpp"

namespace oaiharvest::harvest::detail {
namespace {

// A list may take this many more pages than its completeListSize (a page with records holds at
// least one): room for empty pages and sizes that servers count loosely.
constexpr std::int64_t k_pages_past_size = 10;

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

// One scope's run, in the order its steps happen: start (or resume) the list, then page after
// page fetch it, read what it says and hand it to the committer, and at last finish the run's
// row. The committer writes m_scope while this thread requests the next page, so this thread
// reads m_scope only once the committer is idle (settle, restart_list) and keeps its own copy
// of what the next request needs (m_identity, m_token, m_list_started).
class ScopeRun {
public:
    ScopeRun(ScopeContext& ctx, const store::EndpointFacts& endpoint, const std::string& prefix,
             const std::string& set_spec);

    // Runs the list to its end, a failure or a stop. A failed commit throws: local failures are
    // not a remote's.
    ScopeReport run(const Window& window, std::chrono::seconds overlap);

private:
    enum class Next { page, done };
    // One request of the list: its URL, and its page open in a transaction with the records
    // read into it. Not movable in effect: records points into writer.
    struct Page {
        std::string url;
        bool token_request = false;
        std::optional<store::PageWriter> writer;
        std::optional<PageRecords> records;
    };
    // The page handed to the committer and not yet accounted for.
    struct InFlight {
        std::optional<oai::ResumptionToken> next;
        std::string url;
        bool listed = true;  // false: noRecordsMatch, which reports no progress
    };

    void start(const Window& window, std::chrono::seconds overlap);
    Next next_page();
    std::expected<Exchange, Failure> fetch(Page& page);
    bool settle();
    Next failed_request(Page& page, const Failure& failure);
    Next read(Page& page, const Exchange& ex);
    Next read_errors(Page& page, const Exchange& ex, const std::string& list_started);
    std::optional<std::string> list_stuck(const Page& page,
                                          const std::optional<oai::ResumptionToken>& next,
                                          std::int64_t page_number);
    void hand_over(Page& page, const store::PageEnd& end, InFlight in_flight);
    bool may_restart(const Page& page) const;
    void restart_list(Page& page, const std::string& why);
    ScopeReport finish();

    ScopeContext& m_ctx;
    const store::EndpointFacts& m_endpoint;
    const std::string m_prefix;
    const std::string m_set_spec;
    // Names the scope in the failures that are the list's own, not one request's.
    const std::string m_list_name;
    const std::chrono::milliseconds m_started;
    ScopeReport m_report;
    store::ScopeState m_scope;     // the committer's while a page is in flight
    store::ScopeState m_identity;  // begin_page reads only the scope's identity: a copy
    std::optional<std::string> m_from, m_until;
    store::RunId m_run = 0;
    Retrier m_retrier;
    std::optional<std::string> m_token;         // the next request's
    std::optional<std::string> m_list_started;  // as the next page will commit it
    std::int64_t m_list_pages = 0;              // pages of the list so far, resumed ones too
    std::unordered_set<std::string> m_tokens_seen;
    // What each page of the list held (fingerprint -> its page number), to tell a list that
    // makes no progress: a server handing out new tokens with the same records forever.
    std::unordered_map<std::uint64_t, std::int64_t> m_pages_seen;
    store::RunEvents m_saved_events;
    std::optional<std::string> m_failure;
    bool m_interrupted = false;
    std::optional<InFlight> m_in_flight;
    PageCommitter m_committer;  // last: it stops first, letting the page in flight commit
};

ScopeRun::ScopeRun(ScopeContext& ctx, const store::EndpointFacts& endpoint,
                   const std::string& prefix, const std::string& set_spec)
    : m_ctx(ctx),
      m_endpoint(endpoint),
      m_prefix(prefix),
      m_set_spec(set_spec),
      m_list_name(endpoint.name + " " + prefix + (set_spec.empty() ? "" : " set " + set_spec)),
      m_started(ctx.clock.monotonic()),
      m_scope(ctx.store.scope(endpoint.id, prefix, set_spec)),
      m_retrier(ctx.clock, ctx.policy, ctx.stop),
      m_committer(m_scope) {
    m_report.endpoint = endpoint.name;
    m_report.metadata_prefix = prefix;
    m_report.set_spec = set_spec;
}

ScopeReport ScopeRun::run(const Window& window, std::chrono::seconds overlap) {
    start(window, overlap);
    while (next_page() == Next::page) {
    }
    // The page still in flight commits before the run's row is finished; its checks may still
    // fail the list, as they would have right after its commit.
    settle();
    return finish();
}

// Decides the window (given, incremental from the saved point, or the unfinished list's own)
// and opens the run's row.
void ScopeRun::start(const Window& window, std::chrono::seconds overlap) {
    const Granularity granularity = granularity_of(m_endpoint.granularity);
    const bool overridden = window.full || window.from || window.until;
    if (m_scope.pending_token && overridden) {
        spdlog::info("{} {}: the window given replaces the unfinished list", m_endpoint.name,
                     m_prefix);
        m_ctx.store.abandon_list(m_scope);
    }
    if (window.from) {
        m_from = at_granularity(*window.from, granularity);
    } else if (!window.full && m_scope.next_from) {
        m_from = incremental_from(*m_scope.next_from, granularity, overlap);
    }
    if (window.until) {
        m_until = at_granularity(*window.until, granularity);
    }
    m_report.resumed = m_scope.pending_token.has_value();
    if (m_report.resumed) {
        m_from = m_scope.list_from;
        m_until = m_scope.list_until;
    }
    m_run = m_ctx.store.begin_run(m_scope, m_ctx.clock.now(), m_from, m_until, m_report.resumed);
    m_identity = m_scope;
    m_token = m_scope.pending_token;
    m_list_started = m_scope.list_started;
    m_list_pages = m_scope.list_pages;
}

ScopeRun::Next ScopeRun::next_page() {
    if (stop_requested(m_ctx)) {
        m_interrupted = true;
        return Next::done;
    }
    Page page;
    auto result = fetch(page);
    // The request above overlapped the previous page's commit; what follows is decided after
    // it, in the order a harvest with synchronous commits decided it.
    if (!settle()) {
        return Next::done;
    }
    return result ? read(page, *result) : failed_request(page, result.error());
}

// Requests the next page (the list's first, or the one m_token names), retrying as the policy
// says; each attempt reads into a fresh transaction.
std::expected<Exchange, Failure> ScopeRun::fetch(Page& page) {
    page.token_request = m_token.has_value();
    oai::Request request =
        page.token_request
            ? oai::resume(oai::Verb::list_records, *m_token)
            : oai::list_records({m_prefix, m_from, m_until,
                                 m_set_spec.empty() ? std::nullopt : std::optional(m_set_spec)});
    page.url = request.url(m_endpoint.base_url);
    return m_retrier.run(
        [&]() -> std::expected<Exchange, Failure> {
            page.writer.reset();  // rolls back what a failed attempt had written
            page.writer.emplace(m_ctx.store.begin_page(m_run, m_identity));
            // A page too large to hold writes through on the write connection, which is the
            // committer's until the page before has committed.
            page.writer->before_write_through([this] { m_committer.wait_idle(); });
            page.records.emplace(*page.writer, m_endpoint.name);
            auto ex = exchange(m_ctx.fetcher, page.url, *page.records, m_ctx.policy.reader_limits);
            if (ex && ex->errors.empty() && !ex->summary.list_element_seen) {
                return std::unexpected(Failure{true,
                                               "response from " +
                                                   util::redact_credentials(page.url) +
                                                   " has neither ListRecords nor an error",
                                               std::nullopt});
            }
            return ex;
        },
        m_report.events.retries);
}

// Waits for the page in flight to commit, then counts it, reports progress and checks the
// list's length, as was done right after each commit when commits were synchronous. A failed
// commit throws. Returns false when the list must stop.
bool ScopeRun::settle() {
    auto counts = m_committer.wait();
    if (!m_in_flight) {
        return true;
    }
    InFlight done = std::move(*m_in_flight);
    m_in_flight.reset();
    m_report.counts += counts.value();
    ++m_report.pages;
    if (!done.listed) {
        return true;
    }
    if (m_ctx.progress) {
        m_ctx.progress->on_page(m_report, m_scope.list_records, m_scope.complete_list_size);
    }
    const auto& size = m_scope.complete_list_size;
    if (done.next && size && *size >= 0 && m_scope.list_records > 2 * *size + 1000) {
        m_failure = "the list runs far past its completeListSize " + std::to_string(*size) +
                    " at token \"" + done.next->value + "\" (" +
                    util::redact_credentials(done.url) + ")";
        return false;
    }
    return true;
}

ScopeRun::Next ScopeRun::failed_request(Page& page, const Failure& failure) {
    if (failure.stopped) {
        m_interrupted = true;  // what was read of the page rolls back
        return Next::done;
    }
    if (may_restart(page) && rejects_token(failure)) {
        restart_list(page, failure.message);
        return Next::page;
    }
    m_failure = failure.message;
    return Next::done;
}

// Reads what the page says: its errors, its token, whether the list goes on.
ScopeRun::Next ScopeRun::read(Page& page, const Exchange& ex) {
    m_report.events.repaired_characters +=
        static_cast<std::int64_t>(ex.summary.repaired_characters);
    // Without a responseDate in UTC the list's newest datestamp decides how far it reached
    // (lib/store/page.cpp): never this machine's clock.
    const std::string response_date = utc_response_date(ex.response_date).value_or("");
    const std::string list_started =
        page.token_request && m_list_started ? *m_list_started : response_date;
    if (!ex.errors.empty()) {
        return read_errors(page, ex, list_started);
    }
    std::optional<oai::ResumptionToken> next = ex.token;
    if (next && next->value.empty()) {
        next.reset();  // an empty resumptionToken element ends the list
    }
    const std::int64_t page_number = m_list_pages + 1;
    if (auto stuck = list_stuck(page, next, page_number)) {
        m_failure = std::move(stuck);
        return Next::done;
    }
    hand_over(page, store::PageEnd{position_of(next), list_started, m_from, m_until},
              InFlight{next, page.url, true});
    m_list_pages = page_number;
    if (!next) {
        return Next::done;
    }
    if (auto problem = list_overrun(*next, m_list_pages, m_ctx.policy.max_list_pages)) {
        m_failure = m_list_name + ": " + *problem + " at token \"" + next->value + "\" (" +
                    util::redact_credentials(page.url) + ")";
        return Next::done;
    }
    m_token = next->value;
    m_list_started = list_started;
    return Next::page;
}

ScopeRun::Next ScopeRun::read_errors(Page& page, const Exchange& ex,
                                     const std::string& list_started) {
    if (has_error(ex, oai::ErrorCode::no_records_match) && !page.token_request) {
        hand_over(page, store::PageEnd{std::nullopt, list_started, m_from, m_until},
                  InFlight{std::nullopt, page.url, false});
        return Next::done;
    }
    if (may_restart(page) && has_error(ex, oai::ErrorCode::bad_resumption_token)) {
        restart_list(page, describe_errors(ex, page.url));
        return Next::page;
    }
    m_failure = describe_errors(ex, page.url);
    return Next::done;
}

// Why the list, going on with `next` after this page, makes no progress; nullopt when it does.
std::optional<std::string> ScopeRun::list_stuck(const Page& page,
                                                const std::optional<oai::ResumptionToken>& next,
                                                std::int64_t page_number) {
    if (!next) {
        return std::nullopt;
    }
    if (!m_tokens_seen.insert(next->value).second) {
        return "resumption token loop: the server sent \"" + next->value +
               "\" twice in one list (" + util::redact_credentials(page.url) + ")";
    }
    if (page.records->records() > 0) {
        auto [seen, added] = m_pages_seen.emplace(page.records->fingerprint(), page_number);
        if (!added) {
            return m_list_name + ": the list makes no progress: page " +
                   std::to_string(page_number) + " holds the same " +
                   std::to_string(page.records->records()) + " records as page " +
                   std::to_string(seen->second) + " (" + util::redact_credentials(page.url) + ")";
        }
    }
    return std::nullopt;
}

void ScopeRun::hand_over(Page& page, const store::PageEnd& end, InFlight in_flight) {
    m_committer.submit(std::move(*page.writer), end, since(m_report.events, m_saved_events));
    m_in_flight = std::move(in_flight);
}

// An expired or rejected token: the list starts over from its saved window, once per run (a
// server that rejects every token would otherwise restart forever).
bool ScopeRun::may_restart(const Page& page) const {
    return page.token_request && m_report.events.token_restarts == 0;
}

void ScopeRun::restart_list(Page& page, const std::string& why) {
    spdlog::warn("{} {}: resumption token rejected: {}; restarting the list from {}",
                 m_endpoint.name, m_prefix, why, m_from.value_or("the beginning"));
    page.writer.reset();
    m_ctx.store.abandon_list(m_scope);  // the committer is idle: settled before
    m_token.reset();
    m_list_started.reset();
    ++m_report.events.token_restarts;
    m_tokens_seen.clear();
    m_pages_seen.clear();
    m_list_pages = 0;
}

ScopeReport ScopeRun::finish() {
    m_report.outcome = m_failure       ? store::Outcome::failed
                       : m_interrupted ? store::Outcome::interrupted
                                       : store::Outcome::ok;
    if (m_failure) {
        m_failure = util::printable(*m_failure);  // it quotes server text: stored, logged, printed
    }
    m_report.error = m_failure;
    m_ctx.store.finish_run(m_run, m_report.outcome, m_ctx.clock.now(),
                           since(m_report.events, m_saved_events), m_failure);
    m_report.seconds = std::chrono::duration<double>(m_ctx.clock.monotonic() - m_started).count();
    return m_report;
}

}  // namespace

ScopeReport run_scope(ScopeContext& ctx, const store::EndpointFacts& endpoint,
                      const std::string& prefix, const std::string& set_spec, const Window& window,
                      std::chrono::seconds overlap) {
    return ScopeRun(ctx, endpoint, prefix, set_spec).run(window, overlap);
}

}  // namespace oaiharvest::harvest::detail
