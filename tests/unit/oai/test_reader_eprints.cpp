// The reader on every response a genuine EPrints 3.4.7 served (fixtures/eprints-3.4).
#include <catch2/catch.hpp>

#include "reader_support.hpp"
#include "support/fixtures.hpp"

using namespace oaiharvest;
using namespace oaiharvest::oai;
using test::read_fixture;
using test::read_response;

namespace {

struct ListCase {
    const char* file;
    std::size_t records;  // record elements (ListRecords, GetRecord)
    std::size_t headers;  // header elements of ListIdentifiers
    std::size_t deleted;
    const char* token;  // nullptr: no resumptionToken element
    std::int64_t cursor;
};

constexpr ListCase k_lists[] = {
    {"GetRecord_deleted_13_mets.xml", 1, 0, 1, nullptr, 0},
    {"GetRecord_deleted_13_oai_dc.xml", 1, 0, 1, nullptr, 0},
    {"GetRecord_mets_1.xml", 1, 0, 0, nullptr, 0},
    {"GetRecord_mets_2_with_file.xml", 1, 0, 0, nullptr, 0},
    {"GetRecord_mods_1.xml", 1, 0, 0, nullptr, 0},
    {"GetRecord_oai_dc_1.xml", 1, 0, 0, nullptr, 0},
    {"ListIdentifiers_from_deleted_only.xml", 0, 5, 5, nullptr, 0},
    {"ListIdentifiers_from_until.xml", 0, 8, 0, nullptr, 0},
    {"ListIdentifiers_oai_dc_page1.xml", 0, 100, 2, "metadataPrefix%3Doai_dc%26offset%3D101", 0},
    {"ListIdentifiers_oai_dc_page3_last.xml", 0, 58, 1, nullptr, 0},
    {"ListIdentifiers_set_types_article.xml", 0, 100, 2,
     "metadataPrefix%3Doai_dc%26offset%3D159%26set%3D74797065733D61727469636C65", 0},
    {"ListRecords_mets_page1.xml", 100, 0, 2, "metadataPrefix%3Dmets%26offset%3D101", 0},
    {"ListRecords_mets_page2.xml", 100, 0, 2, "metadataPrefix%3Dmets%26offset%3D201", 101},
    {"ListRecords_mets_page3_last.xml", 58, 0, 1, nullptr, 0},
    {"ListRecords_mods_page1.xml", 100, 0, 2, "metadataPrefix%3Dmods%26offset%3D101", 0},
    {"ListRecords_mods_page2.xml", 100, 0, 2, "metadataPrefix%3Dmods%26offset%3D201", 101},
    {"ListRecords_mods_page3_last.xml", 58, 0, 1, nullptr, 0},
    {"ListRecords_oai_dc_page1.xml", 100, 0, 2, "metadataPrefix%3Doai_dc%26offset%3D101", 0},
    {"ListRecords_oai_dc_page2.xml", 100, 0, 2, "metadataPrefix%3Doai_dc%26offset%3D201", 101},
    {"ListRecords_oai_dc_page3_last.xml", 58, 0, 1, nullptr, 0},
};

}  // namespace

TEST_CASE("EPrints lists: records, headers, deleted ones and tokens", "[oai][reader][eprints]") {
    for (const auto& list : k_lists) {
        INFO(list.file);
        auto reading = read_response(read_fixture(std::string("eprints-3.4/") + list.file));
        const auto& events = reading.events;
        CHECK(events.records.size() == list.records);
        CHECK(events.headers.size() == list.headers);
        CHECK(events.deleted_headers() == list.deleted);
        CHECK(events.errors.empty());
        CHECK(reading.summary.records == list.records + list.headers);
        CHECK(reading.summary.errors == 0);
        CHECK(reading.summary.repaired_characters == 0);
        CHECK(reading.summary.resumption_token_seen == (list.token != nullptr));
        CHECK(reading.summary.list_element_seen == std::string_view(list.file).starts_with("List"));
        if (list.token != nullptr) {
            REQUIRE(events.token);
            CHECK(events.token->value == list.token);
            CHECK(events.token->cursor == list.cursor);
            CHECK(events.token->complete_list_size ==
                  (std::string_view(list.file).find("set_types") != std::string_view::npos ? 157
                                                                                           : 258));
            CHECK(events.token->expiration_date.has_value());
        } else {
            CHECK_FALSE(events.token);
        }
        // A deleted record carries no metadata; every other one does.
        for (const auto& record : events.records) {
            INFO(record.header.identifier);
            CHECK(record.metadata.empty() == record.header.deleted);
            CHECK(record.about.empty());
        }
        REQUIRE(events.response_date);
        CHECK(events.response_date->starts_with("2026-11-23T05:16:"));
        REQUIRE(events.request);
        CHECK(events.request->base_url == "http://127.0.0.1:18180/cgi/oai2");
        CHECK(reading.summary.bytes ==
              read_fixture(std::string("eprints-3.4/") + list.file).size());
    }
}

