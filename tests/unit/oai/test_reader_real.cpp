// The reader on real responses of other servers (fixtures/real, see its SOURCES.md).
#include <catch2/catch.hpp>

#include "reader_support.hpp"
#include "support/fixtures.hpp"

using namespace oaiharvest;
using namespace oaiharvest::oai;
using test::read_fixture;
using test::read_response;

namespace {

struct RealCase {
    const char* file;
    std::size_t records;
    std::size_t headers;
    std::size_t deleted;
    const char* token;  // nullptr: no resumptionToken element
    std::optional<std::int64_t> cursor;
    std::optional<std::int64_t> complete_list_size;
};

const RealCase k_real[] = {
    {"cdl_ListRecords_oai_dc_non-oai-identifiers.xml", 8, 0, 5, nullptr, {}, {}},
    {"contentdm-usfca_GetRecord_oai_qdc.xml", 1, 0, 0, nullptr, {}, {}},
    {"dspace-ucispace_ListRecords_didl.xml",
     1,
     0,
     0,
     "0001-01-01T00:00:00Z/9999-12-31T23:59:59Z/hdl_10575_7/didl/100",
     {},
     {}},
    {"eprints-caltechauthors_ListRecords_oai_dc_2015-03.body.xml", 88, 0, 0, nullptr, {}, {}},
    {"eprints-cogprints_ListRecords_oai_dc_2015-04.body.xml", 45, 0, 0, nullptr, {}, {}},
    {"eprints-lshtm_ListRecords_oai_dc_2015-10_with-deleted.body.xml", 98, 0, 1, nullptr, {}, {}},
    {"oaicat-erasmus_ListIdentifiers_non-oai-identifiers.xml", 0, 16, 0, nullptr, {}, {}},
    {"ojs-udea_ListRecords_oai_dc_deleted-and-token.xml", 100, 0, 68,
     "ef03a4acbbd30f29cfb3d128d9e6f1d3", 0, 727},
    {"tind-berkeley_ListRecords_marcxml.xml", 5, 0, 0, "sugoroku___kwbSpr", 0, 155},
};

}  // namespace

TEST_CASE("real lists: records, headers, deleted ones and tokens", "[oai][reader][real]") {
    for (const auto& list : k_real) {
        INFO(list.file);
        auto reading = read_response(read_fixture(std::string("real/") + list.file));
        const auto& events = reading.events;
        CHECK(events.records.size() == list.records);
        CHECK(events.headers.size() == list.headers);
        CHECK(events.deleted_headers() == list.deleted);
        CHECK(events.errors.empty());
        CHECK(reading.summary.records == list.records + list.headers);
        CHECK(reading.summary.repaired_characters == 0);
        if (list.token != nullptr) {
            REQUIRE(events.token);
            CHECK(events.token->value == list.token);
            CHECK(events.token->cursor == list.cursor);
            CHECK(events.token->complete_list_size == list.complete_list_size);
            CHECK(events.token->expiration_date.has_value());
        } else {
            CHECK_FALSE(events.token);
        }
        for (const auto& record : events.records) {
            INFO(record.header.identifier);
            CHECK(record.metadata.empty() == record.header.deleted);
            CHECK_FALSE(record.header.identifier.empty());
            CHECK_FALSE(record.header.datestamp.empty());
        }
    }
}

TEST_CASE("CDL: an empty ListRecords without an error is an empty, complete list",
          "[oai][reader][real]") {
    auto reading = read_response(read_fixture("real/cdl_ListRecords_empty-no-error.xml"));
    CHECK(reading.summary.list_element_seen);
    CHECK(reading.summary.records == 0);
    CHECK(reading.summary.errors == 0);
    CHECK_FALSE(reading.summary.resumption_token_seen);
    CHECK(reading.events.records.empty());
    CHECK_FALSE(reading.events.token);
    REQUIRE(reading.events.request);
    // &amp; in the echoed URL arrives decoded.
    CHECK(reading.events.request->base_url ==
          "http://content.cdlib.org/oai?verb=ListRecords&metadataPrefix=oai_dc&set=scu:objects");
}

TEST_CASE("CDL: identifiers that are not oai: URIs, datestamps to the day", "[oai][reader][real]") {
    auto reading =
        read_response(read_fixture("real/cdl_ListRecords_oai_dc_non-oai-identifiers.xml"));
    REQUIRE_FALSE(reading.events.records.empty());
    CHECK(reading.events.records.front().header.identifier == "13030/hb796nb5mn");
}

TEST_CASE("lshtm: the one deleted header has no setSpec and no metadata", "[oai][reader][real]") {
    auto reading = read_response(
        read_fixture("real/eprints-lshtm_ListRecords_oai_dc_2015-10_with-deleted.body.xml"));
    std::vector<const Record*> deleted;
    for (const auto& record : reading.events.records) {
        if (record.header.deleted) {
            deleted.push_back(&record);
        }
    }
    REQUIRE(deleted.size() == 1);
    CHECK(deleted[0]->header.identifier == "oai:researchonline.lshtm.ac.uk:2331691");
    CHECK(deleted[0]->header.datestamp == "2015-10-20T19:12:14Z");
    CHECK(deleted[0]->header.set_specs.empty());
    CHECK(deleted[0]->metadata.empty());
}

