#include "sample/detail/documents.hpp"

#include <chrono>
#include <cstdint>
#include <cstdio>

#include "sample/detail/text.hpp"

namespace oaiharvest::sample::detail {
namespace {

// FNV-1a: stable across runs and builds, which is all an ETag needs here.
std::string etag_of(std::string_view body) {
    std::uint64_t hash = 0xcbf29ce484222325ULL;
    for (char c : body) {
        hash = (hash ^ static_cast<unsigned char>(c)) * 0x100000001b3ULL;
    }
    char out[17];
    std::snprintf(out, sizeof out, "%016llx", static_cast<unsigned long long>(hash));
    return out;
}

}  // namespace

SampleDocument make_document(std::string_view url, std::string_view site_url, std::string mimetype,
                             std::string body, std::string_view datestamp) {
    SampleDocument document;
    document.path = std::string(url.starts_with(site_url) ? url.substr(site_url.size()) : url);
    document.mimetype = std::move(mimetype);
    document.etag = etag_of(body);
    document.body = std::move(body);
    document.last_modified = http_date(datestamp);
    return document;
}

std::string generated_fulltext(std::size_t number, std::size_t size) {
    const std::string sentence = "Full text of sample eprint " + std::to_string(number) + ". ";
    std::string out;
    out.reserve(size);
    while (out.size() < size) {
        out += sentence;
    }
    out.resize(size);
    return out;
}

std::string http_date(std::string_view utc_datestamp) {
    static constexpr const char* k_days[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
    static constexpr const char* k_months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                               "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    const std::time_t stamp = parse_utc_seconds(utc_datestamp).value_or(0);
    const auto day = std::chrono::floor<std::chrono::days>(
        std::chrono::sys_seconds{std::chrono::seconds{stamp}});
    const std::chrono::year_month_day date{day};
    const std::chrono::weekday weekday{day};
    const std::chrono::hh_mm_ss time{std::chrono::sys_seconds{std::chrono::seconds{stamp}} - day};
    char out[40];
    std::snprintf(
        out, sizeof out, "%s, %02u %s %04d %02ld:%02ld:%02ld GMT", k_days[weekday.c_encoding()],
        static_cast<unsigned>(date.day()), k_months[static_cast<unsigned>(date.month()) - 1],
        static_cast<int>(date.year()), static_cast<long>(time.hours().count()),
        static_cast<long>(time.minutes().count()), static_cast<long>(time.seconds().count()));
    return out;
}

}  // namespace oaiharvest::sample::detail
