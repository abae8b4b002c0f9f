// The writes of one record copy in a page's transaction: newest wins, deletions across formats,
// withdrawn records, and the catalogue (items_json and its child tables).
#include <algorithm>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "store/deleted_json.hpp"
#include "store/page_rows.hpp"
#include "store/page_rules.hpp"
#include "store/sets_json.hpp"
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
    if (!held.encoded_json) {
        held.encoded_json = m_rows->encode_json(copy.normalized->json);
    }
    const auto& description = copy.normalized->description;
    if (description.parse_error) {
        ++m_counts.unreadable_records;
    }
    m_rows->catalogue(record_id, envelope(copy, m_prefix, held.fingerprint.set_list), description,
                      *held.encoded_json, existed);
}

void PageWriter::catalogue_deleted(std::int64_t record_id, const std::string& prefix,
                                   const RecordCopy& deletion,
                                   const std::vector<std::string>& set_list, bool has_metadata,
                                   bool existed, bool count_unreadable) {
    const auto entry = envelope(deletion, prefix, set_list);
    if (has_metadata) {
        std::optional<detail::DeletedJson> patched;
        if (auto stored = m_rows->read_json(record_id)) {
            patched = detail::deleted_json(*stored, entry, deletion.datestamp);
        }
        if (patched) {
            if (count_unreadable && patched->unreadable) {
                ++m_counts.unreadable_records;
            }
            // The names, subjects, files ... and the year stay: they are the kept metadata's.
            m_rows->catalogue_deleted(record_id, m_rows->encode_json(patched->json));
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
    m_rows->catalogue(record_id, entry, description,
                      m_rows->encode_json(metadata::to_json_text(entry, description)), existed);
}

RecordChange PageWriter::write(HeldRecord& held) {
    const auto& copy = held.copy;
    // Encoded only once it is known to be written.
    auto encoded = [&]() -> const std::string& {
        if (!held.encoded_metadata) {
            held.encoded_metadata = copy.deleted || copy.metadata.empty()
                                        ? std::string()
                                        : m_rows->encode_metadata(copy.metadata);
        }
        return *held.encoded_metadata;
    };
    const auto& [set_list, sets, hash] = held.fingerprint;
    const detail::RowHeader header{copy.datestamp, sets, hash, m_now};

    auto stored = m_rows->find(copy.identifier);
    if (!stored) {
        std::optional<std::string> deletion;
        if (!copy.deleted) {
            // A deletion harvested in another format applies here too, until a newer copy.
            deletion = newest_deletion_elsewhere(copy.identifier);
            if (deletion && !older(copy.datestamp, *deletion)) {
                deletion.reset();
            }
        }
        const bool withdrawn = is_withdrawn(copy);
        const std::int64_t id = m_rows->insert(copy.identifier, copy.deleted, header,
                                               copy.deleted || withdrawn ? nullptr : &encoded());
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
    const std::int64_t id = stored->id;
    if (stored->hash == hash) {
        // Costs no write: an overlap or a reconcile re-lists many unchanged records.
        ++m_counts.records_unchanged;
        return RecordChange::unchanged;
    }
    // A record a reconcile found gone holds no newer content than what the server lists now
    // (restored from a backup, say): any copy it lists brings it back.
    if (!stored->gone && older(copy.datestamp, stored->datestamp)) {
        ++m_counts.records_stale;
        return RecordChange::stale;
    }
    if (is_withdrawn(copy)) {
        withdraw(id, copy, held.fingerprint, m_rows->has_metadata(id), true);
        return RecordChange::deleted;
    }
    if (copy.deleted) {
        // The last known metadata stays; only the header says it is gone. A deleted header
        // often carries no setSpecs (EPrints sends none): the record then stays in the sets it
        // was last known in, so that a harvest of one of them from the mirror (oaiharvest
        // serve) sees the deletion.
        const bool keep_sets = copy.set_specs.empty();
        const std::string& deleted_sets = keep_sets ? stored->sets : sets;
        m_rows->mark_deleted(id, {copy.datestamp, deleted_sets, hash, m_now});
        catalogue_deleted(id, m_prefix, copy,
                          keep_sets ? detail::parse_sets(stored->sets) : set_list,
                          m_rows->has_metadata(id), true, true);
        apply_deletion_elsewhere(copy);
        if (stored->deleted) {
            ++m_counts.records_updated;
            return RecordChange::updated;
        }
        ++m_counts.records_deleted;
        return RecordChange::deleted;
    }
    m_rows->update(id, header, encoded());
    catalogue(id, held, true);
    ++m_counts.records_updated;
    return RecordChange::updated;
}

std::optional<std::string> PageWriter::newest_deletion_elsewhere(const std::string& identifier) {
    std::optional<std::string> newest;
    for (auto& datestamp : m_rows->deletions_elsewhere(identifier)) {
        if (!newest || older(*newest, datestamp)) {
            newest = std::move(datestamp);
        }
    }
    return newest;
}

void PageWriter::apply_deletion_elsewhere(const RecordCopy& deletion) {
    for (const auto& row : m_rows->other_formats(deletion.identifier)) {
        // A newer copy in that format outranks this deletion; one deleted at the same time
        // already says so.
        if (older(deletion.datestamp, row.datestamp) ||
            (row.deleted && !row.gone && row.datestamp == deletion.datestamp)) {
            continue;
        }
        // A row already holding the server's deletion, at an older date, takes this one's date
        // (newest wins: a lagging copy dated between the two is then stale) but is not counted:
        // the record was deleted in that format already, and counting it again would report
        // one deletion twice. A mirror served by oaiharvest dates each format's copy of a
        // deletion when it wrote that copy, often a second apart (issue 14). A row found gone
        // or withdrawn becomes the server's deletion, and counts as one, as before.
        mark_row_deleted(row.id, row.prefix, row.sets, row.has_metadata, deletion);
        if (!row.deleted || row.gone) {
            ++m_counts.records_deleted;
        }
    }
}

void PageWriter::mark_row_deleted(std::int64_t id, const std::string& prefix,
                                  const std::string& sets_json, bool has_metadata,
                                  const RecordCopy& deletion) {
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
    m_rows->mark_deleted(id, {header.datestamp, print.sets, print.hash, m_now});
    catalogue_deleted(id, prefix, header, print.set_list, has_metadata, true, false);
}

bool PageWriter::is_withdrawn(const RecordCopy& copy) {
    return !copy.deleted && copy.metadata.empty() && !copy.dropped;
}

void PageWriter::withdraw(std::int64_t id, const RecordCopy& copy, const Fingerprint& fingerprint,
                          bool has_metadata, bool existed) {
    m_rows->mark_withdrawn(id, {copy.datestamp, fingerprint.sets, fingerprint.hash, m_now});
    catalogue_deleted(id, m_prefix, as_deletion(copy), fingerprint.set_list, has_metadata, existed,
                      true);
    ++m_counts.records_kept_metadata;
}

}  // namespace oaiharvest::store
