// Conditional requests and the validators of a response, over real HTTP (tests/support's
// DocumentServer answers as EPrints 3.4 does: an unquoted ETag, 304 only to the exact value).
#include <catch2/catch.hpp>

#include "http/http.hpp"
#include "http/location.hpp"
#include "support/document_server.hpp"

using namespace oaiharvest;
using oaiharvest::testing::DocumentServer;
using oaiharvest::testing::ServedFile;

namespace {

struct Collect final : http::BodySink {
    http::ResponseHead head;
    std::string body;
    void on_head(const http::ResponseHead& h) override { head = h; }
    void on_body(std::string_view bytes) override { body += bytes; }
};

ServedFile eprints_file() {
    ServedFile file;
    file.body = "%PDF-1.4 body";
    file.etag = "0a1b2c-3d4e";  // unquoted, as EPrints 3.4 sends it
    file.last_modified = "Tue, 01 Dec 2026 10:00:00 GMT";
    return file;
}

}  // namespace

TEST_CASE("ETag and Last-Modified come back as sent, byte for byte") {
    DocumentServer server;
    server.put("/doc.pdf", eprints_file());
    auto fetcher = http::make_curl_fetcher({});
    Collect sink;
    auto done = fetcher->get(server.url("/doc.pdf"), sink);
    REQUIRE(done.has_value());
    CHECK(done->head.status == 200);
    CHECK(done->head.etag == "0a1b2c-3d4e");
    CHECK(done->head.last_modified == "Tue, 01 Dec 2026 10:00:00 GMT");
    CHECK(sink.head.etag == "0a1b2c-3d4e");
    CHECK(sink.body == "%PDF-1.4 body");
}

TEST_CASE("An If-None-Match sent exactly as the ETag came gets a 304 without a body") {
    DocumentServer server;
    server.put("/doc.pdf", eprints_file());
    auto fetcher = http::make_curl_fetcher({});
    Collect sink;
    auto done = fetcher->get(server.url("/doc.pdf"), sink,
                             http::Conditions{"0a1b2c-3d4e", "Tue, 01 Dec 2026 10:00:00 GMT"});
    REQUIRE(done.has_value());
    CHECK(done->head.status == 304);
    CHECK(sink.body.empty());
    CHECK(server.last_if_none_match("/doc.pdf") == "0a1b2c-3d4e");
    CHECK(server.bodies_sent("/doc.pdf") == 0);
}

TEST_CASE("A quoted If-None-Match is not what EPrints sent, and the body comes whole") {
    DocumentServer server;
    server.put("/doc.pdf", eprints_file());
    auto fetcher = http::make_curl_fetcher({});
    Collect sink;
    auto done = fetcher->get(server.url("/doc.pdf"), sink, http::Conditions{"\"0a1b2c-3d4e\"", {}});
    REQUIRE(done.has_value());
    CHECK(done->head.status == 200);
    CHECK(sink.body == "%PDF-1.4 body");
}

TEST_CASE("A condition holding a line break is refused, never sent") {
    DocumentServer server;
    server.put("/doc.pdf", eprints_file());
    auto fetcher = http::make_curl_fetcher({});
    Collect sink;
    auto done =
        fetcher->get(server.url("/doc.pdf"), sink, http::Conditions{"x\r\nX-Injected: 1", {}});
    REQUIRE_FALSE(done.has_value());
    CHECK(done.error().kind == http::FailureKind::forbidden);
    CHECK(server.requests("/doc.pdf") == 0);
}

TEST_CASE("Without follow_redirects a redirect comes back with its Location") {
    DocumentServer server;
    ServedFile moved;
    moved.redirect_to = server.url("/doc.pdf");
    server.put("/moved", moved);
    server.put("/doc.pdf", eprints_file());
    http::FetchOptions options;
    options.follow_redirects = false;
    auto fetcher = http::make_curl_fetcher(options);
    Collect sink;
    auto done = fetcher->get(server.url("/moved"), sink);
    REQUIRE(done.has_value());
    CHECK(done->head.status == 302);
    CHECK(done->head.location == server.url("/doc.pdf"));
    CHECK(server.requests("/doc.pdf") == 0);
}

TEST_CASE("Headers of a redirect followed are not the final response's") {
    DocumentServer server;
    ServedFile moved;
    moved.redirect_to = server.url("/plain");
    server.put("/moved", moved);
    ServedFile plain;
    plain.body = "text";
    plain.content_type = "text/plain";
    server.put("/plain", plain);
    auto fetcher = http::make_curl_fetcher({});
    Collect sink;
    auto done = fetcher->get(server.url("/moved"), sink);
    REQUIRE(done.has_value());
    CHECK(done->head.status == 200);
    CHECK_FALSE(done->head.location.has_value());
    CHECK_FALSE(done->head.etag.has_value());
    CHECK(sink.body == "text");
}

TEST_CASE("A relative Location is read against the URL that sent it") {
    CHECK(http::resolve_location("http://h.org/a/b?x=1", "/c.pdf") == "http://h.org/c.pdf");
    CHECK(http::resolve_location("http://h.org/a/b", "c.pdf") == "http://h.org/a/c.pdf");
    CHECK(http::resolve_location("http://h.org/a", "https://cdn.org/d") == "https://cdn.org/d");
    CHECK_FALSE(http::resolve_location("http://h.org/a", "http://").has_value());
}
