#include "config/checks.hpp"

#include <charconv>

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

std::string listen_address_problem(std::string_view address) {
    auto colon = address.rfind(':');
    if (colon == std::string_view::npos || colon == 0) {
        return "must be HOST:PORT, e.g. 127.0.0.1:8080, 0.0.0.0:8080 or [::1]:8080";
    }
    auto host = address.substr(0, colon);
    if (host.front() == '[' ? host.back() != ']' || host.size() < 3
                            : host.find(':') != std::string_view::npos) {
        return "an IPv6 host must be in brackets, e.g. [::1]:8080";
    }
    if (util::has_control_character(host) || host.find(' ') != std::string_view::npos) {
        return "the host must not contain spaces or control characters";
    }
    auto port = address.substr(colon + 1);
    int value = 0;
    auto [end, error] = std::from_chars(port.data(), port.data() + port.size(), value);
    if (port.empty() || error != std::errc{} || end != port.data() + port.size() || value < 0 ||
        value > 65535) {
        return "the port must be a number from 0 to 65535 (0: any free port)";
    }
    return {};
}

std::string email_problem(std::string_view address) {
    auto at = address.find('@');
    if (at == std::string_view::npos || at == 0 || at + 1 == address.size() ||
        address.find('@', at + 1) != std::string_view::npos) {
        return "must be an e-mail address, e.g. admin@example.org";
    }
    // OAI-PMH's schema wants a dot in the domain: \S+@(\S+\.)+\S+
    auto dot = address.rfind('.');
    if (dot == std::string_view::npos || dot < at + 2 || dot + 1 == address.size()) {
        return "the domain must have a dot, as OAI-PMH requires (e.g. admin@example.org)";
    }
    for (const char c : address) {
        if (static_cast<unsigned char>(c) <= ' ' || c == 0x7f || c == '<' || c == '>') {
            return "must be an e-mail address without spaces, control characters or <>";
        }
    }
    return {};
}

std::string mime_type_problem(std::string_view type) {
    auto slash = type.find('/');
    if (slash == std::string_view::npos || slash == 0 || slash + 1 == type.size() ||
        type.find('/', slash + 1) != std::string_view::npos) {
        return "must be a MIME type type/subtype, e.g. application/pdf";
    }
    for (const char c : type) {
        const bool token = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '/' ||
                           c == '.' || c == '+' || c == '-' || c == '_';
        if (!token) {
            return "must be a MIME type in lower case, without parameters, e.g. application/pdf";
        }
    }
    return {};
}

std::string host_name_problem(std::string_view host) {
    if (host.empty()) {
        return "must be a host name, e.g. files.example.org";
    }
    for (const char c : host) {
        const bool fine = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                          (c >= '0' && c <= '9') || c == '.' || c == '-' || c == '_' || c == '[' ||
                          c == ']' || c == ':';
        if (!fine) {
            return "must be a host name alone (no scheme, port, path or space), e.g. "
                   "files.example.org";
        }
    }
    if (host.front() != '[' && host.find(':') != std::string_view::npos) {
        return "must be a host name without a port (politeness and the allow-list ignore "
               "ports), e.g. files.example.org";
    }
    return {};
}

}  // namespace oaiharvest::config
