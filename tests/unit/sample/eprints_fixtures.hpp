#pragma once
// The EPrints 3.4.7 fixtures (tests/fixtures/eprints-3.4) as test data: the repository behind
// them, rebuilt from its own ListRecords, ListSets and ListMetadataFormats responses, and each
// recorded exchange (request arguments, responseDate, response bytes), so the sample provider
// can be replayed against the real thing. Reads files; not for hot loops.

#include <string>
#include <string_view>

#include "sample/provider.hpp"
#include "sample/repository.hpp"

namespace oaiharvest::testing {

inline constexpr std::string_view k_eprints_base_url = "http://127.0.0.1:18180/cgi/oai2";

// The bytes of a file under tests/fixtures ("seeds/000_6d3e3e1f7bd03d25.txt").
std::string read_fixture(std::string_view relative_path);

// The 258 records (5 withdrawn), 7 formats and the sets of the fixture installation.
sample::Repository eprints_fixture_repository();

struct FixtureExchange {
    sample::QueryArgs args;     // from the request URL in NAME.headers
    std::string response_date;  // from NAME.xml
    std::string response;       // NAME.xml
};
FixtureExchange load_exchange(std::string_view name);

// The body with its <request> attributes sorted: EPrints prints them in hash order.
std::string with_sorted_request_attributes(std::string body);

}  // namespace oaiharvest::testing
