#include <catch2/catch.hpp>
#include <set>
#include <string>
#include <vector>

#include "provider_probe.hpp"
#include "sample/generate.hpp"

using namespace oaiharvest;
using namespace oaiharvest::testing;

TEST_CASE("ListRecords pages chain through every record exactly once, in order",
          "[sample][provider]") {
    const auto repository = sample::make_sample_repository({});
    const sample::Provider provider(repository,
                                    {.page_size = 100, .base_url = "http://x/cgi/oai2"});
    auto prefix = GENERATE(as<std::string>{}, "mets", "mods", "oai_dc");
    ListRun run = list_all(provider, {{"verb", "ListRecords"}, {"metadataPrefix", prefix}});
    CHECK(run.pages == 3);
    REQUIRE(run.identifiers.size() == 300);
    for (std::size_t i = 0; i < run.identifiers.size(); ++i) {
        CHECK(run.identifiers[i] == "oai:sample.oaiharvest.local:" + std::to_string(i + 1));
    }
    CHECK(run.cursors == std::vector<std::string>{"0", "101"});  // EPrints: the eprint id offset
    CHECK(run.complete_list_sizes == std::set<std::string>{"300"});
}

TEST_CASE("small pages, ListIdentifiers, and a token that is already URL-encoded",
          "[sample][provider]") {
    const auto repository = sample::make_sample_repository({.records = 50});
    const sample::Provider provider(repository, {.page_size = 7, .base_url = "http://x/cgi/oai2"});
    ListRun run = list_all(provider, {{"verb", "ListIdentifiers"}, {"metadataPrefix", "oai_dc"}});
    CHECK(run.pages == 8);
    CHECK(std::set<std::string>(run.identifiers.begin(), run.identifiers.end()).size() == 50);

    XmlDoc first = ask(provider, {{"verb", "ListIdentifiers"}, {"metadataPrefix", "oai_dc"}});
    CHECK(first.string("//oai:resumptionToken") == "metadataPrefix%3Doai_dc%26offset%3D8");
    CHECK(first.string("//oai:resumptionToken/@expirationDate") == "2026-11-24T05:16:51Z");
}

TEST_CASE("the token keeps from, until and set for the following pages", "[sample][provider]") {
    const auto repository = sample::make_sample_repository({});
    const sample::Provider provider(repository, {.page_size = 10, .base_url = "http://x/cgi/oai2"});
    const std::string book = "74797065733D626F6F6B";
    const sample::QueryArgs first = {{"verb", "ListIdentifiers"},
                                     {"metadataPrefix", "mods"},
                                     {"set", book},
                                     {"from", "2025-02-01"},
                                     {"until", "2025-10-31"}};
    XmlDoc page = ask(provider, first);
    CHECK(page.string("//oai:resumptionToken") ==
          "from%3D2025-02-01%26metadataPrefix%3Dmods%26offset%3D" +
              std::to_string(*sample::eprint_number(page.strings("//oai:identifier").back()) + 1) +
              "%26set%3D74797065733D626F6F6B%26until%3D2025-10-31");
    std::set<std::string> expected;
    for (const auto& record : repository.records) {
        if (std::count(record.sets.begin(), record.sets.end(), book) &&
            record.datestamp >= "2025-02-01T00:00:00Z" &&
            record.datestamp <= "2025-10-31T23:59:59Z") {
            expected.insert(record.identifier);
        }
    }
    ListRun run = list_all(provider, first);
    CHECK(run.identifiers.size() == expected.size());
    CHECK(std::set<std::string>(run.identifiers.begin(), run.identifiers.end()) == expected);
    CHECK(run.complete_list_sizes == std::set<std::string>{std::to_string(expected.size())});
}

