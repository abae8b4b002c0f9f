#pragma once
// records.sets as stored (a JSON array of setSpec strings) read back. Internal to the store.

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace oaiharvest::store::detail {

// Anything that is not an array of strings reads as no sets.
inline std::vector<std::string> parse_sets(std::string_view json) {
    std::vector<std::string> sets;
    auto parsed = nlohmann::json::parse(json, nullptr, false);
    if (parsed.is_array()) {
        for (const auto& s : parsed) {
            if (s.is_string()) {
                sets.push_back(s.get<std::string>());
            }
        }
    }
    return sets;
}

}  // namespace oaiharvest::store::detail
