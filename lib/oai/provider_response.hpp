#pragma once
// The XML of oaiharvest's data provider's responses (issue 14): the envelope every response
// shares, the errors, and Identify. Written with libxml2's xmlTextWriter, which escapes every
// value, so that record content or a hostile request argument cannot change the document's
// structure. Pure; thread-safe.

#include <string>
#include <utility>
#include <vector>

#include "oai/provider_request.hpp"
#include "util/time.hpp"

namespace oaiharvest::oai {

// What every response repeats: when it was made, and what it answers.
struct ResponseFrame {
    util::UtcTime response_date{};
    std::string base_url;
    // The request's arguments, verb included, as received. Echoed as the <request> element's
    // attributes only when the request was legal: after badVerb or badArgument the protocol
    // allows the base URL alone (OAI-PMH 2.0, 3.2).
    std::vector<std::pair<std::string, std::string>> arguments;
};

struct RepositoryIdentity {
    std::string repository_name;
    std::vector<std::string> admin_emails;  // at least one
    util::UtcTime earliest_datestamp{};
};

// An error response: the refusal's code and message.
std::string error_response(const ResponseFrame& frame, const Refusal& refusal);

// Identify: seconds granularity, deletedRecord persistent (the mirror keeps every deletion).
std::string identify_response(const ResponseFrame& frame, const RepositoryIdentity& identity);

}  // namespace oaiharvest::oai
