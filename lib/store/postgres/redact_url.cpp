// redact_url: a conninfo fit for a message, its password replaced by "***".
#include <algorithm>
#include <cctype>
#include <string>
#include <string_view>

#include "store/postgres/pq.hpp"

namespace oaiharvest::store::pq {
namespace {

constexpr std::string_view k_pq_redacted = "***";

// Replaces the value of each password=... of a URL's query (from `query`, the character after
// '?') up to the next '&'.
void pq_redact_url_query(std::string& url, std::size_t query) {
    constexpr std::string_view key = "password=";
    while (query < url.size()) {
        std::size_t end = url.find('&', query);
        if (end == std::string::npos) {
            end = url.size();
        }
        if (std::string_view(url).substr(query, end - query).starts_with(key)) {
            std::size_t value = query + key.size();
            url.replace(value, end - value, k_pq_redacted);
            end = value + k_pq_redacted.size();
        }
        query = end + 1;
    }
}

// The URL form: postgresql://[user[:password]@][host][/db][?params].
std::string pq_redact_url_form(std::string url, std::size_t authority) {
    std::size_t end = url.find_first_of("/?", authority);
    if (end == std::string::npos) {
        end = url.size();
    }
    std::string_view userinfo_and_host = std::string_view(url).substr(authority, end - authority);
    std::size_t at = userinfo_and_host.rfind('@');
    if (at != std::string_view::npos) {
        std::size_t colon = userinfo_and_host.find(':');
        if (colon != std::string_view::npos && colon < at) {
            url.replace(authority + colon + 1, at - colon - 1, k_pq_redacted);
        }
    }
    std::size_t query = url.find('?', authority);
    if (query != std::string::npos) {
        pq_redact_url_query(url, query + 1);
    }
    return url;
}

bool pq_is_space(char c) {
    return std::isspace(static_cast<unsigned char>(c)) != 0;
}

// The "key=value key='quoted value'" form.
std::string pq_redact_keyword_form(std::string text) {
    std::size_t i = 0;
    auto skip_spaces = [&] {
        while (i < text.size() && pq_is_space(text[i])) {
            ++i;
        }
    };
    while (true) {
        skip_spaces();
        if (i >= text.size()) {
            return text;
        }
        std::size_t key_start = i;
        while (i < text.size() && text[i] != '=' && !pq_is_space(text[i])) {
            ++i;
        }
        std::string_view key = std::string_view(text).substr(key_start, i - key_start);
        skip_spaces();
        if (i >= text.size() || text[i] != '=') {
            return text;  // not a conninfo libpq would accept: nothing more to find
        }
        ++i;
        skip_spaces();
        std::size_t value_start = i;
        if (i < text.size() && text[i] == '\'') {
            ++i;
            while (i < text.size() && text[i] != '\'') {
                i += text[i] == '\\' ? 2 : 1;
            }
            i = std::min(i + 1, text.size());
        } else {
            while (i < text.size() && !pq_is_space(text[i])) {
                i += text[i] == '\\' ? 2 : 1;
            }
            i = std::min(i, text.size());
        }
        if (key == "password") {
            text.replace(value_start, i - value_start, k_pq_redacted);
            i = value_start + k_pq_redacted.size();
        }
    }
}

}  // namespace

std::string redact_url(const std::string& conninfo) {
    for (std::string_view scheme : {"postgresql://", "postgres://"}) {
        if (conninfo.starts_with(scheme)) {
            return pq_redact_url_form(conninfo, scheme.size());
        }
    }
    return pq_redact_keyword_form(conninfo);
}

}  // namespace oaiharvest::store::pq