TEST_CASE("EPrints ListRecords mets page 1 in detail", "[oai][reader][eprints]") {
    auto reading = read_response(read_fixture("eprints-3.4/ListRecords_mets_page1.xml"));
    const auto& records = reading.events.records;
    REQUIRE(records.size() == 100);

    const auto& first = records.front().header;
    CHECK(first.identifier == "oai:eprints.oailab.local:1");
    CHECK(first.datestamp == "2025-01-06T08:00:00Z");
    CHECK(first.set_specs ==
          std::vector<std::string>{"7374617475733D707562", "7375626A656374733D4A:4A5A",
                                   "7375626A656374733D44:4453", "74797065733D61727469636C65"});
    CHECK_FALSE(first.deleted);
    CHECK(records.back().header.identifier == "oai:eprints.oailab.local:100");

    std::vector<std::string> deleted;
    for (const auto& record : records) {
        if (record.header.deleted) {
            deleted.push_back(record.header.identifier);
            CHECK(record.header.set_specs.empty());
            CHECK(record.header.datestamp.starts_with("2026-02-02T"));
        }
    }
    CHECK(deleted ==
          std::vector<std::string>{"oai:eprints.oailab.local:13", "oai:eprints.oailab.local:57"});

    const auto& mets = records.front().metadata;
    CHECK(mets.starts_with("<mets:mets xmlns:mets=\"http://www.loc.gov/METS/\""));
    CHECK(mets.ends_with("</mets:mets>"));
    CHECK(mets.find("<mods:title>MECHANISMS FOR DEVELOPING CULTURAL DIPLOMACY  BETWEEN THE "
                    "REPUBLICS OF KYRGYZSTAN AND TAJIKISTAN</mods:title>") != std::string::npos);
    // Escaped twice by EPrints: kept as sent.
    CHECK(mets.find("<mods:abstract>&amp;nbsp;In this article") != std::string::npos);
    CHECK(mets.find("<mets:fileSec/>") != std::string::npos);

    REQUIRE(reading.events.request);
    CHECK(reading.events.request->attributes.size() == 2);
    CHECK(reading.events.token->expiration_date == "2026-11-24T05:16:49Z");
}

TEST_CASE("EPrints request echo keeps every attribute, in any order", "[oai][reader][eprints]") {
    auto reading = read_response(read_fixture("eprints-3.4/ListIdentifiers_from_until.xml"));
    REQUIRE(reading.events.request);
    auto attributes = reading.events.request->attributes;
    std::sort(attributes.begin(), attributes.end());
    CHECK(attributes ==
          std::vector<std::pair<std::string, std::string>>{{"from", "2025-05-01"},
                                                           {"metadataPrefix", "oai_dc"},
                                                           {"until", "2025-05-10"},
                                                           {"verb", "ListIdentifiers"}});
}

TEST_CASE("EPrints Identify", "[oai][reader][eprints]") {
    auto reading = read_response(read_fixture("eprints-3.4/Identify.xml"));
    REQUIRE(reading.events.identify);
    const auto& info = *reading.events.identify;
    CHECK(info.repository_name == "Central Asia OAI Lab Repository");
    CHECK(info.base_url == "http://127.0.0.1:18180/cgi/oai2");
    CHECK(info.protocol_version == "2.0");
    CHECK(info.admin_emails == std::vector<std::string>{"admin@oailab.example.org"});
    CHECK(info.earliest_datestamp == "2025-01-06T08:00:00Z");
    CHECK(info.deleted_record == "persistent");
    CHECK(info.granularity == "YYYY-MM-DDThh:mm:ssZ");
    CHECK(info.compressions.empty());
    CHECK_FALSE(reading.summary.list_element_seen);
    CHECK(reading.summary.records == 0);
    // The <description> blocks are skipped, and with them their own <text> and <URL>.
    CHECK(reading.events.log.size() == 3);
}

