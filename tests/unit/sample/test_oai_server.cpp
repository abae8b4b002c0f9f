#include <httplib.h>

#include <catch2/catch.hpp>
#include <chrono>

#include "sample/detail/text.hpp"
#include "sample/generate.hpp"
#include "support/oai_server.hpp"
#include "xml_doc.hpp"

using namespace oaiharvest;
using namespace oaiharvest::testing;

namespace {

httplib::Client client_for(const TestOaiServer& server) {
    httplib::Client client("127.0.0.1", server.port());
    client.set_read_timeout(std::chrono::seconds(10));
    return client;
}

}  // namespace

TEST_CASE("the test server serves the provider on 127.0.0.1 like EPrints", "[sample][server]") {
    TestOaiServer server(sample::make_sample_repository({.records = 150}));
    CHECK(server.base_url() == "http://127.0.0.1:" + std::to_string(server.port()) + "/cgi/oai2");
    auto client = client_for(server);
    auto response = client.Get("/cgi/oai2?verb=ListRecords&metadataPrefix=mets");
    REQUIRE(response);
    CHECK(response->status == 200);
    CHECK(response->get_header_value("Content-Type") == "text/xml; charset=UTF-8");
    CHECK(response->get_header_value("Transfer-Encoding") == "chunked");
    CHECK(response->get_header_value("Connection") == "close");
    XmlDoc page(response->body);
    REQUIRE(page.ok());
    CHECK(page.count("//oai:record") == 100);
    CHECK(page.string("//oai:request") == server.base_url());

    const std::string token = page.string("//oai:resumptionToken");
    auto next = client.Get("/cgi/oai2?verb=ListRecords&resumptionToken=" +
                           sample::detail::uri_escape(token));
    REQUIRE(next);
    CHECK(XmlDoc(next->body).count("//oai:record") == 50);

    auto requests = server.requests();
    REQUIRE(requests.size() == 2);
    CHECK(requests[0].index == 0);
    CHECK(requests[0].verb == "ListRecords");
    CHECK(requests[1].args.find("resumptionToken")->second == token);
    CHECK(requests[1].query ==
          "verb=ListRecords&resumptionToken=metadataPrefix%253Dmets%2526offset%253D101");
}

TEST_CASE("compression is gzip, as Apache's mod_deflate offers, never brotli", "[sample][server]") {
    TestOaiServer server(sample::make_sample_repository({.records = 20}));
    auto client = client_for(server);
    auto response = client.Get("/cgi/oai2?verb=ListRecords&metadataPrefix=mods",
                               {{"Accept-Encoding", "br, gzip, deflate"}});
    REQUIRE(response);
    CHECK(response->get_header_value("Content-Encoding") == "gzip");
    CHECK(XmlDoc(response->body).count("//oai:record") == 20);
    CHECK(server.requests().at(0).headers.at("accept-encoding") == "br, gzip, deflate");
}

TEST_CASE("POST with a form body is answered too", "[sample][server]") {
    TestOaiServer server(sample::make_sample_repository({.records = 3}));
    auto client = client_for(server);
    auto response = client.Post("/cgi/oai2", "verb=Identify", "application/x-www-form-urlencoded");
    REQUIRE(response);
    CHECK(XmlDoc(response->body).string("//oai:repositoryName") == "oaiharvest Sample Repository");
    CHECK(server.requests().at(0).method == "POST");
    CHECK(server.requests().at(0).query == "verb=Identify");
}

TEST_CASE("a scripted 503 with Retry-After, then the normal answer", "[sample][server]") {
    TestOaiServer server(sample::make_sample_repository({.records = 3}));
    server.set_script(fault_first(1, http_status(503, "120")));
    auto client = client_for(server);
    auto refused = client.Get("/cgi/oai2?verb=Identify");
    REQUIRE(refused);
    CHECK(refused->status == 503);
    CHECK(refused->get_header_value("Retry-After") == "120");
    auto served = client.Get("/cgi/oai2?verb=Identify");
    REQUIRE(served);
    CHECK(served->status == 200);
    CHECK(server.request_count() == 2);
}

