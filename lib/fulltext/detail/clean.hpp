#pragma once
// Appending untrusted text to an extraction's result, cleaned and capped (text.hpp's promise).
// Internal to lib/fulltext.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace oaiharvest::fulltext::detail {

// Appends `bytes` to `out` as valid UTF-8 without control characters (LF and TAB kept; CR
// dropped), an ill-formed sequence as U+FFFD, stopping before `out` would pass max_bytes.
// Returns false once the cap was reached (the rest was dropped).
bool append_clean(std::string& out, std::string_view bytes, std::size_t max_bytes);

// `bytes` with each ill-formed UTF-8 sequence replaced by U+FFFD, everything else kept; nullopt
// when there was none (the bytes are valid UTF-8 already).
std::optional<std::string> repaired_utf8(std::string_view bytes);

// Removes trailing spaces and line feeds.
void trim_end(std::string& text);

}  // namespace oaiharvest::fulltext::detail
