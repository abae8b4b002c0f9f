#include <catch2/catch.hpp>

#include "harness.hpp"
#include "sample/provider.hpp"

using namespace oaiharvest;
using test::Harness;

// The reader streams: a page is never held whole, so memory does not grow with page size.
TEST_CASE("One page of more than 50 MB is harvested in far less memory than the page",
          "[integration][memory]") {
    sample::GenerateOptions options;
    options.records = 20'000;
    options.abstract_bytes = 2'500;
    sample::ProviderOptions provider;
    provider.page_size = 1'000'000;  // everything in one page
    Harness h(options, provider);
    {
        auto repository = sample::make_sample_repository(options);
        sample::Provider whole(repository, provider);
        auto page = whole.handle({{"verb", "ListRecords"}, {"metadataPrefix", "mets"}});
        REQUIRE(page.body.size() > 50u * 1024 * 1024);
    }

    auto result = h.run({"-v", "harvest", "--url", h.server.base_url(), "--prefix", "mets"});
    INFO(result.err);
    REQUIRE(result.exit_code == 0);
    auto status = h.status();
    CHECK(status[0]["records"] == 20'000);
    CHECK(status[0]["last_run"]["pages"] == 1);

    // The child reports its own peak: getrusage of a child spawned from this large test process
    // would count the parent's memory too (posix_spawn shares it until exec).
    auto at = result.err.find("peak memory: ");
    REQUIRE(at != std::string::npos);
    long peak_kib = std::stol(result.err.substr(at + 13));
    INFO("peak memory of the harvest: " << peak_kib << " KiB");
    const long page_kib = 50 * 1024;
    CHECK(peak_kib < page_kib);
    CHECK(peak_kib < 40 * 1024);
}
