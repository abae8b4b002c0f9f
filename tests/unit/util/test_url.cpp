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
    CHECK(redact_credentials("http://example.org/oai?x=a@b") == "http://example.org/oai?x=a@b");
    CHECK(redact_credentials("https://user@example.org/oai") == "https://***@example.org/oai");
}

TEST_CASE("redact_credentials hides them in a URL curl cannot read", "[util][url]") {
    CHECK(redact_credentials("http://user:secret@exa mple.org/oai") ==
          "http://***@exa mple.org/oai");
    CHECK(redact_credentials("not a url") == "not a url");
}

TEST_CASE("url_host names host and port", "[util][url]") {
    CHECK(url_host("http://127.0.0.1:8399/cgi/oai2") == "127.0.0.1:8399");
    CHECK(url_host("https://u:p@Repo.Example.ORG/oai") == "repo.example.org");
    CHECK(url_host("not a url").empty());
    CHECK(url_host("http://[::1]:8080/oai") == "[::1]:8080");
    CHECK(url_host("http://Example.org/oai") == "example.org");
}

TEST_CASE("http_url_problem names what makes a base URL unusable", "[util][url]") {
    CHECK(http_url_problem("http://127.0.0.1:8399/cgi/oai2").empty());
    CHECK(http_url_problem("HTTPS://u:p@repo.example.org/oai").empty());
    CHECK(http_url_problem("http://[::1]:8080/oai").empty());
    CHECK(http_url_problem("http://[::1]/oai").empty());
    CHECK(http_url_problem("ftp://example.org/oai") ==
          "the URL must start with http:// or https://");
    CHECK(http_url_problem("http://example.org/o ai") ==
          "the URL must not contain white space (percent-encode it)");
    CHECK(http_url_problem("http:///oai") == "the URL has no host");
    CHECK(http_url_problem("http://u@:80/oai") == "the URL has no host");
    CHECK(http_url_problem("http://127.0.0.1:/cgi") ==
          "the port \"\" is not a number from 1 to 65535");
    CHECK(http_url_problem("http://127.0.0.1:1,2/cgi") ==
          "the port \"1,2\" is not a number from 1 to 65535");
    CHECK(http_url_problem("http://h:0/") == "the port \"0\" is not a number from 1 to 65535");
    CHECK(http_url_problem("http://h:65536") ==
          "the port \"65536\" is not a number from 1 to 65535");
    CHECK(http_url_problem("http://[::1]:0/oai") ==
          "the port \"0\" is not a number from 1 to 65535");
}

TEST_CASE("http_url_problem refuses what curl cannot read, with curl's reason", "[util][url]") {
    CHECK(http_url_problem("http://[::1/oai").starts_with("the URL cannot be read: "));
    // Accepted before curl read it: "ex<ample.org" would have been requested and failed.
    CHECK(http_url_problem("http://ex<ample.org/oai") == "the URL cannot be read: Bad hostname");
}

TEST_CASE("http_url_problem refuses a base URL with a query, a fragment or a control character",
          "[util][url]") {
    CHECK(http_url_problem("http://example.org/oai?site=x").find("must not have a ?query") !=
          std::string::npos);
    CHECK(http_url_problem("http://example.org/oai?").find("must not have a ?query") !=
          std::string::npos);
    CHECK(http_url_problem("http://example.org/oai#top").find("must not have a #fragment") !=
          std::string::npos);
    CHECK(http_url_problem("http://example.org/o\x1B[2Jai") ==
          "the URL must not contain control characters");
    CHECK(http_url_problem("http://example.org/oai\x7F") ==
          "the URL must not contain control characters");
}

TEST_CASE("redact_credentials_in_text hides the password of every URL in a message",
          "[util][url]") {
    CHECK(redact_credentials_in_text("HTTP 503 from http://user:secret@example.org/oai?verb=x: "
                                     "busy; retry via https://a:b@c.org") ==
          "HTTP 503 from http://***@example.org/oai?verb=x: busy; retry via https://***@c.org");
    CHECK(redact_credentials_in_text("\"http://u:p@h\" and http://plain.org/a@b") ==
          "\"http://***@h\" and http://plain.org/a@b");
    CHECK(redact_credentials_in_text("mail admin@example.org") == "mail admin@example.org");
    CHECK(redact_credentials_in_text("no url") == "no url");
    CHECK(redact_credentials_in_text("http://***@h/x") == "http://***@h/x");
}