TEST_CASE("scripted bodies: an OAI error with 422, EPrints' system error page",
          "[sample][server]") {
    TestOaiServer server(sample::make_sample_repository({.records = 3}));
    server.set_script([](const RequestInfo& request) -> std::optional<Fault> {
        if (request.index == 0) {
            return oai_error(422, "badResumptionToken", "expired");
        }
        return eprints_system_error();
    });
    auto client = client_for(server);
    auto unprocessable = client.Get("/cgi/oai2?verb=Identify");
    REQUIRE(unprocessable);
    CHECK(unprocessable->status == 422);
    CHECK(XmlDoc(unprocessable->body).string("//oai:error/@code") == "badResumptionToken");
    auto system_error = client.Get("/cgi/oai2?verb=Identify");
    REQUIRE(system_error);
    CHECK(system_error->status == 200);
    CHECK(system_error->body.find("<title>EPrints System Error</title>") != std::string::npos);
}

TEST_CASE("broken transfers: truncated, reset, or with injected bytes", "[sample][server]") {
    TestOaiServer server(sample::make_sample_repository({.records = 150}));
    auto client = client_for(server);
    const char* page = "/cgi/oai2?verb=ListRecords&metadataPrefix=mods";

    server.set_script(fault_at(0, TruncateBody{.at = 5000}));
    CHECK_FALSE(client.Get(page));
    server.set_script(
        fault_at(1, TruncateBody{.at = 5000, .framing = sample::Framing::content_length}));
    CHECK_FALSE(client.Get(page));
    server.set_script(fault_at(2, ResetConnection{}));
    CHECK_FALSE(client.Get(page));

    server.set_script(
        fault_at(3, InjectBytes{.bytes = "\x0B\xC3\x28", .after = "<mods:abstract>"}));
    auto injected = client.Get(page);
    REQUIRE(injected);
    CHECK(injected->body.find("<mods:abstract>\x0B\xC3\x28") != std::string::npos);
    CHECK_FALSE(XmlDoc(injected->body).ok());

    server.set_script(nullptr);
    auto healthy = client.Get(page);
    REQUIRE(healthy);
    CHECK(XmlDoc(healthy->body).ok());
}

TEST_CASE("a short delay, before the head or mid-body", "[sample][server]") {
    TestOaiServer server(sample::make_sample_repository({.records = 150}));
    server.set_script([](const RequestInfo& request) -> std::optional<Fault> {
        return Delay{.duration = std::chrono::milliseconds(30),
                     .after_bytes = request.index == 0 ? 0 : std::size_t{1000}};
    });
    auto client = client_for(server);
    for (int i = 0; i < 2; ++i) {
        auto start = std::chrono::steady_clock::now();
        auto response = client.Get("/cgi/oai2?verb=ListIdentifiers&metadataPrefix=mods");
        REQUIRE(response);
        CHECK(std::chrono::steady_clock::now() - start >= std::chrono::milliseconds(30));
        CHECK(XmlDoc(response->body).count("//oai:header") == 100);
    }
}

TEST_CASE("the repository and the responseDate can change between harvests", "[sample][server]") {
    sample::GenerateOptions generate{.records = 5};
    TestOaiServer server(sample::make_sample_repository(generate));
    server.set_response_date("2027-03-04T05:06:07Z");
    auto client = client_for(server);
    auto before = client.Get("/cgi/oai2?verb=ListIdentifiers&metadataPrefix=mods");
    REQUIRE(before);
    XmlDoc first(before->body);
    CHECK(first.string("//oai:responseDate") == "2027-03-04T05:06:07Z");
    CHECK(first.count("//oai:header") == 5);

    auto changed = sample::make_sample_repository(generate);
    changed.records[2].deleted = true;
    changed.records[2].datestamp = "2027-03-04T06:00:00Z";
    changed.records.push_back(sample::make_sample_record(6, generate));
    server.set_repository(std::move(changed));
    server.set_response_date("");
    auto after = client.Get("/cgi/oai2?verb=ListIdentifiers&metadataPrefix=mods");
    REQUIRE(after);
    XmlDoc second(after->body);
    CHECK(second.count("//oai:header") == 6);
    CHECK(second.string("//oai:header[@status='deleted']/oai:identifier") ==
          "oai:sample.oaiharvest.local:3");
    CHECK(second.string("//oai:responseDate") != "2027-03-04T05:06:07Z");
}