TEST_CASE("OJS: deleted headers keep their setSpecs", "[oai][reader][real]") {
    auto reading =
        read_response(read_fixture("real/ojs-udea_ListRecords_oai_dc_deleted-and-token.xml"));
    const auto& first = reading.events.records.at(0).header;
    CHECK(first.deleted);
    CHECK(first.identifier == "oai:ojs.aprendeenlinea.udea.edu.co:article/17812");
    CHECK(first.set_specs == std::vector<std::string>{"pruebasleo:OPIN"});
    CHECK(reading.events.token->expiration_date == "2015-02-26T16:54:34Z");
}

TEST_CASE("cogprints: carriage returns sent as &#13 survive in the metadata",
          "[oai][reader][real]") {
    auto reading =
        read_response(read_fixture("real/eprints-cogprints_ListRecords_oai_dc_2015-04.body.xml"));
    std::size_t carriage_returns = 0;
    for (const auto& record : reading.events.records) {
        for (auto at = record.metadata.find("&#13;"); at != std::string::npos;
             at = record.metadata.find("&#13;", at + 1)) {
            ++carriage_returns;
        }
        CHECK(record.metadata.find('\r') == std::string::npos);
    }
    CHECK(carriage_returns == 147);
}

TEST_CASE("OAICat Identify: deletedRecord no, three compressions, one line",
          "[oai][reader][real]") {
    auto reading = read_response(read_fixture("real/oaicat-erasmus_Identify_compression.xml"));
    REQUIRE(reading.events.identify);
    const auto& info = *reading.events.identify;
    CHECK(info.repository_name == "Erasmus University : Research Online");
    CHECK(info.base_url == "http://dspace.ubib.eur.nl/oai/");
    CHECK(info.protocol_version == "2.0");
    CHECK(info.admin_emails == std::vector<std::string>{"service@ubib.eur.nl"});
    CHECK(info.earliest_datestamp == "2001-01-01T00:00:00Z");
    CHECK(info.deleted_record == "no");
    CHECK(info.granularity == "YYYY-MM-DDThh:mm:ssZ");
    CHECK(info.compressions == std::vector<std::string>{"gzip", "compress", "deflate"});
    CHECK(*reading.events.response_date == "2003-04-30T16:08:01Z");
}

TEST_CASE("OAICat ListIdentifiers and ListSets", "[oai][reader][real]") {
    auto identifiers =
        read_response(read_fixture("real/oaicat-erasmus_ListIdentifiers_non-oai-identifiers.xml"));
    REQUIRE(identifiers.events.headers.size() == 16);
    CHECK(identifiers.events.headers[0].identifier == "hdl:1765/308");
    CHECK(identifiers.events.headers[0].datestamp == "2003-04-15T10:18:51Z");
    CHECK(identifiers.events.headers[0].set_specs == std::vector<std::string>{"1:2"});

    auto sets = read_response(read_fixture("real/oaicat-erasmus_ListSets.xml"));
    REQUIRE(sets.events.sets.size() == 10);
    CHECK(sets.summary.list_element_seen);
    bool found = false;
    for (const auto& set : sets.events.sets) {
        found = found ||
                (set.spec == "3" && set.name == "Erasmus MC (University Medical Center Rotterdam)");
    }
    CHECK(found);
}

TEST_CASE("CONTENTdm ListMetadataFormats and GetRecord", "[oai][reader][real]") {
    auto formats = read_response(read_fixture("real/contentdm-lmu_ListMetadataFormats.xml"));
    CHECK(formats.events.formats.size() == 3);
    for (const auto& format : formats.events.formats) {
        CHECK_FALSE(format.prefix.empty());
        CHECK_FALSE(format.namespace_uri.empty());
    }
    auto record = read_response(read_fixture("real/contentdm-usfca_GetRecord_oai_qdc.xml"));
    REQUIRE(record.events.records.size() == 1);
    const auto& header = record.events.records[0].header;
    CHECK(header.identifier == "oai:digitalcollections.usfca.edu:p264101coll6/188");
    CHECK(header.datestamp == "2012-02-01");
    CHECK(header.set_specs == std::vector<std::string>{"p264101coll6"});
    CHECK_FALSE(record.summary.list_element_seen);
}

TEST_CASE("the cassette reader takes out every body", "[oai][reader][real]") {
    auto bodies = test::cassette_bodies(
        read_fixture("real/zenodo-invenio_list_identifiers.oaipmh-scythe-vcr-cassette.yaml"));
    REQUIRE(bodies.size() == 12);
    CHECK(bodies[2].starts_with(
        "<?xml-stylesheet type=\"text/xsl\" href=\"/static/oai2.xsl\"?><OAI-PMH xmlns="));
    CHECK(bodies[0].ends_with("</OAI-PMH>\n"));
    CHECK(bodies[2].ends_with("</OAI-PMH>"));
}

