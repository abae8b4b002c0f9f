#pragma once
// What a benchmark run measured: named series of values (one per run), in the order first
// seen, and the checks that failed. Medians are what the report prints. Not thread-safe.

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace oaiharvest::bench {

struct Series {
    std::string name;  // "harvest records/s"
    std::string unit;
    std::vector<double> values;
};

class Figures {
public:
    void add(const std::string& name, const std::string& unit, double value);
    // The median of a series, or nullopt when nothing was added under that name.
    std::optional<double> median(const std::string& name) const;
    const std::vector<Series>& series() const { return m_series; }

    // A failed correctness check (counts, exit codes): printed, and the bench exits 1.
    void fail(const std::string& what);
    const std::vector<std::string>& failures() const { return m_failures; }
    // Something measured not at all, with why ("not installed", "daemon unavailable").
    void note(const std::string& what);
    const std::vector<std::string>& notes() const { return m_notes; }

private:
    std::vector<Series> m_series;
    std::vector<std::string> m_failures;
    std::vector<std::string> m_notes;
};

double median_of(std::vector<double> values);
// The p-th percentile (0..100), nearest rank.
double percentile_of(std::vector<double> values, double p);

}  // namespace oaiharvest::bench
