#pragma once
// The limits the harvester is compared with, measured in the driver on the same pages: a bare
// libcurl loop that downloads the list page by page, following resumption tokens (the network
// limit), and a bare libxml2 xmlTextReader pass over each downloaded page that only walks the
// nodes and counts the records (the parse limit). The same download loop over a list of
// documents, each then written to disk as the documents stage writes one. Not thread-safe (one
// CURL handle).

#include <cstddef>
#include <string>
#include <vector>

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

struct DocumentLimitResult {
    std::size_t documents = 0;
    std::size_t bytes = 0;
    double network_s = 0;  // summed over the downloads
    double store_s = 0;    // summed over writing, fsync, rename and the folder's fsync
    bool ok = false;
    std::string error;
};

// Downloads each URL into memory on one kept-alive easy handle (the network limit of the
// documents stage), then writes it as the stage writes a body (a file in `dir`, fsync'd,
// renamed, the folder fsync'd; timed apart: the disk's part).
DocumentLimitResult measure_document_limits(const std::vector<std::string>& urls,
                                            const std::string& dir);

// Fetches url into a string; "" when it fails.
std::string http_get(const std::string& url);

}  // namespace oaiharvest::bench
