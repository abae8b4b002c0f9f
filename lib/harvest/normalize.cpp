#include "harvest/normalize.hpp"

#include <algorithm>

#include "metadata/metadata.hpp"
#include "util/time.hpp"

namespace oaiharvest::harvest {

store::RecordCopy copy_of(const oai::Record& record) {
    store::RecordCopy copy;
    copy.identifier = record.header.identifier;
    copy.datestamp = record.header.datestamp;
    copy.deleted = record.header.deleted;
    copy.set_specs = record.header.set_specs;
    copy.metadata = record.metadata;
    copy.dropped = record.dropped;
    return copy;
}

void normalize(store::RecordCopy& copy, const std::string& endpoint, const std::string& prefix,
               const _xmlNode* tree) {
    auto& made = copy.normalized.emplace();
    auto& description = made.description;
    if (copy.dropped) {
        description.parse_error = *copy.dropped;  // kept as its header, counted
    } else if (!copy.deleted) {
        if (tree != nullptr) {
            description = metadata::describe(*tree);
        } else if (!copy.metadata.empty()) {
            description = metadata::describe(copy.metadata);
        }
    }
    // A header datestamp that is not a date ("9999-99-99") is never exported as one: the JSON's
    // datestamp is null and its parse_error says why (so the record counts as unreadable).
    const bool is_date = util::parse_utc(copy.datestamp).has_value();
    if (!description.parse_error) {
        description.parse_error = store::datestamp_error(copy.datestamp);
    }
    // Sorted as the store keeps them: servers list a record's sets in varying order.
    std::vector<std::string> sets = copy.set_specs;
    std::sort(sets.begin(), sets.end());
    sets.erase(std::unique(sets.begin(), sets.end()), sets.end());
    metadata::Envelope envelope{
        endpoint,     copy.identifier, is_date ? copy.datestamp : std::string(),
        copy.deleted, prefix,          std::move(sets)};
    made.json = metadata::to_json_text(envelope, description);
}

void normalize_copy(store::RecordCopy& copy, const std::string& endpoint,
                    const std::string& prefix) {
    normalize(copy, endpoint, prefix, nullptr);
}

void put(store::PageWriter& page, const oai::Record& record) {
    auto copy = copy_of(record);
    if (!page.is_unchanged(copy)) {
        normalize(copy, page.endpoint_name(), page.metadata_prefix(),
                  record.header.deleted ? nullptr : record.metadata_tree.root());
    }
    page.put(std::move(copy), &normalize_copy);
}

std::optional<store::ListPosition> position_of(const std::optional<oai::ResumptionToken>& token) {
    if (!token) {
        return std::nullopt;
    }
    return store::ListPosition{token->value, token->cursor, token->complete_list_size};
}

store::RepositoryFacts facts_of(const oai::RepositoryInfo& info) {
    return {info.repository_name,
            info.protocol_version,
            info.granularity,
            info.earliest_datestamp,
            info.deleted_record,
            info.admin_emails.empty() ? std::string() : info.admin_emails.front()};
}

}  // namespace oaiharvest::harvest
