// The tree the reader builds of each record's metadata, while it streams in, reads exactly as
// the stored metadata text does when parsed again: the same Description for every record of
// every fixture and of a generated corpus, however the body is split into chunks.

#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "metadata/metadata.hpp"
#include "oai/reader.hpp"
#include "sample/generate.hpp"
#include "sample/provider.hpp"
#include "support/fixtures.hpp"

using namespace oaiharvest;

namespace {

metadata::Envelope envelope_of(const oai::Record& record) {
    return {"test", record.header.identifier, record.header.datestamp, record.header.deleted,
            "any",  record.header.set_specs};
}

// Describes each record both ways while its tree is valid, and keeps both JSON texts.
class BothWays final : public oai::ResponseHandler {
public:
    struct Pair {
        std::string identifier;
        std::string from_tree;
        std::string from_text;
    };
    std::vector<Pair> pairs;
    std::size_t without_tree = 0;  // records with metadata but no tree

    void on_record(oai::Record& record) override {
        if (record.metadata.empty()) {
            CHECK(record.metadata_tree.root() == nullptr);
            return;
        }
        const auto* tree = record.metadata_tree.root();
        if (tree == nullptr) {
            ++without_tree;
            return;
        }
        const auto envelope = envelope_of(record);
        pairs.push_back({record.header.identifier,
                         metadata::to_json_text(envelope, metadata::describe(*tree)),
                         metadata::to_json_text(envelope, metadata::describe(record.metadata))});
        // A copy never reaches into the tree, which is gone after this call.
        oai::Record copy = record;
        CHECK(copy.metadata_tree.root() == nullptr);
    }
};

BothWays read_in_chunks(const std::string& body, std::size_t chunk) {
    BothWays handler;
    oai::ResponseReader reader(handler);
    for (std::size_t at = 0; at < body.size(); at += chunk) {
        reader.feed(std::string_view(body).substr(at, chunk));
    }
    reader.finish();
    return handler;
}

void check_same(const BothWays& handler) {
    CHECK(handler.without_tree == 0);
    for (const auto& pair : handler.pairs) {
        INFO(pair.identifier);
        CHECK(pair.from_tree == pair.from_text);
    }
}

}  // namespace

TEST_CASE("Each fixture record reads the same from the streamed tree as from its stored text",
          "[oai][reader][tree]") {
    auto name = GENERATE(
        as<std::string>{}, "eprints-3.4/ListRecords_mets_page1.xml",
        "eprints-3.4/ListRecords_mets_page2.xml", "eprints-3.4/ListRecords_mets_page3_last.xml",
        "eprints-3.4/ListRecords_mods_page1.xml", "eprints-3.4/ListRecords_mods_page3_last.xml",
        "eprints-3.4/ListRecords_oai_dc_page1.xml", "eprints-3.4/GetRecord_mets_2_with_file.xml",
        "eprints-3.4/GetRecord_deleted_13_mets.xml",
        "real/eprints-lshtm_ListRecords_oai_dc_2015-10_with-deleted.body.xml",
        "real/eprints-cogprints_ListRecords_oai_dc_2015-04.body.xml",
        "real/ojs-udea_ListRecords_oai_dc_deleted-and-token.xml",
        "real/dspace-ucispace_ListRecords_didl.xml", "real/contentdm-usfca_GetRecord_oai_qdc.xml");
    INFO(name);
    const std::string body = test::read_fixture(name);
    auto whole = read_in_chunks(body, body.size());
    check_same(whole);
    // Split anywhere, text arrives in pieces: the tree still holds it whole.
    auto pieces = read_in_chunks(body, 7);
    REQUIRE(pieces.pairs.size() == whole.pairs.size());
    for (std::size_t i = 0; i < whole.pairs.size(); ++i) {
        CHECK(pieces.pairs[i].from_tree == whole.pairs[i].from_tree);
    }
}

TEST_CASE("Every generated record, Latin and Cyrillic, in every format, reads the same both ways",
          "[oai][reader][tree]") {
    const auto repository = sample::make_sample_repository({.records = 300});
    const sample::Provider provider(repository, {.page_size = 300});
    std::size_t compared = 0;
    for (const char* prefix : {"mets", "mods", "oai_dc"}) {
        INFO(prefix);
        auto response = provider.handle({{"verb", "ListRecords"}, {"metadataPrefix", prefix}});
        REQUIRE(response.status == 200);
        auto handler = read_in_chunks(response.body, 4096);
        check_same(handler);
        compared += handler.pairs.size();
    }
    CHECK(compared > 800);
}

TEST_CASE("The tree keeps what a parse of the text would: entities, CDATA, namespaces, attributes",
          "[oai][reader][tree]") {
    const std::string body =
        R"(<?xml version="1.0" encoding="UTF-8"?>)"
        R"(<OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/" )"
        R"(xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">)"
        "<responseDate>2026-01-01T00:00:00Z</responseDate><request>http://x/oai</request>"
        "<ListRecords><record><header><identifier>oai:x:1</identifier>"
        "<datestamp>2026-01-01</datestamp></header><metadata>"
        R"(<mods xmlns="http://www.loc.gov/mods/v3" xsi:schemaLocation="x y">)"
        R"(<titleInfo><title>A &amp;nbsp; &lt;b&gt; <![CDATA[<i>cdata</i>]]> t&#1090;<!-- c -->ail</title>)"
        "<subTitle xml:lang=\"ru\">Узбекистан   и\n Кыргызстан</subTitle></titleInfo>"
        R"(<abstract>First <p xmlns="http://www.w3.org/1999/xhtml">para</p><p xmlns="">two</p></abstract>)"
        R"(<name type="personal"><namePart type="given">A&amp;B</namePart>)"
        R"(<namePart type="family" extra="x&#10;y">Nazarova</namePart>)"
        R"(<role><roleTerm type="code" authority="marcrelator">aut</roleTerm></role></name>)"
        R"(<location><url xmlns:xl="http://www.w3.org/1999/xlink" xl:href="http://x/1">link</url></location>)"
        R"(<undeclared:thing>kept?</undeclared:thing>)"
        "</mods></metadata></record></ListRecords></OAI-PMH>";
    auto handler = read_in_chunks(body, 5);
    REQUIRE(handler.pairs.size() == 1);
    check_same(handler);
    // The metadata layer's cleaning then drops the markup and decodes &nbsp;.
    const auto& json = handler.pairs[0].from_tree;
    INFO(json);
    CHECK(json.find("\"title\":\"A cdata tтail\"") != std::string::npos);
    CHECK(json.find("\"subtitle\":\"Узбекистан и Кыргызстан\"") != std::string::npos);
    CHECK(json.find("\"given\":\"A&B\"") != std::string::npos);
}
