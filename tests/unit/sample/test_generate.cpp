#include <algorithm>
#include <catch2/catch.hpp>
#include <cctype>
#include <string>

#include "eprints_fixtures.hpp"
#include "sample/generate.hpp"
#include "xml_doc.hpp"

using namespace oaiharvest;
using namespace oaiharvest::testing;

namespace {

// Generated metadata uses xsi: declared only on the OAI-PMH root, as EPrints' does.
XmlDoc parse_metadata(const std::string& metadata) {
    return XmlDoc("<wrap xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\">" + metadata +
                  "</wrap>");
}

bool any_record_contains(const sample::Repository& repository, std::string_view text) {
    for (const auto& record : repository.records) {
        if (record.mods.find(text) != std::string::npos) {
            return true;
        }
    }
    return false;
}

}  // namespace

TEST_CASE("record 1 is the seed record, byte for byte", "[sample][generate]") {
    const auto repository = sample::make_sample_repository({});
    const auto& seed = repository.records.front();
    CHECK(seed.identifier == "oai:sample.oaiharvest.local:1");
    CHECK(seed.datestamp == "2025-01-06T08:00:00Z");
    CHECK(seed.mods == read_fixture("seeds/000_6d3e3e1f7bd03d25.txt"));
    CHECK(seed.mets == read_fixture("seeds/001_41e69035f2cc746a.txt"));
    XmlDoc dc = parse_metadata(seed.oai_dc);
    REQUIRE(dc.ok());
    CHECK(dc.string("//dc:creator") == "Nazarova, Feruza");
    CHECK(dc.string("//dc:relation") == "http://sample.oaiharvest.local/id/eprint/1/");
}

TEST_CASE("the same options give the same bytes, and record N does not depend on the count",
          "[sample][generate]") {
    const auto small = sample::make_sample_repository({.records = 50});
    const auto large = sample::make_sample_repository({.records = 120});
    REQUIRE(small.records.size() == 50);
    REQUIRE(large.records.size() == 120);
    for (std::size_t i = 0; i < small.records.size(); ++i) {
        CHECK(small.records[i].mets == large.records[i].mets);
        CHECK(small.records[i].datestamp == large.records[i].datestamp);
    }
    const auto other_seed = sample::make_sample_repository({.records = 50, .seed = 7});
    CHECK(other_seed.records[10].mods != small.records[10].mods);
    CHECK(sample::make_sample_record(42, {}).mets == large.records[41].mets);
}

TEST_CASE("every 37th record is deleted: a header and sets, no metadata", "[sample][generate]") {
    const auto repository = sample::make_sample_repository({});
    std::size_t deleted = 0;
    for (const auto& record : repository.records) {
        auto number = *sample::eprint_number(record.identifier);
        CHECK(record.deleted == (number % 37 == 0));
        if (record.deleted) {
            ++deleted;
            CHECK(record.mets.empty());
            CHECK(record.mods.empty());
            CHECK(record.oai_dc.empty());
            CHECK_FALSE(record.sets.empty());
        }
    }
    CHECK(deleted == 8);
    // Withdrawn after they were made: later than their neighbours.
    CHECK(repository.records[36].datestamp > repository.records[37].datestamp);
}

TEST_CASE("generated METS has EPrints' shape", "[sample][generate]") {
    const auto repository = sample::make_sample_repository({.records = 60});
    for (const auto& record : repository.records) {
        if (record.deleted || record.identifier.ends_with(":1")) {
            continue;
        }
        INFO(record.identifier);
        XmlDoc mets = parse_metadata(record.mets);
        REQUIRE(mets.ok());
        CHECK(mets.count("//mets:xmlData/mods:mods") == 0);
        CHECK(mets.count("//mets:dmdSec/mets:mdWrap/mets:xmlData/mods:titleInfo/mods:title") == 1);
        CHECK(mets.string("//mets:metsHdr/@CREATEDATE") == record.datestamp);
        CHECK(mets.string("//mets:agent[@ROLE='CUSTODIAN']/mets:name") ==
              "oaiharvest Sample Repository");
        CHECK(mets.count("//mets:rightsMD//mods:useAndReproduction") == 1);
        CHECK(mets.count("//mets:structMap/mets:div") == 1);
        CHECK(parse_metadata(record.mods).ok());
        CHECK(parse_metadata(record.oai_dc).ok());
    }
    XmlDoc with_file = parse_metadata(repository.records[26].mets);  // record 27
    CHECK(with_file.string("//mets:file/mets:FLocat/@xlink:href") ==
          "http://sample.oaiharvest.local/id/eprint/27/1/fulltext_27.txt");
    CHECK(parse_metadata(repository.records[2].mets).count("//mets:file") == 0);  // record 3
    XmlDoc many_authors = parse_metadata(repository.records[56].mods);            // record 57
    CHECK(many_authors.count("//mods:name") == 22);
}

