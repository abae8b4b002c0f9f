#include "scheduler/schedule.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <stdexcept>
#include <utility>

#include "scheduler/detail/local_time.hpp"
#include "util/units.hpp"

namespace oaiharvest::scheduler {
namespace {

using namespace std::chrono_literals;

struct Macro {
    std::string_view name;
    std::string_view fields;
};

constexpr std::array<Macro, 7> k_macros{{
    {"@hourly", "0 * * * *"},
    {"@daily", "0 0 * * *"},
    {"@midnight", "0 0 * * *"},
    {"@weekly", "0 0 * * 0"},
    {"@monthly", "0 0 1 * *"},
    {"@yearly", "0 0 1 1 *"},
    {"@annually", "0 0 1 1 *"},
}};

constexpr auto k_shortest_interval = 1s;
// Longer would be a calendar schedule in disguise, and t + D must stay inside system_clock.
constexpr auto k_longest_interval = std::chrono::days{366};

std::string_view trim(std::string_view text) {
    while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) {
        text.remove_prefix(1);
    }
    while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) {
        text.remove_suffix(1);
    }
    return text;
}

std::string lower(std::string_view text) {
    std::string result{text};
    for (auto& c : result) {
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    return result;
}

std::expected<std::chrono::milliseconds, std::string> parse_every(std::string_view argument) {
    if (argument.empty()) {
        return std::unexpected{std::string{"@every needs a duration, e.g. \"@every 6h\""}};
    }
    const auto interval = util::parse_duration(argument);
    if (!interval) {
        return std::unexpected{"@every '" + std::string{argument} +
                               "' is not a duration (e.g. 90s, 6h, 1h30m)"};
    }
    if (*interval < k_shortest_interval) {
        return std::unexpected{"@every " + std::string{argument} +
                               " is shorter than the minimum 1s"};
    }
    if (*interval > k_longest_interval) {
        return std::unexpected{"@every " + std::string{argument} +
                               " is longer than the maximum 366d"};
    }
    return *interval;
}

}  // namespace

Schedule::Schedule(std::string text, detail::CronFields fields, std::chrono::milliseconds every)
    : m_text{std::move(text)}, m_fields{fields}, m_every{every} {}

std::expected<Schedule, std::string> Schedule::parse(std::string_view text) {
    const auto expression = trim(text);
    if (expression.empty()) {
        return std::unexpected{std::string{"empty schedule"}};
    }
    std::string_view fields = expression;
    if (expression.front() == '@') {
        const auto space = expression.find_first_of(" \t");
        const auto name = lower(expression.substr(0, space));
        const auto argument =
            space == std::string_view::npos ? std::string_view{} : trim(expression.substr(space));
        if (name == "@every") {
            auto interval = parse_every(argument);
            if (!interval) {
                return std::unexpected{interval.error()};
            }
            return Schedule{std::string{text}, {}, *interval};
        }
        const auto* macro = std::find_if(k_macros.begin(), k_macros.end(),
                                         [&](const Macro& m) { return m.name == name; });
        if (macro == k_macros.end() || !argument.empty()) {
            return std::unexpected{"unknown schedule '" + std::string{expression} +
                                   "': use 5 cron fields, @hourly, @daily, @midnight, @weekly, "
                                   "@monthly, @yearly, @annually or @every DURATION"};
        }
        fields = macro->fields;
    }
    auto parsed = detail::parse_cron_fields(fields);
    if (!parsed) {
        return std::unexpected{parsed.error()};
    }
    return Schedule{std::string{text}, *parsed, 0ms};
}

TimePoint Schedule::next_after(TimePoint t) const {
    using namespace std::chrono;
    if (m_every > 0ms) {
        return t + m_every;
    }
    const auto second = floor<seconds>(t);
    auto from = floor<minutes>(detail::to_local(second)) + 1min;
    // Only a fold makes a match fall at or before t (its first occurrence has passed), so this
    // runs at most once per matching minute of the folded hour.
    for (int attempt = 0; attempt < 24 * 60; ++attempt) {
        const auto match = detail::next_match(m_fields, from);
        if (!match) {
            break;
        }
        const auto at = detail::earliest_instant(local_seconds{*match});
        if (at > t) {
            return at;
        }
        from = *match + 1min;
    }
    throw std::logic_error{"schedule '" + m_text + "' found no run time"};
}

std::optional<std::chrono::milliseconds> Schedule::interval() const {
    if (m_every > std::chrono::milliseconds{0}) {
        return m_every;
    }
    return std::nullopt;
}

}  // namespace oaiharvest::scheduler
