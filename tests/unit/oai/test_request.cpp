#include <catch2/catch.hpp>

#include "oai/request.hpp"

using namespace oaiharvest::oai;

TEST_CASE("verb names are the protocol's", "[oai][request]") {
    CHECK(verb_name(Verb::identify) == "Identify");
    CHECK(verb_name(Verb::list_metadata_formats) == "ListMetadataFormats");
    CHECK(verb_name(Verb::list_sets) == "ListSets");
    CHECK(verb_name(Verb::list_identifiers) == "ListIdentifiers");
    CHECK(verb_name(Verb::list_records) == "ListRecords");
    CHECK(verb_name(Verb::get_record) == "GetRecord");
}

TEST_CASE("requests without arguments", "[oai][request]") {
    CHECK(identify().url("http://127.0.0.1:8399/cgi/oai2") ==
          "http://127.0.0.1:8399/cgi/oai2?verb=Identify");
    CHECK(list_sets().url("http://x/oai") == "http://x/oai?verb=ListSets");
    CHECK(list_metadata_formats().url("http://x/oai") == "http://x/oai?verb=ListMetadataFormats");
    CHECK(identify().arguments().empty());
    CHECK(identify().verb() == Verb::identify);
}

TEST_CASE("arguments go in a stable order, every value percent-encoded", "[oai][request]") {
    ListArguments args;
    args.metadata_prefix = "oai_dc";
    args.set = "7374617475733D707562";
    args.until = "2026-06-03T02:27:02Z";
    args.from = "2026-06-01T00:00:00Z";
    const auto records = list_records(args);
    CHECK(records.verb() == Verb::list_records);
    CHECK(records.url("http://x/oai") ==
          "http://x/oai?verb=ListRecords&metadataPrefix=oai_dc&from=2026-06-01T00%3A00%3A00Z"
          "&until=2026-06-03T02%3A27%3A02Z&set=7374617475733D707562");
    CHECK(list_identifiers(args)
              .url("http://x/oai")
              .starts_with("http://x/oai?verb=ListIdentifiers&metadataPrefix=oai_dc&from="));

    ListArguments only_prefix;
    only_prefix.metadata_prefix = "mets";
    only_prefix.set = "subjects:a b";
    CHECK(list_records(only_prefix).url("http://x/oai") ==
          "http://x/oai?verb=ListRecords&metadataPrefix=mets&set=subjects%3Aa%20b");

    CHECK(get_record("oai:eprints.oailab.local:1", "mets").url("http://x/oai") ==
          "http://x/oai?verb=GetRecord&identifier=oai%3Aeprints.oailab.local%3A1"
          "&metadataPrefix=mets");
    CHECK(list_metadata_formats("oai:x:1").url("http://x/oai") ==
          "http://x/oai?verb=ListMetadataFormats&identifier=oai%3Ax%3A1");
    CHECK_THROWS_AS(list_records(ListArguments{}), std::invalid_argument);
}

TEST_CASE("resumptionToken is exclusive and encoded even when it looks encoded", "[oai][request]") {
    const auto next = resume(Verb::list_records, "metadataPrefix%3Dmets%26offset%3D101");
    REQUIRE(next.arguments().size() == 1);
    CHECK(next.arguments()[0].first == "resumptionToken");
    CHECK(next.url("http://127.0.0.1:18180/cgi/oai2") ==
          "http://127.0.0.1:18180/cgi/oai2?verb=ListRecords"
          "&resumptionToken=metadataPrefix%253Dmets%2526offset%253D101");
    CHECK(resume(Verb::list_identifiers, ".eJw+/=").url("http://x/oai") ==
          "http://x/oai?verb=ListIdentifiers&resumptionToken=.eJw%2B%2F%3D");
    CHECK(resume(Verb::list_sets, "t").url("http://x/oai") ==
          "http://x/oai?verb=ListSets&resumptionToken=t");
    CHECK_THROWS_AS(resume(Verb::list_records, ""), std::invalid_argument);
    CHECK_THROWS_AS(resume(Verb::get_record, "t"), std::invalid_argument);
}

TEST_CASE("a base URL that has a query already", "[oai][request]") {
    CHECK(identify().url("http://x/oai?site=a") == "http://x/oai?site=a&verb=Identify");
    CHECK(identify().url("http://x/oai?") == "http://x/oai?verb=Identify");
    CHECK(identify().url("http://x/oai?site=a&") == "http://x/oai?site=a&verb=Identify");
}
