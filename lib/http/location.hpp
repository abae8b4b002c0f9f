#pragma once
// A redirect's target, for a caller that follows redirects itself (FetchOptions::
// follow_redirects = false). Pure; thread-safe.

#include <optional>
#include <string>
#include <string_view>

namespace oaiharvest::http {

// The absolute URL a Location header names, read relative to the URL that sent it, as libcurl
// reads URLs; nullopt when it makes none.
std::optional<std::string> resolve_location(std::string_view base, std::string_view location);

}  // namespace oaiharvest::http
