#pragma once
// Test helpers: run in a chosen time zone, write instants as UTC input and local output.

#include <cstdlib>
#include <ctime>
#include <optional>
#include <string>
#include <string_view>

#include "scheduler/schedule.hpp"
#include "util/time.hpp"

namespace oaiharvest::scheduler::testing {

// Sets TZ for the scope and restores it after; glibc reads TZ at tzset() only.
class ScopedTimeZone {
public:
    explicit ScopedTimeZone(const char* zone) {
        if (const char* old = std::getenv("TZ")) {
            m_previous = old;
        }
        setenv("TZ", zone, 1);
        tzset();
    }
    ~ScopedTimeZone() {
        if (m_previous) {
            setenv("TZ", m_previous->c_str(), 1);
        } else {
            unsetenv("TZ");
        }
        tzset();
    }
    ScopedTimeZone(const ScopedTimeZone&) = delete;
    ScopedTimeZone& operator=(const ScopedTimeZone&) = delete;
    ScopedTimeZone(ScopedTimeZone&&) = delete;
    ScopedTimeZone& operator=(ScopedTimeZone&&) = delete;

private:
    std::optional<std::string> m_previous;
};

// "2026-06-03T02:27:00Z" as an instant.
inline TimePoint utc(std::string_view text) {
    return util::parse_utc(text).value();
}

// The instant as local time with its offset: "2026-03-29 03:00 +0200".
inline std::string local(TimePoint t) {
    const auto seconds = std::chrono::system_clock::to_time_t(t);
    std::tm broken{};
    localtime_r(&seconds, &broken);
    char text[64];
    std::strftime(text, sizeof text, "%Y-%m-%d %H:%M %z", &broken);
    return text;
}

inline Schedule schedule(std::string_view text) {
    return Schedule::parse(text).value();
}

// The next run of `expression` after the UTC instant, as local time.
inline std::string next(std::string_view expression, std::string_view after_utc) {
    return local(schedule(expression).next_after(utc(after_utc)));
}

// The error parse gives for the expression, or "" when it parses.
inline std::string parse_error(std::string_view expression) {
    auto parsed = Schedule::parse(expression);
    return parsed ? std::string{} : parsed.error();
}

}  // namespace oaiharvest::scheduler::testing
