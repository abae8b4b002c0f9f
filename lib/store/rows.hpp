#pragma once
// What crosses the store's seam: the plain rows lib/harvest hands a store (a record copy,
// normalized by the caller; an endpoint's Identify facts; a list's next position). They name
// no SQLite, OAI or libxml2 type, so that any backend of the store takes the same rows.
// Plain values: no thread restrictions.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "metadata/metadata.hpp"

namespace oaiharvest::store {

// What an endpoint's Identify said, as the mirror keeps it; an empty string is not known.
struct RepositoryFacts {
    std::string repository_name;
    std::string protocol_version;
    std::string granularity;
    std::string earliest_datestamp;
    std::string deleted_record;
    std::string admin_email;  // the first one given
};

// One copy of a record as a page brings it, ready to be stored: its header, its metadata as sent
// and its normalized form, which the caller makes (lib/harvest/normalize.hpp) so that the store
// only writes.
struct Normalized {
    metadata::Description description;
    // metadata::to_json_text of the record: the JSON that export and show read.
    std::string json;
};
struct RecordCopy {
    std::string identifier;
    std::string datestamp;  // as sent, a date or not
    bool deleted = false;
    std::vector<std::string> set_specs;
    // The child of <metadata> as sent; empty for a deletion, a record not offered in the format,
    // or one whose metadata was dropped.
    std::string metadata;
    // Why the metadata was left out (it passed a size cap); the record is kept as its header.
    std::optional<std::string> dropped;
    // nullopt when not normalized (the mirror held the copy unchanged): should it be written
    // after all, PageWriter::put() has it made by the Normalizer it was given.
    std::optional<Normalized> normalized;
};
// What a record JSON's parse_error says when the header's datestamp is not a date (it then
// shows no datestamp); nullopt for a date. A description's own parse_error comes first.
std::optional<std::string> datestamp_error(const std::string& datestamp);

// Fills copy.normalized from the copy alone, the endpoint's name and the format's prefix.
using Normalizer = void (*)(RecordCopy& copy, const std::string& endpoint,
                            const std::string& prefix);

// Where the next page of a list is: the resumption token the server gave and what it said of it.
struct ListPosition {
    std::string token;
    std::optional<std::int64_t> cursor;
    std::optional<std::int64_t> complete_list_size;
};

}  // namespace oaiharvest::store
