#include "sample/serve.hpp"

#include <algorithm>
#include <string_view>

namespace oaiharvest::sample {
namespace {

// Small enough that a truncated or paused response shows its first bytes promptly.
constexpr std::size_t k_write_size = 64 * 1024;

}  // namespace

QueryArgs query_args(const httplib::Request& request) {
    // httplib puts both the query and a urlencoded form body into params, decoded.
    return QueryArgs(request.params.begin(), request.params.end());
}

std::string raw_query(const httplib::Request& request) {
    if (request.method == "POST") {
        return request.body;
    }
    auto question = request.target.find('?');
    return question == std::string::npos ? std::string{} : request.target.substr(question + 1);
}

// Apache's mod_deflate in front of EPrints offers gzip only, while httplib would pick brotli at
// quality 11, which takes seconds per megabyte. httplib reads Accept-Encoding only after the
// handler returns, from a Request it owns as non-const, so the handler may narrow it.
void offer_gzip_only(const httplib::Request& request) {
    auto& headers = const_cast<httplib::Request&>(request).headers;
    auto accepted = headers.find("Accept-Encoding");
    if (accepted == headers.end()) {
        return;
    }
    std::string narrowed;
    for (std::string_view coding : {"gzip", "deflate"}) {
        if (accepted->second.find(coding) != std::string::npos) {
            narrowed += (narrowed.empty() ? "" : ", ") + std::string(coding);
        }
    }
    accepted->second = narrowed;
}

void send_body(const httplib::Request& request, httplib::Response& http, int status,
               std::shared_ptr<const std::string> body, const std::string& content_type,
               Framing framing, std::size_t sent) {
    offer_gzip_only(request);
    http.status = status;
    http.set_header("Cache-Control", "no-store, no-cache, must-revalidate");
    const std::size_t end = std::min(sent, body->size());
    const bool truncated = end < body->size();
    if (framing == Framing::chunked) {
        http.set_chunked_content_provider(
            content_type, [body, end, truncated](std::size_t offset, httplib::DataSink& sink) {
                if (offset >= end) {
                    if (truncated) {
                        return false;  // drops the connection before the last chunk
                    }
                    sink.done();
                    return true;
                }
                return sink.write(body->data() + offset, std::min(k_write_size, end - offset));
            });
    } else {
        http.set_content_provider(
            body->size(), content_type,
            [body, end](std::size_t offset, std::size_t, httplib::DataSink& sink) {
                if (offset >= end) {
                    return false;  // drops the connection short of Content-Length
                }
                return sink.write(body->data() + offset, std::min(k_write_size, end - offset));
            });
    }
}

void send_document(const httplib::Request& request, httplib::Response& http,
                   const SampleDocument& document) {
    http.set_header("ETag", document.etag);
    http.set_header("Last-Modified", document.last_modified);
    if (request.get_header_value("If-None-Match") == document.etag) {
        http.status = 304;
        return;
    }
    http.status = 200;
    // Served as stored, never compressed: a file's bytes are what its checksum is of.
    auto& headers = const_cast<httplib::Request&>(request).headers;
    headers.erase("Accept-Encoding");
    http.set_content(document.body, document.mimetype);
}

void send_response(const httplib::Request& request, httplib::Response& http,
                   ProviderResponse response) {
    send_body(request, http, response.status,
              std::make_shared<const std::string>(std::move(response.body)), response.content_type);
}

}  // namespace oaiharvest::sample
