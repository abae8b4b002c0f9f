#pragma once
// An index over a Repository for answering requests: records in eprint-number order, by
// identifier, and the set keys ("types", "status", "subjects") EPrints validates a set against.
// Holds pointers into the repository, which must outlive it unchanged. Read-only after
// construction; thread-safe.

#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "sample/repository.hpp"

namespace oaiharvest::sample::detail {

class Catalog {
public:
    explicit Catalog(const Repository& repository);

    const Repository& repository() const { return *m_repository; }
    // Records by eprint number (identifiers without a trailing number go last, as given).
    const std::vector<const SampleRecord*>& in_order() const { return m_in_order; }
    // The record with that identifier, or nullptr.
    const SampleRecord* find(std::string_view identifier) const;
    const MetadataFormat* format(std::string_view prefix) const;
    // Whether EPrints would accept the set: its first part decodes to "<known key>=...".
    bool knows_set_key(std::string_view spec) const;

private:
    const Repository* m_repository;
    std::vector<const SampleRecord*> m_in_order;
    std::unordered_map<std::string_view, const SampleRecord*> m_by_identifier;
    std::set<std::string, std::less<>> m_set_keys;
};

// The set key EPrints reads from a setSpec ("74797065733D..." -> "types"); empty if none.
std::string set_key(std::string_view spec);

// Whether the record is in the set or below it (a record in "A:B" is also in "A").
bool in_set(const SampleRecord& record, std::string_view spec);

}  // namespace oaiharvest::sample::detail
