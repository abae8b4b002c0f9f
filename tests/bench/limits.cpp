#include "limits.hpp"

#include <curl/curl.h>
#include <libxml/xmlreader.h>

#include <cstring>
#include <memory>

#include "corpus.hpp"
#include "process.hpp"

namespace oaiharvest::bench {
namespace {

struct CurlDeleter {
    void operator()(CURL* curl) const { curl_easy_cleanup(curl); }
};
using CurlPtr = std::unique_ptr<CURL, CurlDeleter>;

struct ReaderDeleter {
    void operator()(xmlTextReader* reader) const { xmlFreeTextReader(reader); }
};
using ReaderPtr = std::unique_ptr<xmlTextReader, ReaderDeleter>;

std::size_t append_body(char* data, std::size_t size, std::size_t count, void* user) {
    static_cast<std::string*>(user)->append(data, size * count);
    return size * count;
}

bool fetch(CURL* curl, const std::string& url, std::string& body) {
    body.clear();
    curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, append_body);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &body);
    long status = 0;
    return curl_easy_perform(curl) == CURLE_OK &&
           curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status) == CURLE_OK && status == 200;
}

// Walks every node; counts OAI-PMH <record> elements (depth 2: OAI-PMH/ListRecords/record).
long count_records(const std::string& page, const std::string& url) {
    ReaderPtr reader(xmlReaderForMemory(page.data(), static_cast<int>(page.size()), url.c_str(),
                                        nullptr, XML_PARSE_NONET));
    if (!reader) {
        return -1;
    }
    long records = 0;
    int ret = 0;
    while ((ret = xmlTextReaderRead(reader.get())) == 1) {
        if (xmlTextReaderNodeType(reader.get()) == XML_READER_TYPE_ELEMENT &&
            xmlTextReaderDepth(reader.get()) == 2 &&
            std::strcmp(reinterpret_cast<const char*>(xmlTextReaderConstLocalName(reader.get())),
                        "record") == 0) {
            ++records;
        }
    }
    return ret == 0 ? records : -1;
}

}  // namespace

std::string http_get(const std::string& url) {
    CurlPtr curl(curl_easy_init());
    std::string body;
    return curl && fetch(curl.get(), url, body) ? body : std::string{};
}

LimitResult measure_limits(const std::string& base_url) {
    LimitResult result;
    CurlPtr curl(curl_easy_init());
    if (!curl) {
        result.error = "curl_easy_init failed";
        return result;
    }
    std::string url = base_url + "?verb=ListRecords&metadataPrefix=mets";
    std::string page;
    while (true) {
        double started = now_s();
        if (!fetch(curl.get(), url, page)) {
            result.error = "download failed: " + url;
            return result;
        }
        double fetched = now_s();
        long records = count_records(page, url);
        result.parse_s += now_s() - fetched;
        result.network_s += fetched - started;
        if (records < 0) {
            result.error = "parse failed: " + url;
            return result;
        }
        ++result.pages;
        result.records += static_cast<std::size_t>(records);
        result.bytes += page.size();
        std::string token = resumption_token_of(page);
        if (token.empty()) {
            break;
        }
        char* escaped = curl_easy_escape(curl.get(), token.c_str(), static_cast<int>(token.size()));
        url = base_url + "?verb=ListRecords&resumptionToken=" + escaped;
        curl_free(escaped);
    }
    result.ok = true;
    return result;
}

}  // namespace oaiharvest::bench
