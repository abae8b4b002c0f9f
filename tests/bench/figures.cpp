#include "figures.hpp"

#include <algorithm>
#include <cmath>
#include <iostream>

namespace oaiharvest::bench {

void Figures::add(const std::string& name, const std::string& unit, double value) {
    auto it = std::find_if(m_series.begin(), m_series.end(),
                           [&](const Series& s) { return s.name == name; });
    if (it == m_series.end()) {
        m_series.push_back({name, unit, {}});
        it = m_series.end() - 1;
    }
    it->values.push_back(value);
}

std::optional<double> Figures::median(const std::string& name) const {
    for (const auto& s : m_series) {
        if (s.name == name && !s.values.empty()) {
            return median_of(s.values);
        }
    }
    return std::nullopt;
}

void Figures::fail(const std::string& what) {
    std::cerr << "oaiharvest-bench: CHECK FAILED: " << what << "\n";
    m_failures.push_back(what);
}

void Figures::note(const std::string& what) {
    if (std::find(m_notes.begin(), m_notes.end(), what) == m_notes.end()) {
        std::cerr << "oaiharvest-bench: " << what << "\n";
        m_notes.push_back(what);
    }
}

double median_of(std::vector<double> values) {
    if (values.empty()) {
        return 0;
    }
    std::sort(values.begin(), values.end());
    const std::size_t middle = values.size() / 2;
    return values.size() % 2 == 1 ? values[middle] : (values[middle - 1] + values[middle]) / 2;
}

double percentile_of(std::vector<double> values, double p) {
    if (values.empty()) {
        return 0;
    }
    std::sort(values.begin(), values.end());
    auto rank = static_cast<std::size_t>(std::ceil(p / 100.0 * static_cast<double>(values.size())));
    return values[std::clamp<std::size_t>(rank, 1, values.size()) - 1];
}

}  // namespace oaiharvest::bench
