#include "util/time.hpp"

#include <charconv>
#include <cstdio>

namespace oaiharvest::util {
namespace {

bool read_int(std::string_view text, std::size_t pos, std::size_t len, int& out) {
    if (pos + len > text.size()) {
        return false;
    }
    auto first = text.data() + pos;
    auto [end, ec] = std::from_chars(first, first + len, out);
    return ec == std::errc{} && end == first + len;
}

}  // namespace

std::optional<UtcTime> parse_utc(std::string_view text) {
    int year = 0, month = 0, day = 0;
    if (text.size() < 10 || text[4] != '-' || text[7] != '-' || !read_int(text, 0, 4, year) ||
        !read_int(text, 5, 2, month) || !read_int(text, 8, 2, day)) {
        return std::nullopt;
    }
    std::chrono::year_month_day ymd{std::chrono::year{year}, std::chrono::month{unsigned(month)},
                                    std::chrono::day{unsigned(day)}};
    if (!ymd.ok()) {
        return std::nullopt;
    }
    UtcTime result{std::chrono::sys_days{ymd}};
    if (text.size() == 10) {
        return result;
    }
    int hour = 0, minute = 0, second = 0;
    if (text[10] != 'T' || text.size() < 16 || text[13] != ':' || !read_int(text, 11, 2, hour) ||
        !read_int(text, 14, 2, minute) || hour > 23 || minute > 59) {
        return std::nullopt;
    }
    std::size_t pos = 16;
    if (pos < text.size() && text[pos] == ':') {
        if (!read_int(text, pos + 1, 2, second) || second > 60) {
            return std::nullopt;
        }
        pos += 3;
    }
    if (pos < text.size() && text[pos] == '.') {
        ++pos;
        while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
            ++pos;
        }
    }
    result +=
        std::chrono::hours{hour} + std::chrono::minutes{minute} + std::chrono::seconds{second};
    std::string_view zone = text.substr(pos);
    if (zone == "Z") {
        return result;
    }
    int zh = 0, zm = 0;
    if (zone.size() == 6 && (zone[0] == '+' || zone[0] == '-') && zone[3] == ':' &&
        read_int(zone, 1, 2, zh) && read_int(zone, 4, 2, zm)) {
        auto offset = std::chrono::hours{zh} + std::chrono::minutes{zm};
        return zone[0] == '+' ? result - offset : result + offset;
    }
    return std::nullopt;
}

std::string format_utc_seconds(UtcTime t) {
    auto day = std::chrono::floor<std::chrono::days>(t);
    std::chrono::year_month_day ymd{day};
    std::chrono::hh_mm_ss hms{t - day};
    char buf[32];
    std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02dZ", int(ymd.year()),
                  unsigned(ymd.month()), unsigned(ymd.day()), int(hms.hours().count()),
                  int(hms.minutes().count()), int(hms.seconds().count()));
    return buf;
}

std::string format_utc_day(UtcTime t) {
    return format_utc_seconds(t).substr(0, 10);
}

UtcTime now_utc() {
    return std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
}

}  // namespace oaiharvest::util
