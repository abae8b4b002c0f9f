#pragma once
// The value syntaxes of the config file: durations ("500ms", "1h30m") and sizes ("512MB",
// "1GiB"). They live in util, below both of their readers: config reads every duration and size
// of the file with them, and the scheduler's "@every 6h" the same durations, so neither of the
// two folders needs the other's parser. Pure functions; thread-safe.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace oaiharvest::util {

// Reads one or more <digits><unit> terms, units ms, s, m, h, d, largest first and each at most
// once: "500ms", "30s", "5m", "2h", "1d", "1h30m", "1d12h". Returns nullopt for an empty text, a
// sign, a fraction, a space, a missing, unknown, repeated or out-of-order unit, or an overflow.
std::optional<std::chrono::milliseconds> parse_duration(std::string_view text);

// The shortest text parse_duration reads back as the same duration: "1h30m", "500ms", "0s".
// A negative duration (which parse_duration never returns) is written as "0s".
std::string format_duration(std::chrono::milliseconds duration);

// Reads <digits>[ ][unit], the unit one of B, KB, MB, GB, TB (powers of 1000) or KiB, MiB,
// GiB, TiB (powers of 1024), case-insensitive; no unit means bytes: "200MB", "1GiB", "4096".
// Returns nullopt for an empty text, a sign, a fraction, an unknown unit or an overflow.
std::optional<std::uint64_t> parse_size(std::string_view text);

// The shortest exact text parse_size reads back: "1GiB", "512MB", "1500B".
std::string format_size(std::uint64_t bytes);

}  // namespace oaiharvest::util
