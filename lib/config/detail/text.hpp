#pragma once
// Small text helpers of the config module. Pure functions; thread-safe.

#include <span>
#include <string>
#include <string_view>

namespace oaiharvest::config::detail {

// The text as a TOML basic string, quotes included: "a \"b\"\n".
std::string toml_quote(std::string_view text);

// The candidate nearest to `word` by edit distance (ignoring case), when near enough to be a
// likely typo ("timout" -> "timeout"); empty otherwise.
std::string_view nearest(std::string_view word, std::span<const std::string_view> candidates);

}  // namespace oaiharvest::config::detail
