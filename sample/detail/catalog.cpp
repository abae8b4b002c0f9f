#include "sample/detail/catalog.hpp"

#include <algorithm>
#include <limits>

#include "sample/detail/text.hpp"

namespace oaiharvest::sample::detail {

Catalog::Catalog(const Repository& repository) : m_repository(&repository) {
    m_in_order.reserve(repository.records.size());
    for (const auto& record : repository.records) {
        m_in_order.push_back(&record);
        m_by_identifier.emplace(record.identifier, &record);
    }
    auto number = [](const SampleRecord* record) {
        return eprint_number(record->identifier).value_or(std::numeric_limits<std::size_t>::max());
    };
    std::stable_sort(
        m_in_order.begin(), m_in_order.end(),
        [&](const SampleRecord* a, const SampleRecord* b) { return number(a) < number(b); });
    for (const auto& set : repository.sets) {
        m_set_keys.insert(set_key(set.spec));
    }
}

const SampleRecord* Catalog::find(std::string_view identifier) const {
    auto it = m_by_identifier.find(identifier);
    return it == m_by_identifier.end() ? nullptr : it->second;
}

const MetadataFormat* Catalog::format(std::string_view prefix) const {
    for (const auto& format : m_repository->formats) {
        if (format.prefix == prefix) {
            return &format;
        }
    }
    return nullptr;
}

bool Catalog::knows_set_key(std::string_view spec) const {
    std::string key = set_key(spec);
    return !key.empty() && m_set_keys.contains(key);
}

std::string set_key(std::string_view spec) {
    auto decoded = hex_decode(spec.substr(0, spec.find(':')));
    if (!decoded) {
        return {};
    }
    return decoded->substr(0, decoded->find('='));
}

bool in_set(const SampleRecord& record, std::string_view spec) {
    return std::any_of(record.sets.begin(), record.sets.end(), [&](const std::string& own) {
        return own == spec ||
               (own.size() > spec.size() && own.starts_with(spec) && own[spec.size()] == ':');
    });
}

}  // namespace oaiharvest::sample::detail
