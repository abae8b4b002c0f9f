// The reader is fed bytes split anywhere (inside tags, names, references, UTF-8 sequences) and
// must produce the same events as when fed the whole response.
#include <catch2/catch.hpp>

#include "reader_support.hpp"
#include "support/fixtures.hpp"

using namespace oaiharvest;
using test::read_fixture;
using test::read_response;

namespace {

void check_same_events(const test::Reading& expected, const test::Reading& actual) {
    REQUIRE(actual.events.log.size() == expected.events.log.size());
    for (std::size_t i = 0; i < expected.events.log.size(); ++i) {
        CHECK(actual.events.log[i] == expected.events.log[i]);
    }
    CHECK(actual.summary.records == expected.summary.records);
    CHECK(actual.summary.bytes == expected.summary.bytes);
    CHECK(actual.summary.repaired_characters == expected.summary.repaired_characters);
    CHECK(actual.summary.resumption_token_seen == expected.summary.resumption_token_seen);
}

}  // namespace

TEST_CASE("GetRecord mets split into two chunks at every offset", "[oai][reader][chunks]") {
    const std::string body = read_fixture("eprints-3.4/GetRecord_mets_1.xml");
    const auto whole = read_response(body);
    REQUIRE(whole.events.records.size() == 1);
    for (std::size_t at = 0; at <= body.size(); ++at) {
        test::Reading split;
        {
            oai::ResponseReader reader(split.events);
            reader.feed(std::string_view(body).substr(0, at));
            reader.feed(std::string_view(body).substr(at));
            split.summary = reader.finish();
        }
        // One CHECK per offset, not per event: 5218 offsets.
        if (split.events.log != whole.events.log) {
            FAIL_CHECK("events differ when split at " << at);
        }
    }
}

TEST_CASE("responses fed one byte at a time", "[oai][reader][chunks]") {
    for (const char* file :
         {"eprints-3.4/GetRecord_mets_1.xml", "eprints-3.4/GetRecord_mets_2_with_file.xml",
          "eprints-3.4/Identify.xml", "eprints-3.4/error_badResumptionToken.xml",
          "eprints-3.4/ListIdentifiers_oai_dc_page1.xml",
          "real/oaicat-erasmus_Identify_compression.xml"}) {
        INFO(file);
        const std::string body = read_fixture(file);
        check_same_events(read_response(body), read_response(body, 1));
    }
}

TEST_CASE("every fixture fed in chunks of several sizes", "[oai][reader][chunks]") {
    const std::vector<std::string> files{
        "eprints-3.4/ListRecords_mets_page1.xml",
        "eprints-3.4/ListRecords_mods_page2.xml",
        "eprints-3.4/ListRecords_oai_dc_page3_last.xml",
        "eprints-3.4/ListSets.xml",
        "eprints-3.4/ListMetadataFormats.xml",
        "real/eprints-cogprints_ListRecords_oai_dc_2015-04.body.xml",
        "real/ojs-udea_ListRecords_oai_dc_deleted-and-token.xml",
        "real/dspace-ucispace_ListRecords_didl.xml",
        "real/tind-berkeley_ListRecords_marcxml.xml",
        "real/contentdm-usfca_GetRecord_oai_qdc.xml",
    };
    for (const auto& file : files) {
        const std::string body = read_fixture(file);
        const auto whole = read_response(body);
        for (std::size_t chunk : {2, 3, 7, 64, 1000, 4096, 16384}) {
            INFO(file << " in chunks of " << chunk);
            check_same_events(whole, read_response(body, chunk));
        }
    }
}

TEST_CASE("repairs give the same result however the bytes are split",
          "[oai][reader][chunks][repair]") {
    const std::string body =
        "<?xml version='1.0' encoding='UTF-8'?>\n"
        "<OAI-PMH xmlns=\"http://www.openarchives.org/OAI/2.0/\"><GetRecord><record><header>"
        "<identifier>oai:x:1</identifier><datestamp>d</datestamp></header><metadata>"
        "<dc t=\"Ўз&#1;&#xD800;\">\x01 caf\xE9 – Ўзбек 😀&#x1F;&amp;\xF0\x9F\x98 &#13;</dc>"
        "</metadata></record></GetRecord></OAI-PMH>";
    const auto whole = read_response(body);
    REQUIRE(whole.events.records.size() == 1);
    CHECK(whole.summary.repaired_characters == 6);
    for (std::size_t at = 0; at <= body.size(); ++at) {
        test::Reading split;
        {
            oai::ResponseReader reader(split.events);
            reader.feed(std::string_view(body).substr(0, at));
            reader.feed(std::string_view(body).substr(at));
            split.summary = reader.finish();
        }
        if (split.events.log != whole.events.log ||
            split.summary.repaired_characters != whole.summary.repaired_characters) {
            FAIL_CHECK("events differ when split at " << at);
        }
    }
    check_same_events(whole, read_response(body, 1));
}
