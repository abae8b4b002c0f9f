#pragma once
// The name=value pairs of a URL's query or of an application/x-www-form-urlencoded body. Pure;
// thread-safe.

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace oaiharvest::serve {

// In order, repeats kept (OAI-PMH answers a repeated argument with badArgument, so none may be
// merged away); '+' is a space and %XX a byte; a '%' not followed by two hex digits is itself.
// A pair without '=' has an empty value; empty pairs ("a=1&&b=2") are skipped.
std::vector<std::pair<std::string, std::string>> decode_form(std::string_view text);

}  // namespace oaiharvest::serve
