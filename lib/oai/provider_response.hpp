#pragma once
// The XML of oaiharvest's data provider's responses (issue 14): the envelope every response
// shares, the errors, and Identify. Written with libxml2's xmlTextWriter, which escapes every
// value, so that record content or a hostile request argument cannot change the document's
// structure. Pure; thread-safe.

#include <cstdint>
#include <optional>
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

// A record's header as served: its datestamp is when it last changed in the mirror.
struct ServedHeader {
    std::string identifier;
    util::UtcTime datestamp{};
    std::vector<std::string> sets;
    bool deleted = false;
};

struct ServedFormat {
    std::string metadata_prefix;
    std::string schema;
    std::string metadata_namespace;
};

struct ServedSet {
    std::string spec;
    std::string name;
};

// A record as served: its header, and its metadata as one XML element with its namespaces
// declared (a harvested format's bytes as stored, byte for byte), empty when deleted.
struct ServedRecord {
    ServedHeader header;
    std::string metadata;
};

// The <resumptionToken> of an incomplete list's page; on the last page of a list of several
// pages the token is empty (the element then says only that the list is complete).
struct ListPage {
    std::string token;
    std::int64_t cursor = 0;
    std::int64_t complete_list_size = 0;
    std::optional<util::UtcTime> expiration;
};

// An error response: the refusal's code and message.
std::string error_response(const ResponseFrame& frame, const Refusal& refusal);

// Identify: seconds granularity, deletedRecord persistent (the mirror keeps every deletion).
std::string identify_response(const ResponseFrame& frame, const RepositoryIdentity& identity);

// The lists without record metadata. `page`: nullopt for a list of one page. An empty list is
// an error (noRecordsMatch, noMetadataFormats, noSetHierarchy), not one of these.
std::string list_identifiers_response(const ResponseFrame& frame,
                                      const std::vector<ServedHeader>& headers,
                                      const std::optional<ListPage>& page);
std::string get_record_response(const ResponseFrame& frame, const ServedRecord& record);
std::string list_records_response(const ResponseFrame& frame,
                                  const std::vector<ServedRecord>& records,
                                  const std::optional<ListPage>& page);
std::string list_metadata_formats_response(const ResponseFrame& frame,
                                           const std::vector<ServedFormat>& formats);
std::string list_sets_response(const ResponseFrame& frame, const std::vector<ServedSet>& sets,
                               const std::optional<ListPage>& page);

}  // namespace oaiharvest::oai
