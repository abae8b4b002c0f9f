#include "version_text.hpp"

#include <curl/curl.h>
#include <libxml/parser.h>
#include <sqlite3.h>

#include <charconv>
#include <string_view>

#include "util/version.hpp"

namespace oaiharvest::cli {
namespace {

std::string curl_version_text() {
    const curl_version_info_data* info = curl_version_info(CURLVERSION_NOW);
    if (info == nullptr || info->version == nullptr) {
        return "unknown";
    }
    std::string text = info->version;
    if (info->ssl_version != nullptr) {
        text += std::string(" (") + info->ssl_version + ")";
    }
    return text;
}

// xmlParserVersion is the loaded library's version as digits, "20914" for 2.9.14, perhaps
// followed by a suffix ("-GITv2.9.13-..."), which is kept.
std::string libxml2_version_text() {
    const char* raw = xmlParserVersion;
    if (raw == nullptr) {
        return "unknown";
    }
    std::string_view text = raw;
    unsigned number = 0;
    auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), number);
    if (error != std::errc{} || end == text.data()) {
        return std::string(text);
    }
    return std::to_string(number / 10000) + "." + std::to_string(number / 100 % 100) + "." +
           std::to_string(number % 100) + std::string(end, text.data() + text.size());
}

std::string sqlite_version_text() {
    const char* version = sqlite3_libversion();
    return version == nullptr ? "unknown" : version;
}

}  // namespace

std::string version_text() {
    return std::string("oaiharvest ") + k_version + "\nlibcurl " + curl_version_text() +
           "\nlibxml2 " + libxml2_version_text() + "\nSQLite " + sqlite_version_text();
}

}  // namespace oaiharvest::cli
