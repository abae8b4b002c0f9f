// A page's transaction: what is held, when it is written, and the commit (the writes of one
// record are in page_write.cpp).
#include <algorithm>
#include <chrono>

#include "store/packing.hpp"
#include "store/page_rules.hpp"
#include "store/sqlite.hpp"
#include "store/statements.hpp"
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

// Ends the transaction of a page that failed. SQLite may have rolled it back already (a
// statement that failed with SQLITE_FULL, IOERR or NOMEM, a RAISE(ROLLBACK)), and then ROLLBACK
// fails: the transaction is gone either way, and the error that got here first is the one
// worth reporting, so this one is dropped.
void roll_back(sql::Database& db) noexcept {
    try {
        db.exec("ROLLBACK");
    } catch (...) {
    }
}

}  // namespace

PageWriter::PageWriter(Store& store, RunId run, const ScopeState& scope)
    : m_store(&store),
      m_run(run),
      m_endpoint(scope.endpoint_id),
      m_endpoint_name(scope.endpoint_name),
      m_prefix(scope.metadata_prefix),
      m_now(util::format_utc_seconds(util::now_utc())) {}

PageWriter::PageWriter(PageWriter&& other) noexcept
    : m_store(other.m_store),
      m_run(other.m_run),
      m_endpoint(other.m_endpoint),
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
      m_packer(std::move(other.m_packer)),
      m_dictionaries(std::move(other.m_dictionaries)),
      m_in_transaction(other.m_in_transaction),
      m_open(other.m_open) {
    other.m_open = false;
}

PageWriter::~PageWriter() {
    if (m_open && m_in_transaction) {
        roll_back(*m_store->m_db);
    }
}

bool PageWriter::stored_hash_equals(const RecordCopy& copy, const util::ContentHash& hash) {
    auto& find = m_store->stored_hash_lookup();
    find.bind(1, m_endpoint).bind_static(2, copy.identifier).bind_static(3, m_prefix);
    bool same = false;
    if (find.step()) {
        auto stored = find.blob(0);
        same = std::equal(stored.begin(), stored.end(), hash.begin(), hash.end());
    }
    find.reset();
    return same;
}

bool PageWriter::is_unchanged(const RecordCopy& copy) {
    // Read on the read connection, outside any transaction (WAL: no lock), while another thread
    // may be committing the previous page; write() checks again inside the transaction. A
    // stale answer (a record repeated in the page or in the page being committed) costs at
    // most a normalization done for nothing or done later, at write time: never a wrong row.
    return stored_hash_equals(copy, fingerprint(copy).hash);
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
    m_store->m_db->exec("BEGIN IMMEDIATE");
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

std::string PageWriter::pack_metadata(const RecordCopy& copy) {
    if (copy.deleted || copy.metadata.empty()) {
        return {};
    }
    return packer().pack(detail::PackedKind::metadata, copy.metadata, m_dictionaries);
}

std::string PageWriter::pack_json(const std::string& json) {
    return packer().pack(detail::PackedKind::json, json, m_dictionaries);
}

detail::ScopePacker& PageWriter::packer() {
    // At the first write, on the thread that holds the write connection: a harvest that finds
    // nothing new neither reads the dictionaries nor opens the read connection for them.
    if (!m_packer) {
        m_packer = m_store->packer(m_endpoint, m_prefix);
    }
    return *m_packer;
}

void PageWriter::save_dictionaries() {
    auto& save = m_store->m_stmts->save_dictionary;
    for (const auto& d : m_dictionaries) {
        save.bind(1, std::int64_t{d->id()})
            .bind(2, m_endpoint)
            .bind_static(3, m_prefix)
            .bind(4, detail::kind_name(d->kind()))
            .bind(5, d->samples())
            .bind_static(6, m_now)
            .bind_blob_static(7, d->bytes())
            .run();
    }
}

void PageWriter::write_run_counts(const RunEvents& events) {
    auto& s = *m_store->m_stmts;
    s.add_page_to_run.bind(1, m_run)
        .bind(2, m_counts.records_new)
        .bind(3, m_counts.records_updated)
        .bind(4, m_counts.records_unchanged)
        .bind(5, m_counts.records_deleted)
        .bind(6, m_counts.unreadable_records)
        .bind(7, events.retries)
        .bind(8, events.token_restarts)
        .bind(9, events.repaired_characters)
        .bind(10, m_counts.records_stale)
        .bind(11, m_counts.records_kept_metadata)
        .run();
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
        // Any time before COMMIT will do: nothing refers to a dictionary but the frames' headers.
        save_dictionaries();
        if (also) {
            also();
        }
        write_run_counts(events);
        m_store->m_db->exec("COMMIT");
    } catch (...) {
        if (m_in_transaction) {
            m_in_transaction = false;
            roll_back(*m_store->m_db);
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
        auto& s = *m_store->m_stmts;
        auto bind_int = [&](int index, const std::optional<std::int64_t>& value) {
            value ? s.save_scope.bind(index, *value) : s.save_scope.bind_null(index);
        };
        s.save_scope.bind(1, next.id)
            .bind(2, next.next_from)
            .bind(4, next.list_started)
            .bind(5, next.list_from)
            .bind(6, next.list_until)
            .bind(7, next.pending_token)
            .bind(10, next.list_pages)
            .bind(11, next.list_records)
            .bind(12, next.list_newest);
        if (end.next) {
            s.save_scope.bind_null(3);
        } else {
            s.save_scope.bind_static(3, m_now);
        }
        bind_int(8, next.pending_cursor);
        bind_int(9, next.complete_list_size);
        s.save_scope.run();
    });
    scope = std::move(next);
}

}  // namespace oaiharvest::store
