#pragma once
// The five fields of a cron expression as sets of allowed values, and the calendar search for
// the next local minute they allow. Pure; thread-safe.

#include <bitset>
#include <chrono>
#include <expected>
#include <optional>
#include <string>
#include <string_view>

namespace oaiharvest::scheduler::detail {

using LocalMinutes = std::chrono::local_time<std::chrono::minutes>;

struct CronFields {
    std::bitset<60> minutes;
    std::bitset<24> hours;
    std::bitset<32> days_of_month;  // bits 1-31
    std::bitset<13> months;         // bits 1-12
    std::bitset<7> days_of_week;    // bit 0 is Sunday
    // The field was "*": a day matches when both day fields match, unless both are
    // restricted, and then when either does (the rule of Vixie cron and POSIX).
    bool any_day_of_month = true;
    bool any_day_of_week = true;

    bool matches_day(std::chrono::year_month_day day) const;

    friend bool operator==(const CronFields&, const CronFields&) = default;
};

// Parses "minute hour day-of-month month day-of-week". The error names the field, the value
// and the allowed range ("hour 25 is out of range 0-23"), and rejects fields that can never
// match together ("0 0 30 2 *": "never runs: FEB has no day 30").
std::expected<CronFields, std::string> parse_cron_fields(std::string_view text);

// The first local minute at or after `from` that the fields allow; nullopt when there is none
// within ten years (which a CronFields from parse_cron_fields never reaches: its rarest
// schedule, February 29th, recurs within eight).
std::optional<LocalMinutes> next_match(const CronFields& fields, LocalMinutes from);

}  // namespace oaiharvest::scheduler::detail
