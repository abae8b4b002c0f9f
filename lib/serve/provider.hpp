#pragma once
// oaiharvest's OAI-PMH data provider (issue 14; docs/serving.md): one request's arguments in,
// the response's XML out, read from the mirror.
//
// - Sets: each endpoint's name is a set, and the endpoint's own sets are beneath it
//   (`endpoint:spec`). Formats: oai_dc for every record (see answer_oai), and every format
//   harvested into the mirror, byte for byte as harvested.
// - Datestamps are when the record last changed in the mirror, in seconds; deletions are kept
//   (deletedRecord persistent).
// - Resumption tokens carry the whole state of their list (oai/provider_token.hpp).

#include <chrono>
#include <string>
#include <utility>
#include <vector>

#include "store/store.hpp"
#include "util/time.hpp"

namespace oaiharvest::serve {

struct ProviderSettings {
    std::string repository_name = "oaiharvest mirror";
    std::vector<std::string> admin_emails{"root@localhost.localdomain"};
    int page_size = 100;  // records, headers or sets in one page of a list
    // What expirationDate promises: a token stays valid at least this long (in fact as long as
    // the mirror holds the rows it names).
    std::chrono::seconds token_lifetime{std::chrono::hours{24}};
};

// The response to one request. `arguments`: the query's or form's decoded pairs, in order;
// `base_url`: the provider's URL as the harvester reaches it. oai_dc is the copy harvested in
// oai_dc, byte for byte, when that is the record's newest copy, and otherwise made from the
// normalized record of its newest copy.
std::string answer_oai(store::Store& store, const ProviderSettings& settings,
                       const std::string& base_url,
                       const std::vector<std::pair<std::string, std::string>>& arguments,
                       util::UtcTime now);

}  // namespace oaiharvest::serve
