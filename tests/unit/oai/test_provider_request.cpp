// A data provider's reading of a request (lib/oai/provider_request): each error condition of
// OAI-PMH 2.0 with its code, and the arguments of each verb.

#include <catch2/catch.hpp>

#include "oai/provider_request.hpp"

using namespace oaiharvest;
using oai::ProviderError;
using Arguments = std::vector<std::pair<std::string, std::string>>;

namespace {

// The refusal's code, or "" when the request is accepted.
std::string refused(const Arguments& arguments) {
    auto request = oai::parse_provider_request(arguments);
    return request ? "" : std::string(oai::error_code(request.error().error));
}

}  // namespace

TEST_CASE("Each verb takes its own arguments", "[oai][provider]") {
    auto identify = oai::parse_provider_request({{"verb", "Identify"}});
    REQUIRE(identify);
    CHECK(identify->verb == oai::Verb::identify);

    auto get = oai::parse_provider_request(
        {{"verb", "GetRecord"}, {"metadataPrefix", "oai_dc"}, {"identifier", "oai:x:1"}});
    REQUIRE(get);
    CHECK(get->verb == oai::Verb::get_record);
    CHECK(get->identifier == "oai:x:1");
    CHECK(get->metadata_prefix == "oai_dc");

    auto list = oai::parse_provider_request({{"verb", "ListRecords"},
                                             {"metadataPrefix", "mets"},
                                             {"set", "uzb:physics"},
                                             {"from", "2026-01-01"},
                                             {"until", "2026-01-31"}});
    REQUIRE(list);
    CHECK(list->set == "uzb:physics");
    CHECK(util::format_utc_seconds(*list->from) == "2026-01-01T00:00:00Z");
    // A day given as until includes the whole day.
    CHECK(util::format_utc_seconds(*list->until) == "2026-01-31T23:59:59Z");

    auto formats =
        oai::parse_provider_request({{"verb", "ListMetadataFormats"}, {"identifier", "oai:x:1"}});
    REQUIRE(formats);
    CHECK(formats->identifier == "oai:x:1");
    CHECK(refused({{"verb", "ListMetadataFormats"}}).empty());
    CHECK(refused({{"verb", "ListSets"}}).empty());
    CHECK(refused({{"verb", "ListIdentifiers"}, {"metadataPrefix", "oai_dc"}}).empty());
}

TEST_CASE("A missing, repeated or unknown verb is badVerb", "[oai][provider]") {
    CHECK(refused({}) == "badVerb");
    CHECK(refused({{"metadataPrefix", "oai_dc"}}) == "badVerb");
    CHECK(refused({{"verb", "Identify"}, {"verb", "Identify"}}) == "badVerb");
    CHECK(refused({{"verb", "ListItems"}}) == "badVerb");
    CHECK(refused({{"verb", "identify"}}) == "badVerb");  // verbs are case-sensitive
    CHECK(refused({{"verb", ""}}) == "badVerb");
    auto unknown = oai::parse_provider_request({{"verb", "ListItems"}});
    REQUIRE_FALSE(unknown);
    CHECK(unknown.error().message == "\"ListItems\" is not an OAI-PMH verb");
}

TEST_CASE("Illegal, repeated and missing arguments are badArgument, naming the argument",
          "[oai][provider]") {
    CHECK(refused({{"verb", "Identify"}, {"set", "a"}}) == "badArgument");
    CHECK(refused({{"verb", "ListSets"}, {"metadataPrefix", "oai_dc"}}) == "badArgument");
    CHECK(refused({{"verb", "GetRecord"}, {"identifier", "oai:x:1"}}) == "badArgument");
    CHECK(refused({{"verb", "ListRecords"}}) == "badArgument");
    CHECK(refused({{"verb", "ListRecords"}, {"metadataPrefix", "a"}, {"metadataPrefix", "b"}}) ==
          "badArgument");
    CHECK(refused({{"verb", "GetRecord"}, {"identifier", "oai:x:1"}, {"resumptionToken", "t"}}) ==
          "badArgument");

    auto missing = oai::parse_provider_request({{"verb", "GetRecord"}, {"identifier", "x"}});
    REQUIRE_FALSE(missing);
    CHECK(missing.error().message == "GetRecord needs the argument metadataPrefix");
    auto illegal = oai::parse_provider_request({{"verb", "Identify"}, {"from", "2026-01-01"}});
    REQUIRE_FALSE(illegal);
    CHECK(illegal.error().message == "\"from\" is not an argument of Identify");
}

TEST_CASE("A resumption token is exclusive", "[oai][provider]") {
    auto resumed = oai::parse_provider_request({{"verb", "ListRecords"}, {"resumptionToken", "t"}});
    REQUIRE(resumed);
    CHECK(resumed->resumption_token == "t");
    CHECK_FALSE(resumed->metadata_prefix);
    CHECK(refused({{"verb", "ListSets"}, {"resumptionToken", "t"}}).empty());
    CHECK(refused({{"verb", "ListIdentifiers"},
                   {"resumptionToken", "t"},
                   {"metadataPrefix", "oai_dc"}}) == "badArgument");
    CHECK(refused({{"verb", "ListRecords"}, {"until", "2026-01-01"}, {"resumptionToken", "t"}}) ==
          "badArgument");
}

TEST_CASE("from and until are dates of one granularity, in order", "[oai][provider]") {
    auto list = [](Arguments dates) {
        dates.insert(dates.begin(), {{"verb", "ListRecords"}, {"metadataPrefix", "oai_dc"}});
        return refused(dates);
    };
    CHECK(list({{"from", "2026-01-01T10:00:00Z"}, {"until", "2026-01-01T10:00:00Z"}}).empty());
    CHECK(list({{"until", "2026-01-01T10:00:00Z"}}).empty());
    // Not one of the protocol's two forms, though a looser parser would read them.
    for (const char* date :
         {"2026-1-1", "2026-01-01T10:00Z", "2026-01-01T10:00:00", "2026-01-01T10:00:00.5Z",
          "2026-01-01T10:00:00+01:00", "yesterday", "2026-02-30", ""}) {
        INFO(date);
        CHECK(list({{"from", date}}) == "badArgument");
    }
    CHECK(list({{"from", "2026-01-01"}, {"until", "2026-01-02T00:00:00Z"}}) == "badArgument");
    CHECK(list({{"from", "2026-01-02"}, {"until", "2026-01-01"}}) == "badArgument");
    CHECK(list({{"from", "2026-01-01"}, {"until", "2026-01-01"}}).empty());
}

TEST_CASE("Every error condition has the protocol's code", "[oai][provider]") {
    using E = ProviderError;
    CHECK(oai::error_code(E::bad_verb) == "badVerb");
    CHECK(oai::error_code(E::bad_argument) == "badArgument");
    CHECK(oai::error_code(E::bad_resumption_token) == "badResumptionToken");
    CHECK(oai::error_code(E::cannot_disseminate_format) == "cannotDisseminateFormat");
    CHECK(oai::error_code(E::id_does_not_exist) == "idDoesNotExist");
    CHECK(oai::error_code(E::no_records_match) == "noRecordsMatch");
    CHECK(oai::error_code(E::no_metadata_formats) == "noMetadataFormats");
    CHECK(oai::error_code(E::no_set_hierarchy) == "noSetHierarchy");
}
