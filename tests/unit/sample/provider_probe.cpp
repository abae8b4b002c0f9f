#include "provider_probe.hpp"

namespace oaiharvest::testing {

XmlDoc ask(const sample::Provider& provider, const sample::QueryArgs& args) {
    sample::ProviderResponse response = provider.handle(args, k_date);
    REQUIRE(response.status == 200);
    XmlDoc doc(response.body);
    REQUIRE(doc.ok());
    return doc;
}

// Follows resumption tokens to the end, as a harvester would.
ListRun list_all(const sample::Provider& provider, sample::QueryArgs first) {
    ListRun run;
    sample::QueryArgs args = std::move(first);
    const std::string verb = args.find("verb")->second;
    while (true) {
        XmlDoc page = ask(provider, args);
        REQUIRE(page.count("//oai:error") == 0);
        ++run.pages;
        for (auto& id : page.strings("//oai:header/oai:identifier")) {
            run.identifiers.push_back(id);
        }
        if (page.count("//oai:resumptionToken") == 0) {
            return run;
        }
        run.cursors.push_back(page.string("//oai:resumptionToken/@cursor"));
        run.complete_list_sizes.insert(page.string("//oai:resumptionToken/@completeListSize"));
        args = {{"verb", verb}, {"resumptionToken", page.string("//oai:resumptionToken")}};
    }
}

Codes error_codes(const sample::Provider& provider, const sample::QueryArgs& args) {
    sample::ProviderResponse response = provider.handle(args, k_date);
    CHECK(response.status == 200);
    XmlDoc doc(response.body);
    REQUIRE(doc.ok());
    CHECK(doc.string("//oai:request/@verb").empty());  // errors echo no arguments
    return doc.strings("//oai:error/@code");
}

}  // namespace oaiharvest::testing
