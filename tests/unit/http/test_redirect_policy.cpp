// Where a redirect may lead: a request that started over https never goes on in clear unless
// the config allows it (http.allow_insecure_redirects). Serving https in tests is not possible
// here, so the decision curl is given is checked directly.

#include <catch2/catch.hpp>

#include "http/http.hpp"

using oaiharvest::http::redirect_protocols;

TEST_CASE("A redirect from an https URL may only go to https", "[http][redirect]") {
    CHECK(redirect_protocols("https://repo.example.org/cgi/oai2", false) == "https");
    CHECK(redirect_protocols("HTTPS://repo.example.org/cgi/oai2", false) == "https");
    CHECK(redirect_protocols("Https://user:secret@repo.example.org/", false) == "https");
}

TEST_CASE("An https to http redirect is followed when the config allows it", "[http][redirect]") {
    CHECK(redirect_protocols("https://repo.example.org/cgi/oai2", true) == "http,https");
}

TEST_CASE("A redirect from an http URL may go to http or https", "[http][redirect]") {
    CHECK(redirect_protocols("http://repo.example.org/cgi/oai2", false) == "http,https");
    CHECK(redirect_protocols("http://repo.example.org/cgi/oai2", true) == "http,https");
    // Not an https URL, whatever it holds further on.
    CHECK(redirect_protocols("http://repo.example.org/?next=https://x", false) == "http,https");
    CHECK(redirect_protocols("https:", false) == "http,https");
}