TEST_CASE("only the seed record names Nazarova or speaks of cultural diplomacy",
          "[sample][generate]") {
    // The demo and the catalogue tests search for both and expect the seed first.
    const auto repository = sample::make_sample_repository({.records = 1'000});
    auto lowered = [](std::string text) {
        std::transform(text.begin(), text.end(), text.begin(),
                       [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
        return text;
    };
    for (const auto& record : repository.records) {
        INFO(record.identifier);
        bool seed = record.identifier == "oai:sample.oaiharvest.local:1";
        for (const std::string* metadata : {&record.mets, &record.mods, &record.oai_dc}) {
            std::string text = lowered(*metadata);
            CHECK((text.find("nazarova") != std::string::npos) == seed);
            CHECK((text.find("cultural diplomacy") != std::string::npos) == seed);
            CHECK(metadata->find("Назарова") == std::string::npos);
        }
    }
}

TEST_CASE("the sample speaks the region's languages and EPrints' escapes", "[sample][generate]") {
    const auto repository = sample::make_sample_repository({});
    for (std::string_view text :
         {"ө", "ү", "ң", "ӣ", "ӯ", "ҳ", "қ", "ғ", "ҷ", "ʻ", "‘", "’", "Результаты", "&amp;nbsp;",
          "&amp; ", "&lt;", "<mods:classification authority=\"lcc\">",
          "<mods:dateIssued encoding=\"iso8601\">"}) {
        INFO(text);
        CHECK(any_record_contains(repository, text));
    }
}

TEST_CASE("sets: status=pub on all, one type each, hex-encoded subject classes",
          "[sample][generate]") {
    const auto repository = sample::make_sample_repository({});
    const std::string published = "7374617475733D707562";
    const std::string article = "74797065733D61727469636C65";
    const std::string book = "74797065733D626F6F6B";
    std::size_t books = 0;
    for (const auto& record : repository.records) {
        CHECK(record.sets.front() == published);
        bool is_article = std::count(record.sets.begin(), record.sets.end(), article) == 1;
        bool is_book = std::count(record.sets.begin(), record.sets.end(), book) == 1;
        CHECK(is_article != is_book);
        books += is_book;
    }
    CHECK(books > 30);
    CHECK(books < 150);
    CHECK(repository.sets.front().spec == published);
    CHECK(std::any_of(repository.sets.begin(), repository.sets.end(), [](const auto& set) {
        return set.spec == "7375626A656374733D4A:4A5A" &&
               set.name == "Subject = J Political Science: JZ International relations";
    }));
}

TEST_CASE("abstract_bytes pads abstracts, and prefixes limit the formats rendered",
          "[sample][generate]") {
    const auto repository = sample::make_sample_repository(
        {.records = 20, .abstract_bytes = 10'000, .prefixes = {"mets"}});
    REQUIRE(repository.formats.size() == 1);
    CHECK(repository.formats.front().prefix == "mets");
    for (const auto& record : repository.records) {
        CHECK(record.mods.empty());
        if (!record.deleted && !record.identifier.ends_with(":1")) {
            XmlDoc mets = parse_metadata(record.mets);
            CHECK(mets.string("//mods:abstract").size() >= 10'000);
        }
    }
}
