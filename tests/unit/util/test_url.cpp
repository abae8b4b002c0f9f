#include <catch2/catch.hpp>

#include "util/url.hpp"

using namespace oaiharvest::util;

TEST_CASE("percent_encode encodes an already-encoded EPrints token again", "[util][url]") {
    CHECK(percent_encode("metadataPrefix%3Dmets%26offset%3D101") ==
          "metadataPrefix%253Dmets%2526offset%253D101");
    CHECK(percent_encode("a b+c/d:é") == "a%20b%2Bc%2Fd%3A%C3%A9");
    CHECK(percent_encode("AZaz09-._~") == "AZaz09-._~");
}

TEST_CASE("redact_credentials hides user and password", "[util][url]") {
    CHECK(redact_credentials("https://user:secret@example.org/oai?x=1") ==
          "https://***@example.org/oai?x=1");
    CHECK(redact_credentials("http://example.org/a@b") == "http://example.org/a@b");
}

TEST_CASE("url_host names host and port", "[util][url]") {
    CHECK(url_host("http://127.0.0.1:8399/cgi/oai2") == "127.0.0.1:8399");
    CHECK(url_host("https://u:p@Repo.Example.ORG/oai") == "repo.example.org");
    CHECK(url_host("not a url").empty());
}
