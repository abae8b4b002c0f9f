// The provider's responses (lib/oai/provider_response), validated against the official
// OAI-PMH 2.0 schema (tests/fixtures/schemas/OAI-PMH.xsd, offline).

#include <libxml/parser.h>
#include <libxml/xmlschemas.h>

#include <catch2/catch.hpp>
#include <memory>

#include "oai/provider_response.hpp"
#include "support/fixtures.hpp"

using namespace oaiharvest;

namespace {

// libxml2's schema errors, gathered instead of printed.
void collect(void* messages, const char* format, ...) {
    char line[512];
    va_list args;
    va_start(args, format);
    std::vsnprintf(line, sizeof line, format, args);
    va_end(args);
    *static_cast<std::string*>(messages) += line;
}

// "" when `xml` is a valid OAI-PMH response, else libxml2's words.
std::string schema_errors(const std::string& xml) {
    std::string messages;
    std::unique_ptr<xmlSchemaParserCtxt, void (*)(xmlSchemaParserCtxtPtr)> parser(
        xmlSchemaNewParserCtxt(test::fixture_path("schemas/OAI-PMH.xsd").c_str()),
        xmlSchemaFreeParserCtxt);
    REQUIRE(parser);
    std::unique_ptr<xmlSchema, void (*)(xmlSchemaPtr)> schema(xmlSchemaParse(parser.get()),
                                                              xmlSchemaFree);
    REQUIRE(schema);
    std::unique_ptr<xmlSchemaValidCtxt, void (*)(xmlSchemaValidCtxtPtr)> valid(
        xmlSchemaNewValidCtxt(schema.get()), xmlSchemaFreeValidCtxt);
    xmlSchemaSetValidErrors(valid.get(), collect, collect, &messages);
    std::unique_ptr<xmlDoc, void (*)(xmlDocPtr)> doc(
        xmlReadMemory(xml.data(), static_cast<int>(xml.size()), "response.xml", nullptr,
                      XML_PARSE_NONET),
        xmlFreeDoc);
    if (!doc) {
        return "not well-formed";
    }
    if (xmlSchemaValidateDoc(valid.get(), doc.get()) != 0 && messages.empty()) {
        messages = "invalid";
    }
    return messages;
}

oai::ResponseFrame frame(std::vector<std::pair<std::string, std::string>> arguments) {
    return {*util::parse_utc("2026-12-02T10:00:00Z"), "http://127.0.0.1:8080/oai",
            std::move(arguments)};
}

bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

}  // namespace

TEST_CASE("Every error response is valid OAI-PMH, echoing the request only when it was legal",
          "[oai][provider]") {
    using E = oai::ProviderError;
    for (E error :
         {E::bad_verb, E::bad_argument, E::bad_resumption_token, E::cannot_disseminate_format,
          E::id_does_not_exist, E::no_records_match, E::no_metadata_formats, E::no_set_hierarchy}) {
        auto xml = oai::error_response(frame({{"verb", "ListRecords"}, {"metadataPrefix", "mods"}}),
                                       {error, "why"});
        INFO(xml);
        CHECK(schema_errors(xml).empty());
        CHECK(contains(xml, "code=\"" + std::string(oai::error_code(error)) + "\">why</error>"));
        const bool echoed = contains(xml, "metadataPrefix=\"mods\"");
        CHECK(echoed == (error != E::bad_verb && error != E::bad_argument));
    }
}

