#pragma once
// The limits the harvester is compared with, measured in the driver on the same pages: a bare
// libcurl loop that downloads the list page by page, following resumption tokens (the network
// limit), and a bare libxml2 xmlTextReader pass over each downloaded page that only walks the
// nodes and counts the records (the parse limit). Not thread-safe (one CURL handle).

#include <cstddef>
#include <string>

namespace oaiharvest::bench {

struct LimitResult {
    std::size_t pages = 0;
    std::size_t records = 0;  // <record> elements the reader counted
    std::size_t bytes = 0;
    double network_s = 0;  // summed over the downloads
    double parse_s = 0;    // summed over the parses
    bool ok = false;
    std::string error;
};

// Downloads base_url's ListRecords of metadataPrefix=mets to the end, one page in memory at a
// time; parses each page after its download (timed apart).
LimitResult measure_limits(const std::string& base_url);

// Fetches url into a string; "" when it fails.
std::string http_get(const std::string& url);

}  // namespace oaiharvest::bench
