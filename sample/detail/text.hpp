#pragma once
// Text encodings the sample provider writes and reads: XML escaping, Perl URI::Escape's
// percent-encoding (EPrints builds its resumption tokens with it), EPrints' hex setSpecs, and
// UTC timestamps. Pure functions; thread-safe.

#include <ctime>
#include <optional>
#include <string>
#include <string_view>

namespace oaiharvest::sample::detail {

// Appends text with & < > " escaped, so it is safe in element content and in attributes.
void append_escaped(std::string& out, std::string_view text);
std::string escaped(std::string_view text);

// Percent-encodes every byte but A-Z a-z 0-9 - . _ ~ (URI::Escape::uri_escape), upper-case hex.
std::string uri_escape(std::string_view text);
// Decodes %XX sequences; a '%' not followed by two hex digits is kept as it is.
std::string uri_unescape(std::string_view text);

// "types=article" -> "74797065733D61727469636C65"; the reverse returns nullopt for odd lengths
// or non-hex characters.
std::string hex_encode(std::string_view text);
std::optional<std::string> hex_decode(std::string_view hex);

// "YYYY-MM-DDThh:mm:ssZ" <-> seconds since the epoch; nullopt for anything else.
std::optional<std::time_t> parse_utc_seconds(std::string_view text);
std::string format_utc_seconds(std::time_t t);
// The current time, "YYYY-MM-DDThh:mm:ssZ".
std::string utc_now();

}  // namespace oaiharvest::sample::detail
