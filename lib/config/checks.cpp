#include "config/checks.hpp"

#include "util/safe_text.hpp"

namespace oaiharvest::config {
namespace {

bool is_name_char(char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' ||
           c == '_' || c == '-';
}

// The character as a message may quote it: a control character or a byte of a multi-byte
// character would otherwise reach the terminal as it is.
std::string quoted_char(char c) {
    return "'" + util::printable(std::string_view(&c, 1)) + "'";
}

}  // namespace

std::string endpoint_name_problem(std::string_view name) {
    if (name.empty()) {
        return "an endpoint name must not be empty";
    }
    for (const char c : name) {
        if (!is_name_char(c)) {
            return "character " + quoted_char(c) +
                   " is not allowed in an endpoint name (use A-Z a-z 0-9 . _ -)";
        }
    }
    return {};
}

std::string oai_token_problem(std::string_view token) {
    // metadataPrefix and setSpec characters (OAI-PMH 2.0 schema); a setSpec may have ':' levels.
    constexpr std::string_view k_marks = "-_.!~*'():";
    if (token.empty()) {
        return "must not be empty";
    }
    for (const char c : token) {
        if (!is_name_char(c) && k_marks.find(c) == std::string_view::npos) {
            return "character " + quoted_char(c) + " is not allowed (OAI-PMH allows " +
                   "A-Z a-z 0-9 and -_.!~*'() in prefixes, and ':' between set levels)";
        }
    }
    return {};
}

std::string header_value_problem(std::string_view value) {
    if (util::has_control_character(value)) {
        return "must not contain control characters (a line break would end the HTTP header "
               "and start another)";
    }
    return {};
}

}  // namespace oaiharvest::config