TEST_CASE("Zenodo: protocol errors sent with HTTP 422", "[oai][reader][real]") {
    struct Expected {
        const char* cassette;
        std::size_t body;
        ErrorCode code;
        const char* message;
    };
    const Expected cases[] = {
        {"zenodo-invenio_id_does_not_exist", 0, ErrorCode::id_does_not_exist,
         "No matching identifier"},
        {"zenodo-invenio_get_record", 0, ErrorCode::bad_argument, "metadataPrefix does not exist"},
        {"zenodo-invenio_list_identifiers", 2, ErrorCode::no_records_match, ""},
        {"zenodo-invenio_list_identifiers", 3, ErrorCode::bad_argument,
         "metadataPrefix does not exist"},
        {"zenodo-invenio_list_identifiers", 6, ErrorCode::no_records_match, ""},
        {"zenodo-invenio_list_identifiers", 10, ErrorCode::bad_resumption_token,
         "The value of the resumptionToken argument is invalid or expired."},
        {"zenodo-invenio_list_sets", 1, ErrorCode::bad_resumption_token,
         "The value of the resumptionToken argument is invalid or expired."},
    };
    for (const auto& expected : cases) {
        INFO(expected.cassette << " body " << expected.body);
        auto bodies = test::cassette_bodies(read_fixture(std::string("real/") + expected.cassette +
                                                         ".oaipmh-scythe-vcr-cassette.yaml"));
        REQUIRE(bodies.size() > expected.body);
        // No XML declaration, only the stylesheet PI before the root.
        CHECK(bodies[expected.body].starts_with("<?xml-stylesheet"));
        auto reading = read_response(bodies[expected.body]);
        REQUIRE(reading.events.errors.size() == 1);
        CHECK(reading.events.errors[0].code == expected.code);
        CHECK(reading.events.errors[0].message == expected.message);
        CHECK(reading.summary.errors == 1);
        CHECK(reading.summary.records == 0);
        CHECK_FALSE(reading.summary.list_element_seen);
    }
}

TEST_CASE("Zenodo: pages of ListIdentifiers, ListSets and GetRecord", "[oai][reader][real]") {
    auto identifiers = test::cassette_bodies(
        read_fixture("real/zenodo-invenio_list_identifiers.oaipmh-scythe-vcr-cassette.yaml"));
    auto first = read_response(identifiers[0]);
    CHECK(first.events.headers.size() == 50);
    REQUIRE(first.events.token);
    CHECK(first.events.token->value.starts_with(".eJwljU1zgjAARP9LztrJB2JhxoO2J"));
    CHECK(first.events.token->cursor == 0);
    CHECK(first.events.token->complete_list_size == 1337969);

    auto with_deleted = read_response(identifiers[5]);
    CHECK(with_deleted.events.headers.size() == 3);
    CHECK(with_deleted.events.deleted_headers() == 1);

    auto second_page = read_response(identifiers[9]);
    REQUIRE(second_page.events.token);
    CHECK(second_page.events.token->cursor == 50);
    CHECK(second_page.events.token->complete_list_size == 8084640);

    auto last_page = read_response(identifiers[8]);
    CHECK(last_page.events.headers.size() == 3);
    CHECK_FALSE(last_page.events.token);

    auto sets = test::cassette_bodies(
        read_fixture("real/zenodo-invenio_list_sets.oaipmh-scythe-vcr-cassette.yaml"));
    auto sets_page = read_response(sets[0]);
    CHECK(sets_page.events.sets.size() == 5);
    REQUIRE(sets_page.events.token);
    CHECK(sets_page.events.token->complete_list_size == 42068);
    CHECK(read_response(sets[2]).events.sets.size() == 5);

    auto records = test::cassette_bodies(
        read_fixture("real/zenodo-invenio_get_record.oaipmh-scythe-vcr-cassette.yaml"));
    for (std::size_t i : {1, 2}) {
        auto reading = read_response(records[i]);
        REQUIRE(reading.events.records.size() == 1);
        CHECK_FALSE(reading.events.records[0].metadata.empty());
    }
}

TEST_CASE("Zenodo and e-periodica Identify, an HTML page is no OAI-PMH response",
          "[oai][reader][real]") {
    auto bodies = test::cassette_bodies(
        read_fixture("real/zenodo-invenio_identify.oaipmh-scythe-vcr-cassette.yaml"));
    REQUIRE(bodies.size() == 3);
    CHECK_THROWS_AS(read_response(bodies[0]), NotOaiPmhError);

    auto periodica = read_response(bodies[1]);
    REQUIRE(periodica.events.identify);
    CHECK(periodica.events.identify->repository_name == "repository.prod");
    CHECK(periodica.events.identify->admin_emails ==
          std::vector<std::string>{"webmaster@e-periodica.ch"});

    auto zenodo = read_response(bodies[2]);
    REQUIRE(zenodo.events.identify);
    CHECK(zenodo.events.identify->repository_name == "Zenodo");
    CHECK(zenodo.events.identify->deleted_record == "no");
    CHECK(zenodo.events.identify->earliest_datestamp == "2014-02-03T14:41:33Z");
}
