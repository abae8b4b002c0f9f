// A page's transaction: what is held, when it is written, and the commit (the writes of one
// record are in page_write.cpp).
#include <algorithm>
#include <chrono>
#include <utility>

#include "store/page_rows.hpp"
#include "store/page_rules.hpp"
#include "store/store.hpp"
#include "util/time.hpp"

namespace oaiharvest::store {
namespace {

using detail::older;

// Where the scope's saved incremental point stands once a list completes. A complete list
// asked `from` F (none: from the beginning) `until` U covers [F, min(U, reached)], where
// reached is the responseDate of its first request, or, when the server gave none in UTC, the
// newest datestamp the list held: never the harvester's own clock, which says nothing of the
// server's. With neither the point stays. The list extends the covered span only when it
// starts inside it, that is F is absent or F <= the saved point; otherwise (a first run with
// --from, a --from past the saved point) records before F may be missing, and the point stays.
// It never moves back. Dates are compared as instants; a day (the endpoint's granularity)
// stands for its first second, which errs on the side of asking again.
std::optional<std::string> covered_until(const std::optional<std::string>& saved,
                                         const PageEnd& end,
                                         const std::optional<std::string>& newest) {
    auto instant = [](const std::optional<std::string>& d) {
        return d ? util::parse_utc(*d) : std::nullopt;
    };
    const auto saved_at = instant(saved);
    if (saved && !saved_at) {
        return saved;  // not a date this binary wrote: leave it to the user
    }
    if (end.list_from) {
        const auto from = instant(end.list_from);
        if (!saved_at || !from || *from > *saved_at) {
            return saved;
        }
    }
    std::optional<std::string> reached;
    if (util::parse_utc(end.list_started)) {
        reached = end.list_started;
    } else if (instant(newest)) {
        reached = newest;
    }
    if (!reached) {
        return saved;
    }
    if (end.list_until) {
        const auto until = instant(end.list_until);
        if (!until) {
            return saved;
        }
        if (*until < *util::parse_utc(*reached)) {
            reached = end.list_until;
        }
    }
    const auto reached_at = util::parse_utc(*reached);
    if (saved_at && *reached_at <= *saved_at) {
        return saved;
    }
    return *reached;
}

}  // namespace

PageWriter::PageWriter(std::unique_ptr<detail::PageRows> rows, RunId run, const ScopeState& scope)
    : m_rows(std::move(rows)),
      m_run(run),
      m_endpoint_name(scope.endpoint_name),
      m_prefix(scope.metadata_prefix),
      m_now(util::format_utc_seconds(util::now_utc())) {}

PageWriter::PageWriter(PageWriter&& other) noexcept
    : m_rows(std::move(other.m_rows)),
      m_run(other.m_run),
      m_endpoint_name(std::move(other.m_endpoint_name)),
      m_prefix(std::move(other.m_prefix)),
      m_now(std::move(other.m_now)),
      m_counts(other.m_counts),
      m_received(other.m_received),
      m_newest(std::move(other.m_newest)),
      m_held(std::move(other.m_held)),
      m_written(std::move(other.m_written)),
      m_held_bytes(other.m_held_bytes),
      m_before_write_through(std::move(other.m_before_write_through)),
      m_in_transaction(other.m_in_transaction),
      m_open(other.m_open) {
    other.m_open = false;
}

PageWriter::~PageWriter() {
    if (m_open && m_in_transaction) {
        m_rows->roll_back();
    }
}

bool PageWriter::is_unchanged(const RecordCopy& copy) {
    // Read outside any transaction, on a connection of its own, while another thread may be
    // committing the previous page; write() checks again inside the transaction. A stale answer
    // (a record repeated in the page or in the page being committed) costs at most a
    // normalization done for nothing or done later, at write time: never a wrong row.
    return m_rows->stored_hash_equals(copy.identifier, fingerprint(copy).hash);
}

void PageWriter::put(RecordCopy copy, Normalizer normalize) {
    ++m_received;
    // The newest datestamp becomes the saved point when the server sends no responseDate: one
    // dated in the future (a typo such as 2099) would make every later harvest ask from there
    // and get nothing, so this machine's clock caps it, as a sanity check only.
    if (auto t = util::parse_utc(copy.datestamp); t &&
                                                  *t <= util::now_utc() + std::chrono::hours{24} &&
                                                  (!m_newest || older(*m_newest, copy.datestamp))) {
        m_newest = copy.datestamp;
    }
    auto print = fingerprint(copy);
    HeldRecord held{std::move(copy), std::move(print), std::nullopt, std::nullopt, normalize};
    if (m_in_transaction) {
        write(held);
        return;
    }
    const auto& kept = held.copy;
    m_held_bytes += kept.metadata.size() + kept.identifier.size() + sizeof(HeldRecord);
    // Packed when written, on the committing thread: since the store writes little, that thread
    // waits for pages, while this one (parse, describe, JSON) sets the harvest's pace.
    if (kept.normalized && !kept.deleted && !kept.metadata.empty()) {
        m_held_bytes += kept.normalized->json.size() +
                        kept.metadata.size();  // the description is of the same order
    }
    m_held.push_back(std::move(held));
    if (m_held_bytes > k_held_bytes) {
        if (m_before_write_through) {
            m_before_write_through();
        }
        begin_transaction(Written::freed);
    }
}

void PageWriter::begin_transaction(Written written) {
    m_rows->begin();
    m_in_transaction = true;
    // last_changed is what `export --since` filters on: stamp it as close to the commit as
    // possible, not when the page started downloading, so a reader polling with the time of its
    // last export misses nothing.
    m_now = util::format_utc_seconds(util::now_utc());
    for (auto& held : m_held) {
        write(held);
    }
    if (written == Written::kept) {
        m_written = std::exchange(m_held, {});
    } else {
        m_held.clear();
        m_held.shrink_to_fit();
    }
    m_held_bytes = 0;
}

void PageWriter::commit_records(const RunEvents& events) {
    commit_with(events, {});
}

void PageWriter::commit_with(const RunEvents& events, const std::function<void()>& also) {
    try {
        if (!m_in_transaction) {
            // Writes the held records: the counts are known from here.
            begin_transaction(Written::kept);
        }
        if (also) {
            also();
        }
        m_rows->add_page_to_run(m_run, m_counts, events);
        m_rows->commit();
    } catch (...) {
        if (m_in_transaction) {
            m_in_transaction = false;
            m_rows->roll_back();
        }
        throw;
    }
    m_in_transaction = false;
    m_open = false;
}

void PageWriter::commit(ScopeState& scope, const PageEnd& end, const RunEvents& events) {
    // The caller's scope changes only once COMMIT has succeeded: a page that fails leaves it as
    // the database still has it.
    ScopeState next = scope;
    commit_with(events, [&] {
        const std::int64_t records = m_received;
        if (m_newest && (!next.list_newest || older(*next.list_newest, *m_newest))) {
            next.list_newest = m_newest;
        }
        if (end.next) {
            next.list_started = end.list_started;
            next.list_from = end.list_from;
            next.list_until = end.list_until;
            next.pending_token = end.next->token;
            next.pending_cursor = end.next->cursor;
            next.complete_list_size = end.next->complete_list_size;
            next.list_pages += 1;
            next.list_records += records;
        } else {
            next.next_from = covered_until(scope.next_from, end, next.list_newest);
            next.forget_list();
        }
        m_rows->save_scope(next, end.next ? std::nullopt : std::optional<std::string>(m_now));
    });
    scope = std::move(next);
}

}  // namespace oaiharvest::store