TEST_CASE("Hostile text in a request or message stays text", "[oai][provider]") {
    const std::string hostile = "\"/><evil xmlns=\"x\">&amp;</evil><!-- ]]> <![CDATA[";
    auto xml = oai::error_response(frame({{"verb", "GetRecord"},
                                          {"identifier", hostile},
                                          {"metadataPrefix", "oai_dc"},
                                          {"onload", "alert(1)"}}),
                                   {oai::ProviderError::id_does_not_exist, hostile});
    INFO(xml);
    CHECK(schema_errors(xml).empty());
    CHECK_FALSE(contains(xml, "<evil"));
    CHECK_FALSE(contains(xml, "onload"));  // only the protocol's argument names are echoed
    // Not a URI: the identifier is not echoed (the schema types it anyURI), the message has it.
    CHECK_FALSE(contains(xml, "identifier="));
    CHECK(contains(xml, "metadataPrefix=\"oai_dc\""));

    // A URI that needs escaping as XML is echoed, escaped.
    const std::string odd = "oai:x:1?a=\"b\"&c=<d>";
    xml = oai::error_response(
        frame({{"verb", "GetRecord"}, {"identifier", odd}, {"metadataPrefix", "oai_dc"}}),
        {oai::ProviderError::id_does_not_exist, "no such record"});
    CHECK(schema_errors(xml).empty());
    std::unique_ptr<xmlDoc, void (*)(xmlDocPtr)> doc(
        xmlReadMemory(xml.data(), static_cast<int>(xml.size()), "r.xml", nullptr, XML_PARSE_NONET),
        xmlFreeDoc);
    REQUIRE(doc);
    auto* request = xmlDocGetRootElement(doc.get())->children;
    while (request && (request->type != XML_ELEMENT_NODE ||
                       std::string(reinterpret_cast<const char*>(request->name)) != "request")) {
        request = request->next;
    }
    REQUIRE(request);
    std::unique_ptr<xmlChar, void (*)(void*)> identifier(
        xmlGetProp(request, reinterpret_cast<const xmlChar*>("identifier")), xmlFree);
    REQUIRE(identifier);
    CHECK(reinterpret_cast<const char*>(identifier.get()) == odd);
}

TEST_CASE("Identify says seconds granularity and persistent deletions", "[oai][provider]") {
    oai::RepositoryIdentity identity{"Ўзбекистон журналлари — oaiharvest mirror",
                                     {"admin@example.uz", "second@example.uz"},
                                     *util::parse_utc("2019-03-04T05:06:07Z")};
    auto xml = oai::identify_response(frame({{"verb", "Identify"}}), identity);
    INFO(xml);
    CHECK(schema_errors(xml).empty());
    CHECK(contains(xml, "<repositoryName>Ўзбекистон журналлари — oaiharvest mirror<"));
    CHECK(contains(xml, "<baseURL>http://127.0.0.1:8080/oai</baseURL>"));
    CHECK(contains(xml, "<earliestDatestamp>2019-03-04T05:06:07Z</earliestDatestamp>"));
    CHECK(contains(xml, "<deletedRecord>persistent</deletedRecord>"));
    CHECK(contains(xml, "<granularity>YYYY-MM-DDThh:mm:ssZ</granularity>"));
    CHECK(contains(xml, "<responseDate>2026-12-02T10:00:00Z</responseDate>"));
    CHECK_THROWS(oai::identify_response(frame({{"verb", "Identify"}}), {"x", {}, {}}));
}

TEST_CASE("ListIdentifiers pages are valid, with deletions and the token's counts",
          "[oai][provider]") {
    std::vector<oai::ServedHeader> headers{
        {"oai:journal.uz:1",
         *util::parse_utc("2026-11-30T08:15:00Z"),
         {"journal", "journal:7"},
         false},
        {"oai:journal.uz:2", *util::parse_utc("2026-11-30T08:15:01Z"), {}, true}};
    auto args = frame({{"verb", "ListIdentifiers"}, {"metadataPrefix", "oai_dc"}});

    oai::ListPage middle{"1,I,oai_dc,,,1,2,3,2,5", 0, 5, util::parse_utc("2026-12-03T10:00:00Z")};
    auto xml = oai::list_identifiers_response(args, headers, middle);
    INFO(xml);
    CHECK(schema_errors(xml).empty());
    CHECK(contains(xml, "<header status=\"deleted\"><identifier>oai:journal.uz:2</identifier>"));
    CHECK(contains(xml, "<setSpec>journal</setSpec><setSpec>journal:7</setSpec>"));
    CHECK(contains(xml,
                   "<resumptionToken expirationDate=\"2026-12-03T10:00:00Z\" "
                   "completeListSize=\"5\" cursor=\"0\">1,I,oai_dc,,,1,2,3,2,5<"));

    // The last page of several: an empty token with the counts; a single page: none at all.
    auto last = oai::list_identifiers_response(args, headers, oai::ListPage{"", 3, 5, {}});
    CHECK(schema_errors(last).empty());
    CHECK(contains(last, "<resumptionToken completeListSize=\"5\" cursor=\"3\"/>"));
    auto single = oai::list_identifiers_response(args, headers, std::nullopt);
    CHECK(schema_errors(single).empty());
    CHECK_FALSE(contains(single, "resumptionToken"));
}

