#include <catch2/catch.hpp>
#include <set>
#include <string>
#include <vector>

#include "provider_probe.hpp"
#include "sample/generate.hpp"

using namespace oaiharvest;
using namespace oaiharvest::testing;

TEST_CASE("Identify, ListMetadataFormats and ListSets describe the repository",
          "[sample][provider]") {
    const auto repository = sample::make_sample_repository({});
    const sample::Provider provider(repository,
                                    {.page_size = 100, .base_url = "http://h:1/cgi/oai2"});
    XmlDoc identify = ask(provider, {{"verb", "Identify"}});
    CHECK(identify.string("//oai:baseURL") == "http://h:1/cgi/oai2");
    CHECK(identify.string("//oai:earliestDatestamp") == "2025-01-06T08:00:00Z");
    CHECK(identify.string("//oai:deletedRecord") == "persistent");
    CHECK(identify.string("//oai:granularity") == "YYYY-MM-DDThh:mm:ssZ");
    CHECK(identify.string("//oai:request/@verb") == "Identify");

    XmlDoc formats = ask(provider, {{"verb", "ListMetadataFormats"}});
    CHECK(formats.strings("//oai:metadataPrefix") ==
          std::vector<std::string>{"mets", "mods", "oai_dc"});
    XmlDoc for_record = ask(provider, {{"verb", "ListMetadataFormats"},
                                       {"identifier", "oai:sample.oaiharvest.local:2"}});
    CHECK(for_record.count("//oai:metadataFormat") == 3);

    XmlDoc sets = ask(provider, {{"verb", "ListSets"}});
    CHECK(sets.count("//oai:set") == repository.sets.size());
}

TEST_CASE("argument errors are reported as EPrints reports them", "[sample][provider]") {
    const auto repository = sample::make_sample_repository({.records = 20});
    const sample::Provider provider(repository, {.page_size = 10, .base_url = "http://x/cgi/oai2"});
    CHECK(error_codes(provider, {}) == Codes{"badArgument"});
    CHECK(error_codes(provider, {{"verb", "Frobnicate"}}) == Codes{"badVerb", "badArgument"});
    CHECK(error_codes(provider, {{"verb", "Identify"}, {"verb", "Identify"}}) ==
          Codes{"badArgument", "badVerb"});
    CHECK(error_codes(provider, {{"verb", "ListRecords"}}) == Codes{"badArgument"});
    CHECK(error_codes(provider, {{"verb", "Identify"}, {"foo", "bar"}}) == Codes{"badArgument"});
    CHECK(error_codes(provider, {{"verb", "ListRecords"},
                                 {"metadataPrefix", "mods"},
                                 {"set", "74797065733D626F6F6B"},
                                 {"set", "x"}}) == Codes{"badVerb"});
    CHECK(error_codes(provider, {{"verb", "ListRecords"},
                                 {"metadataPrefix", "mods"},
                                 {"resumptionToken", "metadataPrefix%3Dmods%26offset%3D11"}}) ==
          Codes{"badArgument"});
    CHECK(error_codes(provider, {{"verb", "ListRecords"},
                                 {"metadataPrefix", "mods"},
                                 {"from", "2025-1-1"}}) == Codes{"badArgument"});
    CHECK(error_codes(provider, {{"verb", "ListRecords"},
                                 {"metadataPrefix", "mods"},
                                 {"from", "2025-01-01"},
                                 {"until", "2025-02-01T00:00:00Z"}}) == Codes{"badArgument"});
    CHECK(error_codes(provider, {{"verb", "ListRecords"},
                                 {"metadataPrefix", "mods"},
                                 {"set", "6E6F743D61736574"}}) == Codes{"badArgument"});
    CHECK(error_codes(provider, {{"verb", "GetRecord"},
                                 {"metadataPrefix", "mods"},
                                 {"identifier", "no-colon"}}) == Codes{"badArgument"});
}

