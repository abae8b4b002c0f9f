#include "limits.hpp"

#include <curl/curl.h>
#include <fcntl.h>
#include <libxml/xmlreader.h>
#include <unistd.h>

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

struct FileDescriptor {
    explicit FileDescriptor(int descriptor) : fd(descriptor) {}
    FileDescriptor(const FileDescriptor&) = delete;
    FileDescriptor& operator=(const FileDescriptor&) = delete;
    FileDescriptor(FileDescriptor&&) = delete;
    FileDescriptor& operator=(FileDescriptor&&) = delete;
    ~FileDescriptor() {
        if (fd >= 0) {
            ::close(fd);
        }
    }
    int fd;
};

// Writes body to dir/name.tmp, fsyncs it, renames it to dir/name and fsyncs the folder.
bool store_body(const std::string& body, const std::string& dir, const std::string& name) {
    const std::string tmp = dir + "/" + name + ".tmp";
    {
        FileDescriptor file(::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644));
        if (file.fd < 0) {
            return false;
        }
        for (std::size_t at = 0; at < body.size();) {
            const auto n = ::write(file.fd, body.data() + at, body.size() - at);
            if (n <= 0) {
                return false;
            }
            at += static_cast<std::size_t>(n);
        }
        if (::fsync(file.fd) != 0) {
            return false;
        }
    }
    if (::rename(tmp.c_str(), (dir + "/" + name).c_str()) != 0) {
        return false;
    }
    FileDescriptor folder(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    return folder.fd >= 0 && ::fsync(folder.fd) == 0;
}

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

DocumentLimitResult measure_document_limits(const std::vector<std::string>& urls,
                                            const std::string& dir) {
    DocumentLimitResult result;
    CurlPtr curl(curl_easy_init());
    if (!curl) {
        result.error = "curl_easy_init failed";
        return result;
    }
    std::string body;
    for (const auto& url : urls) {
        const double started = now_s();
        if (!fetch(curl.get(), url, body)) {
            result.error = "download failed: " + url;
            return result;
        }
        const double fetched = now_s();
        if (!store_body(body, dir, std::to_string(result.documents))) {
            result.error = "cannot write a document into " + dir;
            return result;
        }
        result.store_s += now_s() - fetched;
        result.network_s += fetched - started;
        ++result.documents;
        result.bytes += body.size();
    }
    result.ok = true;
    return result;
}

}  // namespace oaiharvest::bench
