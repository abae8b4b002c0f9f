#include "util/url.hpp"

#include <curl/curl.h>

#include <algorithm>
#include <cctype>
#include <memory>
#include <new>
#include <optional>
#include <stdexcept>

namespace oaiharvest::util {
namespace {

struct UrlDeleter {
    void operator()(CURLU* url) const noexcept { curl_url_cleanup(url); }
};
struct CurlFree {
    void operator()(char* text) const noexcept { curl_free(text); }
};

// A URL as libcurl reads it: the parser that the fetcher's own requests go through, so what is
// accepted here is what curl will request. Any scheme is read (url_host, redaction); the
// caller checks for http(s).
class CurlUrl {
public:
    explicit CurlUrl(std::string_view url) : m_handle(curl_url()) {
        if (!m_handle) {
            throw std::bad_alloc();
        }
        // curl reads a C string: a NUL inside would cut the URL short unseen.
        if (url.find('\0') != std::string_view::npos) {
            m_error = CURLUE_MALFORMED_INPUT;
            return;
        }
        m_error = curl_url_set(m_handle.get(), CURLUPART_URL, std::string(url).c_str(),
                               CURLU_NON_SUPPORT_SCHEME);
        if (m_error == CURLUE_OUT_OF_MEMORY) {
            throw std::bad_alloc();
        }
    }

    // CURLUE_OK when the URL was read; else why not.
    CURLUcode error() const { return m_error; }

    // A part as written (not decoded); nullopt when the URL has none. Only for a URL read.
    std::optional<std::string> get(CURLUPart part) const {
        char* text = nullptr;
        const CURLUcode rc = curl_url_get(m_handle.get(), part, &text, 0);
        std::unique_ptr<char, CurlFree> owned(text);
        switch (rc) {
            case CURLUE_OK:
                return std::string(owned.get());
            case CURLUE_NO_SCHEME:
            case CURLUE_NO_USER:
            case CURLUE_NO_PASSWORD:
            case CURLUE_NO_OPTIONS:
            case CURLUE_NO_HOST:
            case CURLUE_NO_PORT:
            case CURLUE_NO_QUERY:
            case CURLUE_NO_FRAGMENT:
            case CURLUE_NO_ZONEID:
                return std::nullopt;
            case CURLUE_OUT_OF_MEMORY:
                throw std::bad_alloc();
            default:
                throw std::logic_error(std::string("curl_url_get: ") + curl_url_strerror(rc));
        }
    }

    // Sets a part as given (nullptr clears it); the whole URL then reads as curl writes it.
    void set(CURLUPart part, const char* value) {
        const CURLUcode rc = curl_url_set(m_handle.get(), part, value, 0);
        if (rc == CURLUE_OUT_OF_MEMORY) {
            throw std::bad_alloc();
        }
        if (rc != CURLUE_OK) {
            throw std::logic_error(std::string("curl_url_set: ") + curl_url_strerror(rc));
        }
    }

private:
    std::unique_ptr<CURLU, UrlDeleter> m_handle;
    CURLUcode m_error = CURLUE_OK;
};

std::string lower(std::string text) {
    std::ranges::transform(text, text.begin(),
                           [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return text;
}

// The port as written after the host ("8080", "" in "host:/", "1,2"); nullopt when none is.
// curl reads an empty port as the default one, and names no text when it refuses a port: the
// user is shown what they wrote.
std::optional<std::string_view> written_port(std::string_view url) {
    const auto scheme_end = url.find("://");
    if (scheme_end == std::string_view::npos) {
        return std::nullopt;
    }
    const auto begin = scheme_end + 3;
    auto authority = url.substr(begin, url.find_first_of("/?#", begin) - begin);
    if (const auto at = authority.rfind('@'); at != std::string_view::npos) {
        authority.remove_prefix(at + 1);
    }
    // An IPv6 literal is bracketed: its colons are not the port's.
    if (const auto bracket = authority.rfind(']'); bracket != std::string_view::npos) {
        authority.remove_prefix(bracket + 1);
    }
    const auto colon = authority.rfind(':');
    if (colon == std::string_view::npos) {
        return std::nullopt;
    }
    return authority.substr(colon + 1);
}

std::string port_problem(std::string_view port) {
    return "the port \"" + std::string(port) + "\" is not a number from 1 to 65535";
}

}  // namespace

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

std::string redact_credentials(std::string_view url) {
    CurlUrl parsed(url);
    if (parsed.error() != CURLUE_OK) {
        // Not a URL curl reads (and so never requested): the running-text guard still finds
        // a "scheme://user:pw@" in it.
        return redact_credentials_in_text(url);
    }
    if (!parsed.get(CURLUPART_USER) && !parsed.get(CURLUPART_PASSWORD)) {
        return std::string(url);
    }
    parsed.set(CURLUPART_USER, "***");
    parsed.set(CURLUPART_PASSWORD, nullptr);
    return parsed.get(CURLUPART_URL).value_or("");
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
    // curl refuses these too, but says only "malformed input".
    if (url.find_first_of(" \t\r\n") != std::string_view::npos) {
        return "the URL must not contain white space (percent-encode it)";
    }
    if (std::ranges::any_of(
            url, [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7F; })) {
        return "the URL must not contain control characters";
    }
    const CurlUrl parsed(url);
    switch (parsed.error()) {
        case CURLUE_OK:
            break;
        case CURLUE_NO_HOST:
            return "the URL has no host";
        case CURLUE_BAD_PORT_NUMBER:
            return port_problem(written_port(url).value_or(""));
        default:
            return std::string("the URL cannot be read: ") + curl_url_strerror(parsed.error());
    }
    if (parsed.get(CURLUPART_FRAGMENT)) {
        return "a base URL must not have a #fragment: everything after '#' would be left out of "
               "every request";
    }
    if (parsed.get(CURLUPART_QUERY)) {  // an empty one ("oai?") too
        return "a base URL must not have a ?query: OAI-PMH requests put their own arguments "
               "there (verb=...); give the URL without it";
    }
    // curl 7.88 skips the empty authority of "http:///oai" and takes "oai" for the host.
    if (url[url.find("://") + 3] == '/') {
        return "the URL has no host";
    }
    if (const auto written = written_port(url)) {
        // curl takes an empty port for the default one and port 0 as a number; neither can be
        // connected to as written.
        const auto port = parsed.get(CURLUPART_PORT);
        if (!port || *port == "0") {
            return port_problem(*written);
        }
    }
    return {};
}

std::string url_host(std::string_view url) {
    const CurlUrl parsed(url);
    if (parsed.error() != CURLUE_OK) {
        return {};
    }
    std::string host = lower(parsed.get(CURLUPART_HOST).value_or(""));
    if (const auto port = parsed.get(CURLUPART_PORT)) {
        host += ':' + *port;
    }
    return host;
}

int hex_digit_value(char c) {
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    if (c >= 'A' && c <= 'F') {
        return c - 'A' + 10;
    }
    if (c >= 'a' && c <= 'f') {
        return c - 'a' + 10;
    }
    return -1;
}

}  // namespace oaiharvest::util
