#include "http/location.hpp"

#include <curl/curl.h>

#include <memory>

namespace oaiharvest::http {
namespace {

struct UrlFree {
    void operator()(CURLU* url) const { curl_url_cleanup(url); }
};
struct TextFree {
    void operator()(char* text) const { curl_free(text); }
};

}  // namespace

std::optional<std::string> resolve_location(std::string_view base, std::string_view location) {
    std::unique_ptr<CURLU, UrlFree> url(curl_url());
    const std::string base_text(base);
    const std::string location_text(location);
    if (!url || curl_url_set(url.get(), CURLUPART_URL, base_text.c_str(), 0) != CURLUE_OK ||
        curl_url_set(url.get(), CURLUPART_URL, location_text.c_str(), 0) != CURLUE_OK) {
        return std::nullopt;
    }
    char* raw = nullptr;
    if (curl_url_get(url.get(), CURLUPART_URL, &raw, 0) != CURLUE_OK || raw == nullptr) {
        return std::nullopt;
    }
    std::unique_ptr<char, TextFree> text(raw);
    return std::string(text.get());
}

}  // namespace oaiharvest::http
