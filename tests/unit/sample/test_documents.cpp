// The sample endpoint's documents (issue 15): the seed article as record 1's file, a minimal
// PDF as record k_pdf_record's, a body for every file a record lists, and EPrints 3.4's
// conditional GET (an unquoted ETag, 304 only for exactly that string).

#include <httplib.h>

#include <catch2/catch.hpp>
#include <string>
#include <thread>

#include "eprints_fixtures.hpp"
#include "sample/detail/documents.hpp"
#include "sample/generate.hpp"
#include "sample/serve.hpp"
#include "xml_doc.hpp"

using namespace oaiharvest;
using namespace oaiharvest::testing;

namespace {

XmlDoc parse_metadata(const std::string& metadata) {
    return XmlDoc("<wrap xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\">" + metadata +
                  "</wrap>");
}

sample::GenerateOptions with_documents() {
    sample::GenerateOptions options;
    options.records = 60;
    options.documents = true;
    return options;
}

// The path of a URL under the sample's site.
std::string path_of(const std::string& url) {
    return url.substr(std::string("http://sample.oaiharvest.local").size());
}

}  // namespace

TEST_CASE("with documents, the seed record lists the seed article as text/plain",
          "[sample][documents]") {
    const auto repository = sample::make_sample_repository(with_documents());
    const auto& seed = repository.records.front();
    XmlDoc mets = parse_metadata(seed.mets);
    REQUIRE(mets.ok());
    const std::string url = mets.string("//mets:file/mets:FLocat/@xlink:href");
    CHECK(url == "http://sample.oaiharvest.local" + std::string(sample::k_seed_article_path));
    CHECK(mets.string("//mets:file/@MIMETYPE") == "text/plain");
    const std::string article = read_fixture("seeds/002_a6393a2a1a9e2c74.txt");
    CHECK(mets.string("//mets:file/@SIZE") == std::to_string(article.size()));
    XmlDoc dc = parse_metadata(seed.oai_dc);
    REQUIRE(dc.ok());
    const auto identifiers = dc.strings("//dc:identifier");
    CHECK(std::find(identifiers.begin(), identifiers.end(), url) != identifiers.end());

    const auto* document = repository.find_document(sample::k_seed_article_path);
    REQUIRE(document);
    CHECK(document->body == article);
    CHECK(document->mimetype == "text/plain");
    // The rest of the seed record is the fixture's.
    CHECK(seed.mods == read_fixture("seeds/000_6d3e3e1f7bd03d25.txt"));
}

TEST_CASE("with documents, one record lists the minimal PDF, of its listed size",
          "[sample][documents]") {
    const auto repository = sample::make_sample_repository(with_documents());
    const auto& record = repository.records[sample::k_pdf_record - 1];
    XmlDoc mets = parse_metadata(record.mets);
    REQUIRE(mets.ok());
    CHECK(mets.string("//mets:file/@MIMETYPE") == "application/pdf");
    const auto* document =
        repository.find_document(path_of(mets.string("//mets:file/mets:FLocat/@xlink:href")));
    REQUIRE(document);
    CHECK(document->body.starts_with("%PDF-1.4\n"));
    CHECK(mets.string("//mets:file/@SIZE") == std::to_string(document->body.size()));
}

TEST_CASE("with documents, every file a live record lists is served at its size",
          "[sample][documents]") {
    const auto repository = sample::make_sample_repository(with_documents());
    std::size_t files = 0;
    for (const auto& record : repository.records) {
        if (record.deleted) {
            continue;
        }
        XmlDoc mets = parse_metadata(record.mets);
        REQUIRE(mets.ok());
        for (const auto& url : mets.strings("//mets:file/mets:FLocat/@xlink:href")) {
            INFO(url);
            const auto* document = repository.find_document(path_of(url));
            REQUIRE(document);
            CHECK(mets.string("//mets:file/@SIZE") == std::to_string(document->body.size()));
            ++files;
        }
    }
    CHECK(files == 5);  // the seed, the PDF, and records 2, 27 and 52
}

TEST_CASE("without documents, no record has a body and record 3 lists no file",
          "[sample][documents]") {
    sample::GenerateOptions options;
    options.records = 60;
    const auto repository = sample::make_sample_repository(options);
    for (const auto& record : repository.records) {
        CHECK(record.documents.empty());
    }
    CHECK(parse_metadata(repository.records[2].mets).count("//mets:file") == 0);
}

TEST_CASE("the sample's HTTP dates are RFC 9110's fixed form", "[sample][documents]") {
    CHECK(sample::detail::http_date("2025-01-06T08:00:00Z") == "Mon, 06 Jan 2025 08:00:00 GMT");
    CHECK(sample::detail::http_date("2024-02-29T23:59:07Z") == "Thu, 29 Feb 2024 23:59:07 GMT");
}

TEST_CASE("a document is served with an unquoted ETag, and 304 only for exactly it",
          "[sample][documents]") {
    const auto document =
        sample::detail::make_document("http://h/id/eprint/1/1/a.txt", "http://h", "text/plain",
                                      "body text", "2025-01-06T08:00:00Z");
    httplib::Server server;
    server.Get(R"(/id/eprint/.+)",
               [&](const httplib::Request& request, httplib::Response& response) {
                   sample::send_document(request, response, document);
               });
    const int port = server.bind_to_any_port("127.0.0.1");
    REQUIRE(port > 0);
    std::thread thread([&] { server.listen_after_bind(); });
    while (!server.is_running()) {
        std::this_thread::yield();
    }
    httplib::Client client("127.0.0.1", port);

    auto full = client.Get("/id/eprint/1/1/a.txt");
    REQUIRE(full);
    CHECK(full->status == 200);
    CHECK(full->body == "body text");
    CHECK(full->get_header_value("ETag") == document.etag);
    CHECK(full->get_header_value("ETag").find('"') == std::string::npos);
    CHECK(full->get_header_value("Last-Modified") == "Mon, 06 Jan 2025 08:00:00 GMT");
    CHECK(full->get_header_value("Content-Type") == "text/plain");

    auto same = client.Get("/id/eprint/1/1/a.txt", {{"If-None-Match", document.etag}});
    REQUIRE(same);
    CHECK(same->status == 304);
    CHECK(same->body.empty());

    // EPrints compares strings: the quoted form a client might send gets the body again.
    auto quoted =
        client.Get("/id/eprint/1/1/a.txt", {{"If-None-Match", "\"" + document.etag + "\""}});
    REQUIRE(quoted);
    CHECK(quoted->status == 200);
    CHECK(quoted->body == "body text");

    server.stop();
    thread.join();
}
