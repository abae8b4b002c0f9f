#pragma once
// URL helpers that know nothing of OAI-PMH. Pure functions; thread-safe.

#include <string>
#include <string_view>

namespace oaiharvest::util {

// The value of one hex digit (0-9, A-F, a-f), -1 for any other character.
int hex_digit_value(char c);

// Percent-encodes every byte outside RFC 3986's unreserved set (A-Z a-z 0-9 - . _ ~), so a
// value that is already percent-encoded is encoded again ("%3D" -> "%253D"), as an argument
// value must be.
std::string percent_encode(std::string_view value);

// The URL with any user:password@ replaced by "***@", for logs and messages.
std::string redact_credentials(std::string_view url);

// The text with the user:password@ of every URL in it ("scheme://user:pw@host") replaced by
// "***@": the last guard of log lines and printed messages, whatever built them.
std::string redact_credentials_in_text(std::string_view text);

// Why url cannot be an endpoint's base URL (not http or https, white space or a control
// character, no host, a port that is not a number from 1 to 65535, a ?query or #fragment, which
// OAI-PMH's own query would break), in words for the user; empty when it can.
std::string http_url_problem(std::string_view url);

// The "host[:port]" part of an http(s) URL, lower-cased; empty when there is none.
std::string url_host(std::string_view url);

}  // namespace oaiharvest::util
