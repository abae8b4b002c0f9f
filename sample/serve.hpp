#pragma once
// Serving a Provider over cpp-httplib: reading OAI-PMH arguments from a request and sending a
// body the way EPrints under Apache does (chunked, no Content-Length). Used by the sample
// endpoint and by the test server. Stateless; thread-safe.

#include <httplib.h>

#include <cstddef>
#include <limits>
#include <memory>
#include <string>

#include "sample/provider.hpp"

namespace oaiharvest::sample {

// The path EPrints serves OAI-PMH on.
inline constexpr const char* k_oai_path = "/cgi/oai2";

// The decoded arguments of a GET query or of an application/x-www-form-urlencoded POST body.
QueryArgs query_args(const httplib::Request& request);

// The arguments as the client encoded them: the query string, or the body of a form POST.
std::string raw_query(const httplib::Request& request);

// Narrows the request's Accept-Encoding to gzip and deflate, so httplib never answers with
// brotli (see serve.cpp). send_body calls it; a handler that sends otherwise should too.
void offer_gzip_only(const httplib::Request& request);

enum class Framing {
    chunked,         // Transfer-Encoding: chunked, as EPrints sends
    content_length,  // Content-Length: the whole body's size, even when less is sent
};

// Sends body with the given status and type, gzip-compressed if the client accepts it (never
// brotli: see serve.cpp). When `sent` is less than the body's size, only that many bytes go out
// (before compression) and then the connection is dropped mid-response (chunked: no last chunk;
// content_length: fewer bytes than announced).
void send_body(const httplib::Request& request, httplib::Response& http, int status,
               std::shared_ptr<const std::string> body, const std::string& content_type,
               Framing framing = Framing::chunked,
               std::size_t sent = std::numeric_limits<std::size_t>::max());

// Sends a document's body as EPrints 3.4 under Apache does: Content-Length, Last-Modified and
// an unquoted ETag; 304 without a body when If-None-Match is the ETag exactly as sent (EPrints
// compares the strings: a quoted or weak form of it gets the whole body again).
void send_document(const httplib::Request& request, httplib::Response& http,
                   const SampleDocument& document);

// Sends a provider response as EPrints would.
void send_response(const httplib::Request& request, httplib::Response& http,
                   ProviderResponse response);

}  // namespace oaiharvest::sample
