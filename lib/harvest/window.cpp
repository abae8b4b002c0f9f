#include "harvest/scope_run.hpp"
#include "util/time.hpp"

// The window a list asks for: from and until at the endpoint's granularity.

namespace oaiharvest::harvest::detail {

Granularity granularity_of(const std::optional<std::string>& identify_value) {
    // An endpoint whose Identify failed is asked in days: every server understands those.
    return identify_value && identify_value->size() > 10 ? Granularity::second : Granularity::day;
}

std::optional<std::string> at_granularity(const std::string& datestamp, Granularity g) {
    auto t = util::parse_utc(datestamp);
    if (!t) {
        return std::nullopt;
    }
    return g == Granularity::day ? util::format_utc_day(*t) : util::format_utc_seconds(*t);
}

std::optional<std::string> incremental_from(const std::string& saved_point, Granularity g,
                                            std::chrono::seconds overlap) {
    auto t = util::parse_utc(saved_point);
    if (!t) {
        return std::nullopt;
    }
    constexpr std::chrono::seconds k_day{86'400};
    std::chrono::seconds margin = overlap;
    if (g == Granularity::day && margin.count() > 0) {
        // A day-granular from names a whole day: a local date (UTC-5) against a UTC point needs
        // the day before.
        margin = ((margin + k_day - std::chrono::seconds{1}) / k_day) * k_day;
    }
    const auto back = *t - margin;
    return g == Granularity::day ? util::format_utc_day(back) : util::format_utc_seconds(back);
}

std::optional<std::string> utc_response_date(const std::optional<std::string>& response_date) {
    if (!response_date || response_date->empty() || response_date->back() != 'Z' ||
        response_date->size() < 20 || !util::parse_utc(*response_date)) {
        return std::nullopt;
    }
    return response_date;
}

}  // namespace oaiharvest::harvest::detail