TEST_CASE("from and until are inclusive at both granularities", "[sample][provider]") {
    const auto repository = sample::make_sample_repository({});
    const sample::Provider provider(repository,
                                    {.page_size = 500, .base_url = "http://x/cgi/oai2"});
    const auto& fifth = repository.records[4];
    const std::string day = fifth.datestamp.substr(0, 10);

    XmlDoc by_day = ask(
        provider,
        {{"verb", "ListIdentifiers"}, {"metadataPrefix", "mods"}, {"from", day}, {"until", day}});
    for (const auto& stamp : by_day.strings("//oai:datestamp")) {
        CHECK(stamp.starts_with(day));
    }
    CHECK(by_day.count("//oai:header") >= 1);

    XmlDoc exact = ask(provider, {{"verb", "ListIdentifiers"},
                                  {"metadataPrefix", "mods"},
                                  {"from", fifth.datestamp},
                                  {"until", fifth.datestamp}});
    CHECK(exact.strings("//oai:identifier") == std::vector<std::string>{fifth.identifier});

    XmlDoc later =
        ask(provider,
            {{"verb", "ListIdentifiers"}, {"metadataPrefix", "mods"}, {"from", "2026-01-01"}});
    for (const auto& stamp : later.strings("//oai:datestamp")) {
        CHECK(stamp >= "2026-01-01T00:00:00Z");
    }
}

TEST_CASE("a set selects its subsets too", "[sample][provider]") {
    const auto repository = sample::make_sample_repository({});
    const sample::Provider provider(repository,
                                    {.page_size = 500, .base_url = "http://x/cgi/oai2"});
    XmlDoc political = ask(provider, {{"verb", "ListIdentifiers"},
                                      {"metadataPrefix", "mods"},
                                      {"set", "7375626A656374733D4A"}});  // subjects=J
    REQUIRE(political.count("//oai:header[not(@status)]") > 10);
    CHECK(political.count("//oai:header[not(@status)][not(oai:setSpec[starts-with(., "
                          "'7375626A656374733D4A:')])]") == 0);
}

TEST_CASE("deleted records are bare headers in lists and GetRecord", "[sample][provider]") {
    const auto repository = sample::make_sample_repository({});
    const sample::Provider provider(repository,
                                    {.page_size = 100, .base_url = "http://x/cgi/oai2"});
    XmlDoc page = ask(provider, {{"verb", "ListRecords"}, {"metadataPrefix", "mets"}});
    CHECK(page.count("//oai:record") == 100);
    CHECK(page.count("//oai:record[oai:header/@status='deleted']") == 2);  // 37 and 74
    CHECK(page.count("//oai:record[oai:header/@status='deleted']/oai:metadata") == 0);
    CHECK(page.count("//oai:header[@status='deleted']/oai:setSpec") == 0);

    XmlDoc gone = ask(provider, {{"verb", "GetRecord"},
                                 {"metadataPrefix", "mods"},
                                 {"identifier", "oai:sample.oaiharvest.local:74"}});
    CHECK(gone.string("//oai:header/@status") == "deleted");
    CHECK(gone.count("//oai:metadata") == 0);
}

TEST_CASE("GetRecord serves the seed record's metadata unchanged", "[sample][provider]") {
    const auto repository = sample::make_sample_repository({});
    const sample::Provider provider(repository,
                                    {.page_size = 100, .base_url = "http://x/cgi/oai2"});
    for (std::string prefix : {"mets", "mods"}) {
        auto response = provider.handle({{"verb", "GetRecord"},
                                         {"metadataPrefix", prefix},
                                         {"identifier", "oai:sample.oaiharvest.local:1"}},
                                        k_date);
        const std::string& expected =
            prefix == "mets" ? repository.records[0].mets : repository.records[0].mods;
        CHECK(response.body.find("<metadata>\n      " + expected + "</metadata></record>") !=
              std::string::npos);
        CHECK(XmlDoc(response.body).ok());
    }
}

TEST_CASE("EPrints' empty last page, when asked for", "[sample][provider]") {
    const auto repository = sample::make_sample_repository({.records = 20});
    sample::ProviderOptions options{.page_size = 10, .base_url = "http://x/cgi/oai2"};
    CHECK(list_all(sample::Provider(repository, options),
                   {{"verb", "ListRecords"}, {"metadataPrefix", "mods"}})
              .pages == 2);
    options.last_page = sample::LastPage::eprints_empty_page;
    const sample::Provider quirky(repository, options);
    ListRun run = list_all(quirky, {{"verb", "ListRecords"}, {"metadataPrefix", "mods"}});
    CHECK(run.pages == 3);
    CHECK(run.identifiers.size() == 20);
    auto empty = quirky.handle(
        {{"verb", "ListRecords"}, {"resumptionToken", "metadataPrefix%3Dmods%26offset%3D21"}},
        k_date);
    CHECK(empty.body.find("  <ListRecords/>\n</OAI-PMH>") != std::string::npos);
}
