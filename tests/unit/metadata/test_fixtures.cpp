// Real responses: every record of the EPrints 3.4 fixtures and of other servers' oai_dc.

#include <algorithm>
#include <catch2/catch.hpp>
#include <chrono>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "metadata/metadata.hpp"
#include "oai_records.hpp"
#include "support/fixtures.hpp"

using namespace oaiharvest::metadata;
using oaiharvest::test::oai_records;
using oaiharvest::test::OaiRecord;
using oaiharvest::test::read_fixture;

namespace {

// Every live record of a response, described.
std::map<std::string, Description> described(const std::string& fixture) {
    std::map<std::string, Description> out;
    for (const OaiRecord& record : oai_records(read_fixture(fixture))) {
        if (!record.deleted) {
            out.emplace(record.identifier, describe(record.metadata));
        }
    }
    return out;
}

std::map<std::string, Description> eprints_pages(const std::string& prefix) {
    std::map<std::string, Description> all;
    for (const char* page : {"page1", "page2", "page3_last"}) {
        all.merge(described("eprints-3.4/ListRecords_" + prefix + "_" + page + ".xml"));
    }
    return all;
}

std::string eprint(int id) {
    return "oai:eprints.oailab.local:" + std::to_string(id);
}

}  // namespace

TEST_CASE("EPrints 3.4: every record normalizes, in every format", "[metadata][fixtures]") {
    for (const std::string prefix : {"mets", "mods", "oai_dc"}) {
        const auto records = eprints_pages(prefix);
        CHECK(records.size() == 253);  // 258 listed, 5 withdrawn
        for (const auto& [identifier, d] : records) {
            INFO(prefix << " " << identifier);
            CHECK_FALSE(d.parse_error);
            CHECK(d.title);
            CHECK_FALSE(d.names.empty());
            CHECK(d.date_issued);
            CHECK(d.mets.has_value() == (prefix == "mets"));
        }
    }
}

TEST_CASE("EPrints 3.4: 22 names where EPrints lists 22 creators", "[metadata][fixtures]") {
    for (const std::string prefix : {"mets", "mods", "oai_dc"}) {
        const auto records = eprints_pages(prefix);
        for (const int id : {7, 107, 157, 207, 257}) {
            INFO(prefix << " " << id);
            REQUIRE(records.contains(eprint(id)));
            // Record 257 has an editor beside them (a dc:contributor in oai_dc).
            const auto& names = records.at(eprint(id)).names;
            CHECK(std::ranges::count(names, std::optional<std::string>("author"), &Name::role) ==
                  22);
        }
        CHECK_FALSE(records.contains(eprint(57)));  // withdrawn
    }
}

TEST_CASE("EPrints 3.4: the file of record 2", "[metadata][fixtures]") {
    const auto records = described("eprints-3.4/GetRecord_mets_2_with_file.xml");
    REQUIRE(records.size() == 1);
    const Description& d = records.begin()->second;
    REQUIRE(d.files.size() == 1);
    CHECK(d.files[0].href == "http://127.0.0.1:18180/id/eprint/2/1/fulltext_2.txt");
    CHECK(d.files[0].mimetype == "text/plain");
    CHECK(d.files[0].size == 726);
    CHECK(d.files[0].use == "reference");
    REQUIRE(d.mets);
    CHECK(d.mets->objid == "eprint_2");
    CHECK(d.mets->custodian == "Central Asia OAI Lab Repository");
    CHECK(d.date_issued == "2025-06");
    CHECK(d.subjects.size() == 3);
    CHECK(d.subjects[0] == "DK Russia. Soviet Union. Former Soviet Republics");
}

TEST_CASE("EPrints 3.4: a file on every 25th record", "[metadata][fixtures]") {
    const auto records = eprints_pages("mets");
    for (const auto& [identifier, d] : records) {
        const int id = std::stoi(identifier.substr(identifier.rfind(':') + 1));
        INFO(identifier);
        CHECK(d.files.size() == (id % 25 == 2 ? 1u : 0u));
    }
}

TEST_CASE("EPrints 3.4: Cyrillic and mixed scripts pass unchanged", "[metadata][fixtures]") {
    const auto d = described("eprints-3.4/GetRecord_mets_2_with_file.xml").begin()->second;
    CHECK(d.title == "Проблемы и перспективы высшего образования в Республике Узбекистан");
    REQUIRE(d.names.size() == 3);
    CHECK(d.names[0].display == "Назарова, Сардор");
    CHECK(d.abstract ==
          "Мақолада Марказий Осиё давлатлари ўртасидаги ҳамкорлик масалалари таҳлил қилинган. "
          "Результаты исследования могут быть использованы при разработке государственных "
          "программ. Tadqiqot natijalari davlat dasturlarini ishlab chiqishda qo‘llanilishi "
          "mumkin. Methodologically, the study combines qualitative document analysis with "
          "comparative case studies.");
}