TEST_CASE("EPrints ListMetadataFormats", "[oai][reader][eprints]") {
    for (const char* file : {"ListMetadataFormats.xml", "ListMetadataFormats_identifier1.xml"}) {
        INFO(file);
        auto reading = read_response(read_fixture(std::string("eprints-3.4/") + file));
        const auto& formats = reading.events.formats;
        REQUIRE(formats.size() == 7);
        std::vector<std::string> prefixes;
        for (const auto& format : formats) {
            prefixes.push_back(format.prefix);
        }
        CHECK(prefixes == std::vector<std::string>{"didl", "mets", "mods", "oai_bibl", "oai_dc",
                                                   "rdf", "uketd_dc"});
        CHECK(formats[1].schema == "http://www.loc.gov/standards/mets/mets.xsd");
        CHECK(formats[1].namespace_uri == "http://www.loc.gov/METS/");
        CHECK(reading.summary.list_element_seen);
    }
}

TEST_CASE("EPrints ListSets", "[oai][reader][eprints]") {
    auto reading = read_response(read_fixture("eprints-3.4/ListSets.xml"));
    const auto& sets = reading.events.sets;
    REQUIRE(sets.size() == 282);
    CHECK(sets[0].spec == "7374617475733D7375626D6974746564");
    CHECK(sets[0].name == "Status = Submitted");
    bool nested = false;
    for (const auto& set : sets) {
        CHECK_FALSE(set.spec.empty());
        CHECK_FALSE(set.name.empty());
        nested = nested || set.spec.find(':') != std::string::npos;
    }
    CHECK(nested);
    CHECK_FALSE(reading.events.token);
    CHECK(reading.summary.list_element_seen);
}

TEST_CASE("EPrints error responses", "[oai][reader][eprints]") {
    struct ErrorCase {
        const char* file;
        std::vector<std::pair<ErrorCode, std::string>> errors;
    };
    const std::vector<ErrorCase> cases{
        {"error_badArgument.xml",
         {{ErrorCode::bad_argument, "Missing required argument 'metadataPrefix'"}}},
        {"error_badResumptionToken.xml",
         {{ErrorCode::bad_resumption_token,
           "The value of the resumptionToken argument is invalid or expired."},
          {ErrorCode::bad_argument,
           "Expected metadata prefix as part of resumption token, token contains:"}}},
        {"error_badVerb.xml",
         {{ErrorCode::bad_verb, "The value of the verb argument is not a legal OAI-PMH verb"},
          {ErrorCode::bad_argument, "Bad verb argument"}}},
        {"error_cannotDisseminateFormat.xml",
         {{ErrorCode::cannot_disseminate_format,
           "Record not available as metadata type: 'marcxml'"}}},
        {"error_idDoesNotExist.xml",
         {{ErrorCode::id_does_not_exist,
           "'oai:eprints.oailab.local:260' is not a valid item in this repository"}}},
        {"error_noRecordsMatch.xml",
         {{ErrorCode::no_records_match,
           "No items match. None. None at all. Not even deleted ones."}}},
    };
    for (const auto& expected : cases) {
        INFO(expected.file);
        auto reading = read_response(read_fixture(std::string("eprints-3.4/") + expected.file));
        const auto& errors = reading.events.errors;
        REQUIRE(errors.size() == expected.errors.size());
        for (std::size_t i = 0; i < errors.size(); ++i) {
            CHECK(errors[i].code == expected.errors[i].first);
            CHECK(errors[i].message == expected.errors[i].second);
        }
        CHECK(reading.summary.errors == expected.errors.size());
        CHECK_FALSE(reading.summary.list_element_seen);
        CHECK(reading.summary.records == 0);
        REQUIRE(reading.events.request);
        CHECK(reading.events.request->attributes.empty());
    }
}
