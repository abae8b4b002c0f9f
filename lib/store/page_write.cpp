// The writes of one record copy in a page's transaction: newest wins, deletions across formats,
// withdrawn records, and the catalogue (items_json and its child tables).
#include <algorithm>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "store/deleted_json.hpp"
#include "store/packing.hpp"
#include "store/page_rules.hpp"
#include "store/sets_json.hpp"
#include "store/sqlite.hpp"
#include "store/statements.hpp"
#include "store/store.hpp"
#include "util/hash.hpp"

namespace oaiharvest::store {
namespace {

using detail::older;

util::ContentHash content_hash(const RecordCopy& copy, const std::string& sets) {
    util::ContentHasher hasher;
    hasher.add(copy.deleted ? "deleted" : "live")
        .add(copy.datestamp)
        .add(sets)
        .add(copy.deleted ? std::string_view{} : std::string_view(copy.metadata));
    return hasher.digest();
}

// The header of `copy` as a deletion, with no metadata.
RecordCopy as_deletion(const RecordCopy& copy) {
    RecordCopy deletion;
    deletion.identifier = copy.identifier;
    deletion.datestamp = copy.datestamp;
    deletion.deleted = true;
    deletion.set_specs = copy.set_specs;
    return deletion;
}

}  // namespace

PageWriter::Fingerprint PageWriter::fingerprint(const RecordCopy& copy) {
    Fingerprint f;
    f.set_list = detail::sorted_sets(copy.set_specs);
    f.sets = nlohmann::json(f.set_list).dump();
    f.hash = content_hash(copy, f.sets);
    return f;
}

metadata::Envelope PageWriter::envelope(const RecordCopy& copy, const std::string& prefix,
                                        const std::vector<std::string>& sets) const {
    // A header datestamp that is not a date ("9999-99-99") stays in records.datestamp as sent,
    // but is never exported as one: the JSON's datestamp is null and its parse_error says why.
    return {m_endpoint_name,
            copy.identifier,
            detail::is_date(copy.datestamp) ? copy.datestamp : std::string(),
            copy.deleted,
            prefix,
            sets};
}

void PageWriter::catalogue(std::int64_t record_id, HeldRecord& held, bool existed) {
    auto& copy = held.copy;
    if (!copy.normalized) {
        if (!held.normalize) {
            throw std::logic_error("store: record " + copy.identifier +
                                   " changed and was put without a normalizer");
        }
        held.normalize(copy, m_endpoint_name, m_prefix);
        if (!copy.normalized) {
            throw std::logic_error("store: the normalizer left record " + copy.identifier +
                                   " without its normalized form");
        }
    }
    if (!held.packed_json) {
        held.packed_json = pack_json(copy.normalized->json);
    }
    const auto& description = copy.normalized->description;
    if (description.parse_error) {
        ++m_counts.unreadable_records;
    }
    m_store->m_stmts->catalogue.replace(record_id,
                                        envelope(copy, m_prefix, held.fingerprint.set_list),
                                        description, *held.packed_json, existed);
}

void PageWriter::catalogue_deleted(std::int64_t record_id, const std::string& prefix,
                                   const RecordCopy& deletion,
                                   const std::vector<std::string>& set_list, bool has_metadata,
                                   bool existed, bool count_unreadable) {
    auto& s = *m_store->m_stmts;
    const auto entry = envelope(deletion, prefix, set_list);
    if (has_metadata) {
        s.read_json.bind(1, record_id);
        std::optional<detail::DeletedJson> patched;
        if (s.read_json.step() && !s.read_json.is_null(0)) {
            patched = detail::deleted_json(s.read_json.text(0), entry, deletion.datestamp);
        }
        s.read_json.reset();
        if (patched) {
            if (count_unreadable && patched->unreadable) {
                ++m_counts.unreadable_records;
            }
            // The names, subjects, files ... and the year stay: they are the kept metadata's.
            s.catalogue.mark_deleted(record_id, pack_json(patched->json));
            return;
        }
        // No record JSON stored with the metadata (never so in a mirror this binary wrote): the
        // row is kept as its header.
    }
    metadata::Description description;
    description.parse_error = datestamp_error(deletion.datestamp);
    if (count_unreadable && description.parse_error) {
        ++m_counts.unreadable_records;
    }
    s.catalogue.replace(record_id, entry, description,
                        pack_json(metadata::to_json_text(entry, description)), existed);
}

RecordChange PageWriter::write(HeldRecord& held) {
    auto& s = *m_store->m_stmts;
    const auto& copy = held.copy;
    // Packed here only when the put() did not (a record that looked unchanged then, or written
    // through), and only once it is known to be written.
    auto packed = [&]() -> const std::string& {
        if (!held.packed_metadata) {
            held.packed_metadata = pack_metadata(copy);
        }
        return *held.packed_metadata;
    };
    const auto& [set_list, sets, hash] = held.fingerprint;

    s.find_record.bind(1, m_endpoint).bind_static(2, copy.identifier).bind_static(3, m_prefix);
    if (!s.find_record.step()) {
        s.find_record.reset();
        std::optional<std::string> deletion;
        if (!copy.deleted) {
            // A deletion harvested in another format applies here too, until a newer copy.
            deletion = newest_deletion_elsewhere(copy.identifier);
            if (deletion && !older(copy.datestamp, *deletion)) {
                deletion.reset();
            }
        }
        const bool withdrawn = is_withdrawn(copy);
        s.insert_record.bind(1, m_endpoint)
            .bind_static(2, copy.identifier)
            .bind_static(3, m_prefix)
            .bind_static(4, copy.datestamp)
            .bind(5, std::int64_t{copy.deleted ? 1 : 0})
            .bind_static(6, sets)
            .bind_blob(8, hash)
            .bind_static(9, m_now);
        if (copy.deleted || withdrawn) {
            s.insert_record.bind_null(7);  // a tombstone: never seen live here
        } else {
            s.insert_record.bind_blob_static(7, packed());
        }
        s.insert_record.run();
        const std::int64_t id = m_store->m_db->last_insert_rowid();
        if (withdrawn) {
            withdraw(id, copy, held.fingerprint, false, false);
            return RecordChange::deleted;
        }
        catalogue(id, held, false);
        if (deletion) {
            // Kept as that deletion, so that it is not asked for again and again: the copy is
            // older than the record's deletion.
            auto deleted = as_deletion(copy);
            deleted.datestamp = *deletion;
            mark_row_deleted(id, m_prefix, sets, !copy.metadata.empty(), deleted);
            ++m_counts.records_stale;
            return RecordChange::stale;
        }
        if (copy.deleted) {
            apply_deletion_elsewhere(copy);
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
    std::string stored_sets(s.find_record.text(6));
    s.find_record.reset();

    if (same) {
        // Costs no write: an overlap or a reconcile re-lists many unchanged records.
        ++m_counts.records_unchanged;
        return RecordChange::unchanged;
    }
    // A record a reconcile found gone holds no newer content than what the server lists now
    // (restored from a backup, say): any copy it lists brings it back.
    if (!gone && older(copy.datestamp, stored_datestamp)) {
        ++m_counts.records_stale;
        return RecordChange::stale;
    }
    auto has_stored_metadata = [&] {
        s.read_metadata.bind(1, id);
        const bool has = s.read_metadata.step() && !s.read_metadata.is_null(0) &&
                         !s.read_metadata.text(0).empty();
        s.read_metadata.reset();
        return has;
    };
    if (is_withdrawn(copy)) {
        withdraw(id, copy, held.fingerprint, has_stored_metadata(), true);
        return RecordChange::deleted;
    }
    if (copy.deleted) {
        // The last known metadata stays; only the header says it is gone. A deleted header
        // often carries no setSpecs (EPrints sends none): the record then stays in the sets it
        // was last known in, so that a harvest of one of them from the mirror (oaiharvest
        // serve) sees the deletion.
        const bool keep_sets = copy.set_specs.empty();
        const std::string& deleted_sets = keep_sets ? stored_sets : sets;
        s.mark_deleted.bind(1, id)
            .bind_static(2, copy.datestamp)
            .bind_static(3, deleted_sets)
            .bind_blob(4, hash)
            .bind_static(5, m_now)
            .run();
        catalogue_deleted(id, m_prefix, copy,
                          keep_sets ? detail::parse_sets(stored_sets) : set_list,
                          has_stored_metadata(), true, true);
        apply_deletion_elsewhere(copy);
        if (was_deleted) {
            ++m_counts.records_updated;
            return RecordChange::updated;
        }
        ++m_counts.records_deleted;
        return RecordChange::deleted;
    }
    s.update_record.bind(1, id)
        .bind_static(2, copy.datestamp)
        .bind_static(3, sets)
        .bind_blob_static(4, packed())
        .bind_blob(5, hash)
        .bind_static(6, m_now)
        .run();
    catalogue(id, held, true);
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

void PageWriter::apply_deletion_elsewhere(const RecordCopy& deletion) {
    auto& s = *m_store->m_stmts;
    struct Row {
        std::int64_t id;
        std::string prefix;
        std::string sets;
        bool has_metadata;
        bool counted;
    };
    std::vector<Row> rows;
    s.other_formats.bind(1, m_endpoint)
        .bind_static(2, deletion.identifier)
        .bind_static(3, m_prefix);
    while (s.other_formats.step()) {
        std::string datestamp(s.other_formats.text(2));
        bool deleted = s.other_formats.int64(3) != 0;
        bool gone = s.other_formats.int64(6) != 0;
        // A newer copy in that format outranks this deletion; one deleted at the same time
        // already says so.
        if (older(deletion.datestamp, datestamp) ||
            (deleted && !gone && datestamp == deletion.datestamp)) {
            continue;
        }
        // A row already holding the server's deletion, at an older date, takes this one's date
        // (newest wins: a lagging copy dated between the two is then stale) but is not counted:
        // the record was deleted in that format already, and counting it again would report
        // one deletion twice. A mirror served by oaiharvest dates each format's copy of a
        // deletion when it wrote that copy, often a second apart (issue 14). A row found gone
        // or withdrawn becomes the server's deletion, and counts as one, as before.
        rows.push_back({s.other_formats.int64(0), std::string(s.other_formats.text(1)),
                        std::string(s.other_formats.text(4)),
                        !s.other_formats.is_null(5) && !s.other_formats.text(5).empty(),
                        !deleted || gone});
    }
    s.other_formats.reset();
    for (const auto& row : rows) {
        mark_row_deleted(row.id, row.prefix, row.sets, row.has_metadata, deletion);
        if (row.counted) {
            ++m_counts.records_deleted;
        }
    }
}

void PageWriter::mark_row_deleted(std::int64_t id, const std::string& prefix,
                                  const std::string& sets_json, bool has_metadata,
                                  const RecordCopy& deletion) {
    auto& s = *m_store->m_stmts;
    // Stored with the row's own sets: what stays known of the record in that format.
    auto header = as_deletion(deletion);
    header.set_specs.clear();
    auto set_list = nlohmann::json::parse(sets_json, nullptr, false);
    if (set_list.is_array()) {
        for (const auto& spec : set_list) {
            if (spec.is_string()) {
                header.set_specs.push_back(spec.get<std::string>());
            }
        }
    }
    auto print = fingerprint(header);
    s.mark_deleted.bind(1, id)
        .bind_static(2, header.datestamp)
        .bind_static(3, print.sets)
        .bind_blob(4, print.hash)
        .bind_static(5, m_now)
        .run();
    catalogue_deleted(id, prefix, header, print.set_list, has_metadata, true, false);
}

bool PageWriter::is_withdrawn(const RecordCopy& copy) {
    return !copy.deleted && copy.metadata.empty() && !copy.dropped;
}

void PageWriter::withdraw(std::int64_t id, const RecordCopy& copy, const Fingerprint& fingerprint,
                          bool has_metadata, bool existed) {
    auto& s = *m_store->m_stmts;
    s.mark_withdrawn.bind(1, id)
        .bind_static(2, copy.datestamp)
        .bind_static(3, fingerprint.sets)
        .bind_blob(4, fingerprint.hash)
        .bind_static(5, m_now)
        .run();
    catalogue_deleted(id, m_prefix, as_deletion(copy), fingerprint.set_list, has_metadata, existed,
                      true);
    ++m_counts.records_kept_metadata;
}

}  // namespace oaiharvest::store
