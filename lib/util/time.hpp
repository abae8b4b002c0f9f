#pragma once
// UTC timestamps as OAI-PMH writes them. Pure functions; thread-safe.

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace oaiharvest::util {

using UtcTime = std::chrono::sys_seconds;

// Parses "YYYY-MM-DD" (midnight UTC) or "YYYY-MM-DDThh:mm:ssZ" (fractional seconds and a
// numeric offset are accepted and folded into UTC). Returns nullopt for anything else.
std::optional<UtcTime> parse_utc(std::string_view text);

// "YYYY-MM-DDThh:mm:ssZ".
std::string format_utc_seconds(UtcTime t);
// "YYYY-MM-DD".
std::string format_utc_day(UtcTime t);

// The current time, to the second.
UtcTime now_utc();

}  // namespace oaiharvest::util
