#include "util/url.hpp"

#include <algorithm>
#include <cctype>

namespace oaiharvest::util {

std::string percent_encode(std::string_view value) {
    static constexpr char k_hex[] = "0123456789ABCDEF";
    std::string out;
    out.reserve(value.size());
    for (unsigned char c : value) {
        if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
            out += static_cast<char>(c);
        } else {
            out += '%';
            out += k_hex[c >> 4];
            out += k_hex[c & 0xF];
        }
    }
    return out;
}

namespace {
// [begin, end) of the authority ("user:pw@host:port") of a URL, or npos when there is none.
std::pair<std::size_t, std::size_t> authority(std::string_view url) {
    auto scheme_end = url.find("://");
    if (scheme_end == std::string_view::npos) {
        return {std::string_view::npos, std::string_view::npos};
    }
    auto begin = scheme_end + 3;
    auto end = url.find_first_of("/?#", begin);
    return {begin, end == std::string_view::npos ? url.size() : end};
}
}  // namespace

std::string redact_credentials(std::string_view url) {
    auto [begin, end] = authority(url);
    if (begin == std::string_view::npos) {
        return std::string(url);
    }
    auto at = url.substr(begin, end - begin).rfind('@');
    if (at == std::string_view::npos) {
        return std::string(url);
    }
    return std::string(url.substr(0, begin)) + "***" + std::string(url.substr(begin + at));
}

std::string redact_credentials_in_text(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    std::size_t copied = 0;
    for (auto scheme_end = text.find("://"); scheme_end != std::string_view::npos;
         scheme_end = text.find("://", scheme_end + 3)) {
        const auto begin = scheme_end + 3;
        // The authority ends where a path, query or fragment starts, or where the URL itself
        // ends in running text.
        auto end = text.find_first_of("/?#\"'<> \t\r\n", begin);
        end = end == std::string_view::npos ? text.size() : end;
        const auto at = text.substr(begin, end - begin).rfind('@');
        if (at == std::string_view::npos) {
            continue;
        }
        out.append(text.substr(copied, begin - copied));
        out += "***";
        copied = begin + at;
    }
    out.append(text.substr(copied));
    return out;
}

std::string http_url_problem(std::string_view url) {
    const auto starts_with = [&](std::string_view scheme) {
        return url.size() > scheme.size() &&
               std::equal(scheme.begin(), scheme.end(), url.begin(), [](char s, char u) {
                   return s == std::tolower(static_cast<unsigned char>(u));
               });
    };
    if (!starts_with("http://") && !starts_with("https://")) {
        return "the URL must start with http:// or https://";
    }
    if (url.find_first_of(" \t\r\n") != std::string_view::npos) {
        return "the URL must not contain white space (percent-encode it)";
    }
    if (std::any_of(url.begin(), url.end(),
                    [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7F; })) {
        return "the URL must not contain control characters";
    }
    if (url.find('#') != std::string_view::npos) {
        return "a base URL must not have a #fragment: everything after '#' would be left out of "
               "every request";
    }
    if (url.find('?') != std::string_view::npos) {
        return "a base URL must not have a ?query: OAI-PMH requests put their own arguments "
               "there (verb=...); give the URL without it";
    }
    auto [begin, end] = authority(url);
    auto host = url.substr(begin, end - begin);
    if (auto at = host.rfind('@'); at != std::string_view::npos) {
        host.remove_prefix(at + 1);
    }
    std::string_view port;
    bool has_port = false;
    // An IPv6 literal is bracketed: its colons are not the port's.
    auto colon = host.rfind(':');
    if (colon != std::string_view::npos && (host.front() != '[' || host.find(']') < colon)) {
        port = host.substr(colon + 1);
        host = host.substr(0, colon);
        has_port = true;
    }
    if (host.empty() || host == "[]") {
        return "the URL has no host";
    }
    if (has_port) {
        bool digits =
            !port.empty() && port.size() <= 5 &&
            std::all_of(port.begin(), port.end(), [](char c) { return c >= '0' && c <= '9'; });
        if (!digits || std::stoi(std::string(port)) < 1 || std::stoi(std::string(port)) > 65535) {
            return "the port \"" + std::string(port) + "\" is not a number from 1 to 65535";
        }
    }
    return {};
}

std::string url_host(std::string_view url) {
    auto [begin, end] = authority(url);
    if (begin == std::string_view::npos) {
        return {};
    }
    auto auth = url.substr(begin, end - begin);
    if (auto at = auth.rfind('@'); at != std::string_view::npos) {
        auth.remove_prefix(at + 1);
    }
    std::string host(auth);
    std::transform(host.begin(), host.end(), host.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return host;
}

}  // namespace oaiharvest::util
