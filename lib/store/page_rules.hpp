#pragma once
// The rules a page's writes share (page.cpp, page_write.cpp). Internal to the store.

#include <algorithm>
#include <string>
#include <vector>

#include "util/time.hpp"

namespace oaiharvest::store::detail {

// Newest wins: true when both are dates and `copy` is strictly older than `stored`. A datestamp
// that is not a date decides nothing: the copy is stored, as before this rule.
inline bool older(const std::string& copy, const std::string& stored) {
    auto a = util::parse_utc(copy);
    auto b = util::parse_utc(stored);
    return a && b && *a < *b;
}

inline bool is_date(const std::string& datestamp) {
    return util::parse_utc(datestamp).has_value();
}

// Servers list a record's sets in varying order (EPrints does), so they are kept sorted: the
// same sets never look like a change.
inline std::vector<std::string> sorted_sets(const std::vector<std::string>& set_specs) {
    std::vector<std::string> sorted = set_specs;
    std::sort(sorted.begin(), sorted.end());
    sorted.erase(std::unique(sorted.begin(), sorted.end()), sorted.end());
    return sorted;
}

}  // namespace oaiharvest::store::detail
