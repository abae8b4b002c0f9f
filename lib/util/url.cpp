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
