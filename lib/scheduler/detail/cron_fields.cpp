#include "scheduler/detail/cron_fields.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <cstdint>
#include <span>
#include <vector>

namespace oaiharvest::scheduler::detail {
namespace {

constexpr std::array<std::string_view, 12> k_month_names{"JAN", "FEB", "MAR", "APR", "MAY", "JUN",
                                                         "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"};
constexpr std::array<std::string_view, 7> k_day_names{"SUN", "MON", "TUE", "WED",
                                                      "THU", "FRI", "SAT"};

// One field's name, its range, and the names that may stand for its values.
struct FieldSpec {
    std::string_view name;
    int low;
    int high;
    std::span<const std::string_view> names = {};  // names[i] stands for low + i
    bool day_of_week = false;  // 7 is Sunday too, "*" means 0-6 and SUN may close a range
};

constexpr FieldSpec k_minute{"minute", 0, 59};
constexpr FieldSpec k_hour{"hour", 0, 23};
constexpr FieldSpec k_day_of_month{"day-of-month", 1, 31};
constexpr FieldSpec k_month{"month", 1, 12, k_month_names};
constexpr FieldSpec k_day_of_week{"day-of-week", 0, 7, k_day_names, true};

using Mask = std::uint64_t;
using Error = std::unexpected<std::string>;

std::string quoted(std::string_view text) {
    return "'" + std::string{text} + "'";
}

std::expected<int, std::string> parse_number(std::string_view text, std::string_view what) {
    int value = 0;
    const auto* end = text.data() + text.size();
    const auto [stop, error] = std::from_chars(text.data(), end, value);
    if (text.empty() || error != std::errc{} || stop != end) {
        return Error{std::string{what} + " " + quoted(text) + " is not a number"};
    }
    return value;
}

// A number or, where the field has names, a name (case-insensitive), checked against the range.
std::expected<int, std::string> parse_value(std::string_view text, const FieldSpec& field) {
    if (!field.names.empty() && !text.empty() &&
        std::isalpha(static_cast<unsigned char>(text[0]))) {
        for (std::size_t i = 0; i < field.names.size(); ++i) {
            const auto& name = field.names[i];
            bool same = text.size() == name.size();
            for (std::size_t c = 0; same && c < text.size(); ++c) {
                same = std::toupper(static_cast<unsigned char>(text[c])) == name[c];
            }
            if (same) {
                return field.low + static_cast<int>(i);
            }
        }
        return Error{std::string{field.name} + " " + quoted(text) + " is not a number " +
                     std::to_string(field.low) + "-" + std::to_string(field.high) + " or a name " +
                     std::string{field.names.front()} + "-" + std::string{field.names.back()}};
    }
    auto value = parse_number(text, field.name);
    if (value && (*value < field.low || *value > field.high)) {
        return Error{std::string{field.name} + " " + std::to_string(*value) + " is out of range " +
                     std::to_string(field.low) + "-" + std::to_string(field.high)};
    }
    return value;
}

// One list item: "*", "N", "N-M", each optionally "/STEP" ("N/STEP" meaning N to the end).
std::expected<Mask, std::string> parse_item(std::string_view item, const FieldSpec& field) {
    std::string_view range = item;
    int step = 1;
    bool has_step = false;
    if (const auto slash = item.find('/'); slash != std::string_view::npos) {
        range = item.substr(0, slash);
        const auto step_text = item.substr(slash + 1);
        auto parsed = parse_number(step_text, std::string{field.name} + " step");
        if (!parsed) {
            return Error{parsed.error()};
        }
        if (*parsed < 1) {
            return Error{std::string{field.name} + " step " + quoted(step_text) +
                         " must be at least 1"};
        }
        // A step past the field's end keeps only the first value; capping it keeps
        // `value += step` below from overflowing.
        step = std::min(*parsed, 64);
        has_step = true;
    }
    int low = field.low;
    int high = field.day_of_week ? 6 : field.high;
    if (range != "*") {
        const auto dash = range.find('-');
        if (dash == 0) {
            return Error{std::string{field.name} + " " + quoted(range) + " is not a number"};
        }
        auto first = parse_value(range.substr(0, dash), field);
        if (!first) {
            return Error{first.error()};
        }
        low = *first;
        if (dash != std::string_view::npos) {
            auto last = parse_value(range.substr(dash + 1), field);
            if (!last) {
                return Error{last.error()};
            }
            high = *last;
            // "FRI-SUN": Sunday may close a day-of-week range as 7.
            if (field.day_of_week && high == 0 && low > 0) {
                high = 7;
            }
            if (high < low) {
                return Error{std::string{field.name} + " range " + quoted(range) +
                             " runs backwards"};
            }
        } else if (!has_step) {
            high = low;
        }
    }
    Mask mask = 0;
    for (int value = low; value <= high; value += step) {
        mask |= Mask{1} << (field.day_of_week ? value % 7 : value);
    }
    return mask;
}

std::expected<Mask, std::string> parse_field(std::string_view text, const FieldSpec& field) {
    Mask mask = 0;
    std::size_t start = 0;
    while (true) {
        const auto comma = text.find(',', start);
        const auto item = text.substr(start, comma - start);
        if (item.empty()) {
            return Error{std::string{field.name} + " " + quoted(text) + " has an empty list item"};
        }
        auto bits = parse_item(item, field);
        if (!bits) {
            return bits;
        }
        mask |= *bits;
        if (comma == std::string_view::npos) {
            return mask;
        }
        start = comma + 1;
    }
}

std::vector<std::string_view> split_fields(std::string_view text) {
    std::vector<std::string_view> fields;
    std::size_t i = 0;
    while (i < text.size()) {
        while (i < text.size() && std::isspace(static_cast<unsigned char>(text[i]))) {
            ++i;
        }
        const auto start = i;
        while (i < text.size() && !std::isspace(static_cast<unsigned char>(text[i]))) {
            ++i;
        }
        if (i > start) {
            fields.push_back(text.substr(start, i - start));
        }
    }
    return fields;
}

// Day-of-month restricted, day-of-week "*": some chosen month must have a chosen day.
std::expected<void, std::string> check_can_run(const CronFields& fields,
                                               std::string_view day_of_month_text) {
    constexpr std::array<int, 13> k_longest_month{0,  31, 29, 31, 30, 31, 30,
                                                  31, 31, 30, 31, 30, 31};
    if (fields.any_day_of_month || !fields.any_day_of_week) {
        return {};
    }
    std::string months;
    for (int month = 1; month <= 12; ++month) {
        if (!fields.months[static_cast<std::size_t>(month)]) {
            continue;
        }
        for (int day = 1; day <= k_longest_month[static_cast<std::size_t>(month)]; ++day) {
            if (fields.days_of_month[static_cast<std::size_t>(day)]) {
                return {};
            }
        }
        months += (months.empty() ? "" : ", ") + std::string{k_month_names[month - 1]};
    }
    const bool one_day = fields.days_of_month.count() == 1;
    return std::unexpected{"never runs: " + std::string{one_day ? "day " : "days "} +
                           std::string{day_of_month_text} +
                           (one_day ? " does not occur in " : " do not occur in ") + months};
}

std::optional<std::size_t> next_bit(const auto& bits, std::size_t from) {
    for (auto i = from; i < bits.size(); ++i) {
        if (bits[i]) {
            return i;
        }
    }
    return std::nullopt;
}

}  // namespace

bool CronFields::matches_day(std::chrono::year_month_day day) const {
    const bool day_of_month_matches = days_of_month[static_cast<unsigned>(day.day())];
    const bool day_of_week_matches =
        days_of_week[std::chrono::weekday{std::chrono::sys_days{day}}.c_encoding()];
    if (!any_day_of_month && !any_day_of_week) {
        return day_of_month_matches || day_of_week_matches;
    }
    return day_of_month_matches && day_of_week_matches;
}

std::expected<CronFields, std::string> parse_cron_fields(std::string_view text) {
    const auto parts = split_fields(text);
    if (parts.size() != 5) {
        return Error{"expected 5 fields (minute hour day-of-month month day-of-week), got " +
                     std::to_string(parts.size())};
    }
    const std::array<const FieldSpec*, 5> specs{&k_minute, &k_hour, &k_day_of_month, &k_month,
                                                &k_day_of_week};
    std::array<Mask, 5> masks{};
    for (std::size_t i = 0; i < specs.size(); ++i) {
        auto mask = parse_field(parts[i], *specs[i]);
        if (!mask) {
            return Error{mask.error()};
        }
        masks[i] = *mask;
    }
    CronFields fields;
    fields.minutes = decltype(fields.minutes){masks[0]};
    fields.hours = decltype(fields.hours){masks[1]};
    fields.days_of_month = decltype(fields.days_of_month){masks[2]};
    fields.months = decltype(fields.months){masks[3]};
    fields.days_of_week = decltype(fields.days_of_week){masks[4]};
    fields.any_day_of_month = parts[2] == "*";
    fields.any_day_of_week = parts[4] == "*";
    if (auto can_run = check_can_run(fields, parts[2]); !can_run) {
        return Error{can_run.error()};
    }
    return fields;
}

std::optional<LocalMinutes> next_match(const CronFields& fields, LocalMinutes from) {
    using namespace std::chrono;
    const auto start_day = floor<days>(from);
    year_month_day day{start_day};
    auto minute_of_day = static_cast<std::size_t>((from - start_day).count());
    std::size_t hour = minute_of_day / 60;
    std::size_t minute = minute_of_day % 60;
    const auto next_day = [&] {
        day = year_month_day{local_days{day} + days{1}};
        hour = 0;
        minute = 0;
    };
    const auto last_year = day.year() + years{10};
    while (day.year() <= last_year) {
        if (!fields.months[static_cast<unsigned>(day.month())]) {
            day = year_month_day{day.year() / day.month() / 1} + std::chrono::months{1};
            hour = 0;
            minute = 0;
            continue;
        }
        if (!fields.matches_day(day)) {
            next_day();
            continue;
        }
        const auto match_hour = next_bit(fields.hours, hour);
        if (!match_hour) {
            next_day();
            continue;
        }
        if (*match_hour != hour) {
            hour = *match_hour;
            minute = 0;
        }
        const auto match_minute = next_bit(fields.minutes, minute);
        if (!match_minute) {
            ++hour;
            minute = 0;
            if (hour == 24) {
                next_day();
            }
            continue;
        }
        return local_days{day} + hours{static_cast<int>(hour)} +
               minutes{static_cast<int>(*match_minute)};
    }
    return std::nullopt;
}

}  // namespace oaiharvest::scheduler::detail
