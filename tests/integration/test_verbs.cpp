#include <curl/curl.h>

#include <catch2/catch.hpp>

#include "harness.hpp"
#include "http/http.hpp"
#include "oai/reader.hpp"
#include "oai/request.hpp"

using namespace oaiharvest;
using test::Harness;

namespace {

struct Collected final : oai::ResponseHandler {
    std::vector<oai::Record> records;
    std::vector<oai::ProtocolError> errors;
    void on_record(oai::Record& r) override { records.push_back(r); }
    void on_error(const oai::ProtocolError& e) override { errors.push_back(e); }
};

struct ReaderSink final : http::BodySink {
    explicit ReaderSink(oai::ResponseHandler& handler) : reader(handler) {}
    void on_head(const http::ResponseHead&) override {}
    void on_body(std::string_view bytes) override { reader.feed(bytes); }
    oai::ResponseReader reader;
};

Collected fetch(const std::string& url) {
    static const bool curl_ready = curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK;
    REQUIRE(curl_ready);
    auto fetcher = http::make_curl_fetcher({});
    Collected collected;
    ReaderSink sink(collected);
    auto done = fetcher->get(url, sink);
    REQUIRE(done);
    CHECK(done->head.status == 200);
    sink.reader.finish();
    return collected;
}

}  // namespace

TEST_CASE("GetRecord over HTTP gives the record, idDoesNotExist the typed error",
          "[integration][verbs]") {
    Harness h;
    auto got =
        fetch(oai::get_record("oai:sample.oaiharvest.local:2", "mets").url(h.server.base_url()));
    REQUIRE(got.records.size() == 1);
    CHECK(got.records[0].header.identifier == "oai:sample.oaiharvest.local:2");
    CHECK(test::canonical_xml(got.records[0].metadata) ==
          test::canonical_xml(test::standalone(sample::make_sample_record(2, h.generate).mets)));

    auto missing =
        fetch(oai::get_record("oai:sample.oaiharvest.local:999", "mets").url(h.server.base_url()));
    CHECK(missing.records.empty());
    REQUIRE(missing.errors.size() == 1);
    CHECK(missing.errors[0].code == oai::ErrorCode::id_does_not_exist);
}

TEST_CASE("identify summarizes the endpoint and writes nothing", "[integration][verbs]") {
    Harness h;
    auto result = h.run({"identify", h.server.base_url()});
    INFO(result.err);
    REQUIRE(result.exit_code == 0);
    CHECK(result.out.find("Repository:         oaiharvest Sample Repository") != std::string::npos);
    CHECK(result.out.find("Granularity:        YYYY-MM-DDThh:mm:ssZ") != std::string::npos);
    CHECK(result.out.find("Deleted records:    persistent") != std::string::npos);
    CHECK(result.out.find("mets mods oai_dc") != std::string::npos);
    CHECK(result.out.find("Sets:") != std::string::npos);
    CHECK_FALSE(std::filesystem::exists(h.db));
}