TEST_CASE("ListMetadataFormats and ListSets are valid", "[oai][provider]") {
    auto formats = oai::list_metadata_formats_response(
        frame({{"verb", "ListMetadataFormats"}}),
        {{"oai_dc", "http://www.openarchives.org/OAI/2.0/oai_dc.xsd",
          "http://www.openarchives.org/OAI/2.0/oai_dc/"},
         {"mets", "http://www.loc.gov/standards/mets/mets.xsd", "http://www.loc.gov/METS/"}});
    INFO(formats);
    CHECK(schema_errors(formats).empty());
    CHECK(contains(formats, "<metadataPrefix>mets</metadataPrefix>"));

    auto sets = oai::list_sets_response(
        frame({{"verb", "ListSets"}}),
        {{"journal-uz", "Ўзбекистон журнали <mirror>"}, {"journal-uz:physics", "Физика & техника"}},
        std::nullopt);
    INFO(sets);
    CHECK(schema_errors(sets).empty());
    CHECK(contains(sets, "<setName>Ўзбекистон журнали &lt;mirror&gt;</setName>"));
    CHECK(contains(sets, "<setName>Физика &amp; техника</setName>"));
}

TEST_CASE("A record's metadata is served byte for byte, and a deleted one has none",
          "[oai][provider]") {
    const std::string mets =
        "<mets:mets xmlns:mets=\"http://www.loc.gov/METS/\" OBJID=\"eprint_1\">"
        "<mets:dmdSec ID=\"d\"><mets:mdWrap MDTYPE=\"MODS\"><mets:xmlData><title "
        "xmlns=\"http://www.loc.gov/mods/v3\">Ўзбек &amp; тили&#160;</title></mets:xmlData>"
        "</mets:mdWrap></mets:dmdSec></mets:mets>";
    oai::ServedRecord live{
        {"oai:journal.uz:1", *util::parse_utc("2026-11-30T08:15:00Z"), {}, false}, mets};
    auto xml = oai::get_record_response(frame({{"verb", "GetRecord"},
                                               {"identifier", "oai:journal.uz:1"},
                                               {"metadataPrefix", "mets"}}),
                                        live);
    CHECK(contains(xml, "<metadata>" + mets + "</metadata>"));
    std::unique_ptr<xmlDoc, void (*)(xmlDocPtr)> parsed(
        xmlReadMemory(xml.data(), static_cast<int>(xml.size()), "r.xml", nullptr, XML_PARSE_NONET),
        xmlFreeDoc);
    CHECK(parsed);

    oai::ServedRecord gone{{"oai:journal.uz:2", *util::parse_utc("2026-11-30T08:15:01Z"), {}, true},
                           {}};
    auto deleted = oai::get_record_response(frame({{"verb", "GetRecord"},
                                                   {"identifier", "oai:journal.uz:2"},
                                                   {"metadataPrefix", "mets"}}),
                                            gone);
    INFO(deleted);
    CHECK(schema_errors(deleted).empty());
    CHECK_FALSE(contains(deleted, "<metadata"));

    auto list =
        oai::list_records_response(frame({{"verb", "ListRecords"}, {"metadataPrefix", "mets"}}),
                                   {live, gone}, oai::ListPage{"", 0, 2, {}});
    CHECK(contains(list, "<ListRecords><record><header>"));
    CHECK(contains(list, mets));
    CHECK(contains(list, "<header status=\"deleted\"><identifier>oai:journal.uz:2<"));
}
