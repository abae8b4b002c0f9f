#pragma once
// When an endpoint is due: a Schedule read from the config's `schedule` text, in cron syntax or
// as a fixed interval. A Schedule is an immutable value: copy it freely and share it between
// threads. Calendar schedules follow the process's local time zone (TZ).

#include <chrono>
#include <expected>
#include <optional>
#include <string>
#include <string_view>

#include "scheduler/detail/cron_fields.hpp"

namespace oaiharvest::scheduler {

using TimePoint = std::chrono::system_clock::time_point;

class Schedule {
public:
    // Reads one of
    // - five cron fields "minute hour day-of-month month day-of-week", each "*", N, N-M, a list
    //   A,B,C, or a step */S, N-M/S, N/S (N to the field's end); months JAN-DEC and days SUN-SAT
    //   by name in any case; 0 and 7 are both Sunday. When both day fields are restricted
    //   (neither is exactly "*"), a day matches if EITHER does ("0 0 1 * MON": the 1st and
    //   every Monday);
    // - @hourly, @daily (= @midnight), @weekly (Sunday 00:00), @monthly, @yearly (= @annually);
    // - "@every DURATION", a config duration from 1s to 366d: "@every 6h", "@every 90s".
    // Otherwise returns what is wrong, naming the field, the value and the allowed range:
    // "hour 25 is out of range 0-23". An expression that can never run ("0 0 30 2 *") is
    // rejected here, so that next_after always has an answer.
    static std::expected<Schedule, std::string> parse(std::string_view text);

    // The first run strictly after t.
    // Cron: the start of a local minute. A local time that a DST gap skips runs at the jump,
    // the first valid local time after it (02:30 -> 03:00); a local time that a fold repeats
    // runs once, at its first occurrence. Searches field by field: at most ten years ahead.
    // "@every D": t + D; the daemon passes the start of the last run.
    // Reads the time zone through localtime_r: do not change TZ concurrently.
    TimePoint next_after(TimePoint t) const;

    // The text as written in the config.
    const std::string& text() const { return m_text; }

    // D for "@every D"; nullopt for a calendar schedule.
    std::optional<std::chrono::milliseconds> interval() const;

    // Same text, so same schedule: a reloaded config can tell which schedules changed.
    friend bool operator==(const Schedule&, const Schedule&) = default;

private:
    Schedule(std::string text, detail::CronFields fields, std::chrono::milliseconds every);

    std::string m_text;
    detail::CronFields m_fields;
    std::chrono::milliseconds m_every{0};  // > 0 for "@every", and then m_fields is unused
};

}  // namespace oaiharvest::scheduler