TEST_CASE("EPrints 3.4: the same record in mets, mods and oai_dc", "[metadata][fixtures]") {
    const auto mets = described("eprints-3.4/GetRecord_mets_1.xml").begin()->second;
    const auto mods = described("eprints-3.4/GetRecord_mods_1.xml").begin()->second;
    const auto dc = described("eprints-3.4/GetRecord_oai_dc_1.xml").begin()->second;
    for (const Description* d : {&mets, &mods, &dc}) {
        CHECK(d->title == mets.title);
        CHECK(d->abstract == mets.abstract);
        CHECK(d->date_issued == "2026-01-01");
        CHECK(d->subjects == std::vector<std::string>{"JZ International relations", "DS Asia"});
        REQUIRE(d->names.size() == 1);
        CHECK(d->names[0].display == "Nazarova, Feruza");
        CHECK(d->names[0].role == "author");
    }
    // oai_dc: the citation in dc:identifier is no identifier; dc:relation is the page.
    CHECK(dc.identifiers.empty());
    CHECK(dc.urls == std::vector<std::string>{"http://127.0.0.1:18180/id/eprint/1/"});
    CHECK(dc.type == "Article");
}

TEST_CASE("EPrints 3.4: xsi left undeclared, as cut from the response", "[metadata][fixtures]") {
    for (const OaiRecord& record :
         oai_records(read_fixture("eprints-3.4/ListRecords_mets_page1.xml"))) {
        if (!record.deleted) {
            INFO(record.identifier);
            const auto d = describe(record.metadata_in_place);
            CHECK_FALSE(d.parse_error);
            CHECK(d.title);
        }
    }
}

TEST_CASE("real oai_dc: titles and names from other servers", "[metadata][fixtures]") {
    struct Case {
        const char* fixture;
        std::size_t records;
    };
    for (const auto& [fixture, count] :
         {Case{"real/eprints-lshtm_ListRecords_oai_dc_2015-10_with-deleted.body.xml", 97},
          Case{"real/eprints-cogprints_ListRecords_oai_dc_2015-04.body.xml", 45},
          Case{"real/eprints-caltechauthors_ListRecords_oai_dc_2015-03.body.xml", 88},
          Case{"real/ojs-udea_ListRecords_oai_dc_deleted-and-token.xml", 32},
          Case{"real/cdl_ListRecords_oai_dc_non-oai-identifiers.xml", 3},
          Case{"real/contentdm-usfca_GetRecord_oai_qdc.xml", 1}}) {
        const auto records = described(fixture);
        CHECK(records.size() == count);
        for (const auto& [identifier, d] : records) {
            INFO(fixture << " " << identifier);
            CHECK_FALSE(d.parse_error);
            CHECK(d.title);
            CHECK_FALSE(d.names.empty());
            for (const Identifier& id : d.identifiers) {
                CHECK(id.value.find(' ') == std::string::npos);  // no citation strings
            }
        }
    }
}

TEST_CASE("real oai_dc: carriage returns in titles become spaces", "[metadata][fixtures]") {
    const auto records = described("real/eprints-cogprints_ListRecords_oai_dc_2015-04.body.xml");
    bool seen = false;
    for (const auto& [identifier, d] : records) {
        REQUIRE(d.title);
        CHECK(d.title->find('\r') == std::string::npos);
        CHECK(d.title->find("  ") == std::string::npos);
        if (d.title->starts_with("Two families with quadrupedalism")) {
            seen = true;
            CHECK(*d.title ==
                  "Two families with quadrupedalism, mental retardation, no speech, and infantile "
                  "hypotonia (Uner Tan Syndrome Type-II); a novel theory for the evolutionary "
                  "emergence of human bipedalism");
            CHECK(d.names[0].family == "Tan");
        }
    }
    CHECK(seen);
}

TEST_CASE("describe is thread-safe: threads read what one thread reads", "[metadata][fixtures]") {
    std::vector<std::string> inputs;
    for (const OaiRecord& record :
         oai_records(read_fixture("eprints-3.4/ListRecords_mets_page2.xml"))) {
        inputs.push_back(record.deleted ? std::string("<broken") : record.metadata);
    }
    const Envelope envelope{"sample", "oai:x", "2026-01-01", false, "mets", {}};
    std::vector<std::string> expected;
    for (const auto& input : inputs) {
        expected.push_back(to_json_text(envelope, describe(input)));
    }
    std::vector<std::size_t> mismatches(4, 0);
    std::vector<std::thread> threads;
    for (std::size_t t = 0; t < mismatches.size(); ++t) {
        threads.emplace_back([&, t] {
            for (int round = 0; round < 5; ++round) {
                for (std::size_t i = 0; i < inputs.size(); ++i) {
                    if (to_json_text(envelope, describe(inputs[i])) != expected[i]) {
                        ++mismatches[t];
                    }
                }
            }
        });
    }
    for (auto& thread : threads) {
        thread.join();
    }
    CHECK(mismatches == std::vector<std::size_t>(4, 0));
}

// Not run by ctest: `unit_metadata "[.bench]"`, on a Release build.
TEST_CASE("describe throughput on EPrints METS", "[.bench]") {
    std::vector<std::string> inputs;
    std::size_t bytes = 0;
    for (const char* page : {"page1", "page2", "page3_last"}) {
        for (const OaiRecord& record : oai_records(
                 read_fixture(std::string("eprints-3.4/ListRecords_mets_") + page + ".xml"))) {
            if (!record.deleted) {
                bytes += record.metadata.size();
                inputs.push_back(record.metadata);
            }
        }
    }
    const auto start = std::chrono::steady_clock::now();
    std::size_t described = 0;
    for (int round = 0; round < 20; ++round) {
        for (const auto& input : inputs) {
            described += describe(input).title ? 1 : 0;
        }
    }
    const std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - start;
    WARN(described / elapsed.count()
         << " records/s, average " << bytes / inputs.size() << " bytes");
    CHECK(described == 20 * inputs.size());
}