TEST_CASE("token, format, identifier and empty-list errors", "[sample][provider]") {
    const auto repository = sample::make_sample_repository({.records = 20});
    const sample::Provider provider(repository, {.page_size = 10, .base_url = "http://x/cgi/oai2"});
    CHECK(error_codes(provider, {{"verb", "ListRecords"}, {"resumptionToken", "garbage"}}) ==
          Codes{"badResumptionToken", "badArgument"});
    CHECK(error_codes(provider, {{"verb", "ListIdentifiers"},
                                 {"resumptionToken", "metadataPrefix%3Dmarc%26offset%3D11"}}) ==
          Codes{"badResumptionToken", "cannotDisseminateFormat"});
    CHECK(error_codes(provider, {{"verb", "ListSets"}, {"resumptionToken", "x"}}) ==
          Codes{"badResumptionToken"});
    CHECK(error_codes(provider, {{"verb", "ListRecords"}, {"metadataPrefix", "marcxml"}}) ==
          Codes{"cannotDisseminateFormat"});
    CHECK(error_codes(provider, {{"verb", "GetRecord"},
                                 {"metadataPrefix", "mods"},
                                 {"identifier", "oai:sample.oaiharvest.local:999"}}) ==
          Codes{"idDoesNotExist"});
    CHECK(error_codes(provider, {{"verb", "ListRecords"},
                                 {"metadataPrefix", "mods"},
                                 {"from", "2030-01-01"}}) == Codes{"noRecordsMatch"});

    auto bare = repository;
    bare.sets.clear();
    bare.records[1].mods.clear();
    bare.records[1].mets.clear();
    bare.records[1].oai_dc.clear();
    const sample::Provider bare_provider(bare, {.page_size = 10, .base_url = "http://x/cgi/oai2"});
    CHECK(error_codes(bare_provider, {{"verb", "ListSets"}}) == Codes{"noSetHierarchy"});
    CHECK(error_codes(bare_provider, {{"verb", "ListMetadataFormats"},
                                      {"identifier", "oai:sample.oaiharvest.local:2"}}) ==
          Codes{"noMetadataFormats"});
    CHECK(error_codes(bare_provider, {{"verb", "GetRecord"},
                                      {"metadataPrefix", "mods"},
                                      {"identifier", "oai:sample.oaiharvest.local:2"}}) ==
          Codes{"cannotDisseminateFormat"});
}

TEST_CASE("responses are well-formed and escape what they echo", "[sample][provider]") {
    auto repository = sample::make_sample_repository({.records = 5});
    repository.records[2].sets.push_back("a&b<c>\"d\"");
    const sample::Provider provider(repository, {.page_size = 10, .base_url = "http://x/?a=1&b=2"});
    for (const sample::QueryArgs& args :
         {sample::QueryArgs{{"verb", "ListIdentifiers"}, {"metadataPrefix", "oai_dc"}},
          sample::QueryArgs{{"verb", "Identify"}},
          sample::QueryArgs{
              {"verb", "GetRecord"}, {"metadataPrefix", "x<&\""}, {"identifier", "a"}},
          sample::QueryArgs{{"verb", "ListRecords"}, {"resumptionToken", "<&>\"'"}}}) {
        CHECK(XmlDoc(provider.handle(args, k_date).body).ok());
    }
    XmlDoc headers = ask(provider, {{"verb", "ListIdentifiers"}, {"metadataPrefix", "oai_dc"}});
    CHECK(headers.count("//oai:setSpec[. = 'a&b<c>\"d\"']") == 1);
    CHECK(headers.string("//oai:request") == "http://x/?a=1&b=2");
}

TEST_CASE("responseDate is the current time unless given", "[sample][provider]") {
    const auto repository = sample::make_sample_repository({.records = 3});
    const sample::Provider provider(repository, {.page_size = 10, .base_url = "http://x/cgi/oai2"});
    XmlDoc now(provider.handle({{"verb", "Identify"}}).body);
    const std::string date = now.string("//oai:responseDate");
    CHECK(date.size() == 20);
    CHECK(date >= "2025-01-01T00:00:00Z");
    CHECK(ask(provider, {{"verb", "Identify"}}).string("//oai:responseDate") == k_date);
}
