#include <algorithm>
#include <nlohmann/json.hpp>

#include "metadata/metadata.hpp"
#include "store/packing.hpp"
#include "store/sqlite.hpp"
#include "store/statements.hpp"
#include "store/store.hpp"
#include "util/hash.hpp"
#include "util/safe_text.hpp"
#include "util/time.hpp"

namespace oaiharvest::store {
namespace {

// Servers list a record's sets in varying order (EPrints does), so they are kept sorted: the
// same sets never look like a change.
std::vector<std::string> sorted_sets(const std::vector<std::string>& set_specs) {
    std::vector<std::string> sorted = set_specs;
    std::sort(sorted.begin(), sorted.end());
    sorted.erase(std::unique(sorted.begin(), sorted.end()), sorted.end());
    return sorted;
}

util::ContentHash content_hash(const oai::Record& record, const std::string& sets) {
    util::ContentHasher hasher;
    hasher.add(record.header.deleted ? "deleted" : "live")
        .add(record.header.datestamp)
        .add(sets)
        .add(record.header.deleted ? std::string_view{} : std::string_view(record.metadata));
    return hasher.digest();
}

// Newest wins: true when both are dates and `copy` is strictly older than `stored`. A datestamp
// that is not a date decides nothing: the copy is stored, as before this rule.
bool older(const std::string& copy, const std::string& stored) {
    auto a = util::parse_utc(copy);
    auto b = util::parse_utc(stored);
    return a && b && *a < *b;
}

// A header datestamp that is not a date ("9999-99-99") stays in records.datestamp as sent, but
// is never exported as one: the record JSON's datestamp is null and its parse_error says why
// (so the record is counted in unreadable_records).
bool is_date(const std::string& datestamp) {
    return util::parse_utc(datestamp).has_value();
}
void note_bad_datestamp(const oai::Record& record, metadata::Description& description) {
    if (!is_date(record.header.datestamp) && !description.parse_error) {
        description.parse_error = "the header's datestamp \"" +
                                  util::printable(record.header.datestamp) + "\" is not a date";
    }
}

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
      m_now(util::format_utc_seconds(util::now_utc())),
      m_packer(store.packer(scope.endpoint_id, scope.metadata_prefix)) {}

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

metadata::Envelope PageWriter::envelope(const oai::Record& record,
                                        const std::vector<std::string>& sets) const {
    return {m_endpoint_name,
            record.header.identifier,
            is_date(record.header.datestamp) ? record.header.datestamp : std::string(),
            record.header.deleted,
            m_prefix,
            sets};
}

void PageWriter::describe(std::int64_t record_id, const oai::Record& record,
                          const std::vector<std::string>& sets, std::string_view metadata,
                          const _xmlNode* tree, bool existed, const Catalogued* prepared) {
    auto entry = envelope(record, sets);
    std::optional<Catalogued> made;
    if (!prepared) {
        made.emplace();
        if (record.dropped) {
            made->description.parse_error = *record.dropped;  // kept as its header, counted
        } else if (tree != nullptr) {
            made->description = metadata::describe(*tree);
        } else if (!metadata.empty()) {
            made->description = metadata::describe(metadata);
        }
        note_bad_datestamp(record, made->description);
        made->json = pack_json(metadata::to_json_text(entry, made->description));
        prepared = &*made;
    }
    if (prepared->description.parse_error) {
        ++m_counts.unreadable_records;
    }
    m_store->m_stmts->catalogue.replace(record_id, entry, prepared->description, prepared->json,
                                        existed);
}

PageWriter::Fingerprint PageWriter::fingerprint(const oai::Record& record) {
    Fingerprint f;
    f.set_list = sorted_sets(record.header.set_specs);
    f.sets = nlohmann::json(f.set_list).dump();
    f.hash = content_hash(record, f.sets);
    return f;
}

bool PageWriter::changed_since_stored(const oai::Record& record, const Fingerprint& fingerprint) {
    auto& find = m_store->stored_hash_lookup();
    const auto& hash = fingerprint.hash;
    find.bind(1, m_endpoint).bind_static(2, record.header.identifier).bind_static(3, m_prefix);
    bool changed = true;
    if (find.step()) {
        auto stored = find.blob(0);
        changed = !std::equal(stored.begin(), stored.end(), hash.begin(), hash.end());
    }
    find.reset();
    return changed;
}

void PageWriter::put(const oai::Record& record) {
    ++m_received;
    // The newest datestamp becomes the saved point when the server sends no responseDate: one
    // dated in the future (a typo such as 2099) would make every later harvest ask from there
    // and get nothing, so this machine's clock caps it, as a sanity check only.
    if (auto t = util::parse_utc(record.header.datestamp);
        t && *t <= util::now_utc() + std::chrono::hours{24} &&
        (!m_newest || older(*m_newest, record.header.datestamp))) {
        m_newest = record.header.datestamp;
    }
    if (m_in_transaction) {
        write(record, fingerprint(record), nullptr, nullptr);
        return;
    }
    m_held_bytes += record.metadata.size() + record.header.identifier.size() + sizeof(record);
    HeldRecord held{record, fingerprint(record), {}, std::nullopt};
    // Read on the read connection, outside any transaction (WAL: no lock), while another thread
    // may be committing the previous page; write() checks again inside the transaction. A
    // stale answer (a record repeated in the page or in the page being committed) costs at
    // most a describe() done for nothing or done later, at write time: never a wrong row.
    if (!record.header.deleted && !record.metadata.empty() &&
        changed_since_stored(record, held.fingerprint)) {
        auto& prepared = held.prepared.emplace();
        const auto* tree = record.metadata_tree.root();
        prepared.description =
            tree ? metadata::describe(*tree) : metadata::describe(record.metadata);
        note_bad_datestamp(record, prepared.description);
        prepared.json = pack_json(metadata::to_json_text(
            envelope(record, held.fingerprint.set_list), prepared.description));
        held.packed_metadata = pack_metadata(record);
        m_held_bytes += prepared.json.size() + held.packed_metadata.size() +
                        record.metadata.size();  // the description is of the same order
    }
    m_held.push_back(std::move(held));
    if (m_held_bytes > k_held_bytes) {
        if (m_before_write_through) {
            m_before_write_through();
        }
        begin_transaction();
    }
}

void PageWriter::begin_transaction() {
    m_store->m_db->exec("BEGIN IMMEDIATE");
    m_in_transaction = true;
    // last_changed is what `export --since` filters on: stamp it as close to the commit as
    // possible, not when the page started downloading, so a reader polling with the time of its
    // last export misses nothing.
    m_now = util::format_utc_seconds(util::now_utc());
    for (const auto& held : m_held) {
        write(held.record, held.fingerprint, held.prepared ? &held.packed_metadata : nullptr,
              held.prepared ? &*held.prepared : nullptr);
    }
    m_held.clear();
    m_held.shrink_to_fit();
    m_held_bytes = 0;
}

std::string PageWriter::pack_metadata(const oai::Record& record) {
    if (record.header.deleted || record.metadata.empty()) {
        return {};
    }
    return m_packer->pack(detail::PackedKind::metadata, record.metadata, m_dictionaries);
}

std::string PageWriter::pack_json(const std::string& json) {
    return m_packer->pack(detail::PackedKind::json, json, m_dictionaries);
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

RecordChange PageWriter::write(const oai::Record& record, const Fingerprint& fingerprint,
                               const std::string* packed_metadata, const Catalogued* prepared) {
    auto& s = *m_store->m_stmts;
    // Packed here only when the put() did not (a record that looked unchanged then, or written
    // through), and only once it is known to be written.
    std::string packed_here;
    auto packed = [&]() -> const std::string& {
        if (!packed_metadata) {
            packed_here = pack_metadata(record);
            packed_metadata = &packed_here;
        }
        return *packed_metadata;
    };
    const auto& header = record.header;
    const auto& [set_list, sets, hash] = fingerprint;

    s.find_record.bind(1, m_endpoint).bind_static(2, header.identifier).bind_static(3, m_prefix);
    if (!s.find_record.step()) {
        s.find_record.reset();
        std::optional<std::string> deletion;
        if (!header.deleted) {
            // A deletion harvested in another format applies here too, until a newer copy.
            deletion = newest_deletion_elsewhere(header.identifier);
            if (deletion && !older(header.datestamp, *deletion)) {
                deletion.reset();
            }
        }
        const bool withdrawn = is_withdrawn(record);
        s.insert_record.bind(1, m_endpoint)
            .bind_static(2, header.identifier)
            .bind_static(3, m_prefix)
            .bind_static(4, header.datestamp)
            .bind(5, std::int64_t{header.deleted ? 1 : 0})
            .bind_static(6, sets)
            .bind_blob(8, hash)
            .bind_static(9, m_now);
        if (header.deleted || withdrawn) {
            s.insert_record.bind_null(7);  // a tombstone: never seen live here
        } else {
            s.insert_record.bind_blob_static(7, packed());
        }
        s.insert_record.run();
        const std::int64_t id = m_store->m_db->last_insert_rowid();
        if (withdrawn) {
            withdraw(id, record, fingerprint, "", false);
            return RecordChange::deleted;
        }
        describe(id, record, set_list,
                 header.deleted ? std::string_view{} : std::string_view(record.metadata),
                 header.deleted ? nullptr : record.metadata_tree.root(), false, prepared);
        if (deletion) {
            // Kept as that deletion, so that it is not asked for again and again: the copy is
            // older than the record's deletion.
            oai::Record deleted;
            deleted.header = header;
            deleted.header.deleted = true;
            deleted.header.datestamp = *deletion;
            mark_row_deleted(id, m_prefix, sets, record.metadata, deleted);
            ++m_counts.records_stale;
            return RecordChange::stale;
        }
        if (header.deleted) {
            apply_deletion_elsewhere(record);
            ++m_counts.records_deleted;
            return RecordChange::deleted;
        }
        ++m_counts.records_new;
        return RecordChange::added;
    }
    std::int64_t id = s.find_record.int64(0);
    auto stored_hash = s.find_record.blob(1);
    bool same = std::equal(stored_hash.begin(), stored_hash.end(), hash.begin(), hash.end());
    bool was_deleted = s.find_record.int64(2) != 0;
    std::string stored_datestamp(s.find_record.text(3));
    bool gone = s.find_record.int64(5) != 0;
    s.find_record.reset();

    if (same) {
        // Costs no write: an overlap or a reconcile re-lists many unchanged records.
        ++m_counts.records_unchanged;
        return RecordChange::unchanged;
    }
    // A record a reconcile found gone holds no newer content than what the server lists now
    // (restored from a backup, say): any copy it lists brings it back.
    if (!gone && older(header.datestamp, stored_datestamp)) {
        ++m_counts.records_stale;
        return RecordChange::stale;
    }
    if (is_withdrawn(record)) {
        s.read_metadata.bind(1, id);
        std::string kept = s.read_metadata.step() && !s.read_metadata.is_null(0)
                               ? std::string(s.read_metadata.text(0))
                               : std::string();
        s.read_metadata.reset();
        withdraw(id, record, fingerprint, kept, true);
        return RecordChange::deleted;
    }
    if (header.deleted) {
        // The last known metadata stays; only the header says it is gone.
        s.mark_deleted.bind(1, id)
            .bind_static(2, header.datestamp)
            .bind_static(3, sets)
            .bind_blob(4, hash)
            .bind_static(5, m_now)
            .run();
        s.read_metadata.bind(1, id);
        std::string kept = s.read_metadata.step() ? std::string(s.read_metadata.text(0)) : "";
        s.read_metadata.reset();
        describe(id, record, set_list, kept, nullptr, true, nullptr);
        apply_deletion_elsewhere(record);
        if (was_deleted) {
            ++m_counts.records_updated;
            return RecordChange::updated;
        }
        ++m_counts.records_deleted;
        return RecordChange::deleted;
    }
    s.update_record.bind(1, id)
        .bind_static(2, header.datestamp)
        .bind_static(3, sets)
        .bind_blob_static(4, packed())
        .bind_blob(5, hash)
        .bind_static(6, m_now)
        .run();
    describe(id, record, set_list, record.metadata, record.metadata_tree.root(), true, prepared);
    ++m_counts.records_updated;
    return RecordChange::updated;
}

std::optional<std::string> PageWriter::newest_deletion_elsewhere(const std::string& identifier) {
    auto& find = m_store->m_stmts->deletions_elsewhere;
    find.bind(1, m_endpoint).bind_static(2, identifier).bind_static(3, m_prefix);
    std::optional<std::string> newest;
    while (find.step()) {
        std::string datestamp(find.text(0));
        if (!newest || older(*newest, datestamp)) {
            newest = std::move(datestamp);
        }
    }
    find.reset();
    return newest;
}

void PageWriter::apply_deletion_elsewhere(const oai::Record& deletion) {
    auto& s = *m_store->m_stmts;
    struct Row {
        std::int64_t id;
        std::string prefix;
        std::string sets;
        std::string metadata;
    };
    std::vector<Row> rows;
    s.other_formats.bind(1, m_endpoint)
        .bind_static(2, deletion.header.identifier)
        .bind_static(3, m_prefix);
    while (s.other_formats.step()) {
        std::string datestamp(s.other_formats.text(2));
        bool deleted = s.other_formats.int64(3) != 0;
        bool gone = s.other_formats.int64(6) != 0;
        // A newer copy in that format outranks this deletion; one deleted at the same time
        // already says so.
        if (older(deletion.header.datestamp, datestamp) ||
            (deleted && !gone && datestamp == deletion.header.datestamp)) {
            continue;
        }
        rows.push_back(
            {s.other_formats.int64(0), std::string(s.other_formats.text(1)),
             std::string(s.other_formats.text(4)),
             s.other_formats.is_null(5) ? std::string() : std::string(s.other_formats.text(5))});
    }
    s.other_formats.reset();
    for (const auto& row : rows) {
        mark_row_deleted(row.id, row.prefix, row.sets, row.metadata, deletion);
        ++m_counts.records_deleted;
    }
}

void PageWriter::mark_row_deleted(std::int64_t id, const std::string& prefix,
                                  const std::string& sets_json, const std::string& metadata,
                                  const oai::Record& deletion) {
    auto& s = *m_store->m_stmts;
    // Stored with the row's own sets: what stays known of the record in that format.
    oai::Record header;
    header.header = deletion.header;
    header.header.set_specs.clear();
    auto set_list = nlohmann::json::parse(sets_json, nullptr, false);
    if (set_list.is_array()) {
        for (const auto& spec : set_list) {
            if (spec.is_string()) {
                header.header.set_specs.push_back(spec.get<std::string>());
            }
        }
    }
    auto print = fingerprint(header);
    s.mark_deleted.bind(1, id)
        .bind_static(2, header.header.datestamp)
        .bind_static(3, print.sets)
        .bind_blob(4, print.hash)
        .bind_static(5, m_now)
        .run();
    metadata::Envelope entry{
        m_endpoint_name,
        header.header.identifier,
        is_date(header.header.datestamp) ? header.header.datestamp : std::string(),
        true,
        prefix,
        print.set_list};
    Catalogued made;
    if (!metadata.empty()) {
        made.description = metadata::describe(metadata);
    }
    note_bad_datestamp(header, made.description);
    made.json = pack_json(metadata::to_json_text(entry, made.description));
    s.catalogue.replace(id, entry, made.description, made.json, true);
}

bool PageWriter::is_withdrawn(const oai::Record& record) {
    return !record.header.deleted && record.metadata.empty() && !record.dropped;
}

void PageWriter::withdraw(std::int64_t id, const oai::Record& record,
                          const Fingerprint& fingerprint, const std::string& kept, bool existed) {
    auto& s = *m_store->m_stmts;
    s.mark_withdrawn.bind(1, id)
        .bind_static(2, record.header.datestamp)
        .bind_static(3, fingerprint.sets)
        .bind_blob(4, fingerprint.hash)
        .bind_static(5, m_now)
        .run();
    oai::Record as_deleted;
    as_deleted.header = record.header;
    as_deleted.header.deleted = true;
    describe(id, as_deleted, fingerprint.set_list, kept, nullptr, existed, nullptr);
    ++m_counts.records_kept_metadata;
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
            begin_transaction();  // writes the held records: the counts are known from here
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
            next.pending_token = end.next->value;
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
