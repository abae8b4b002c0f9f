#pragma once
// What an OAI-PMH response says, as plain values. Thread-safe (values only).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace oaiharvest::oai {

enum class ErrorCode {
    bad_argument,
    bad_resumption_token,
    bad_verb,
    cannot_disseminate_format,
    id_does_not_exist,
    no_records_match,
    no_metadata_formats,
    no_set_hierarchy,
    unknown,  // a code outside the protocol; code_text keeps what the server said
};

// One <error> element of a response.
struct ProtocolError {
    ErrorCode code = ErrorCode::unknown;
    std::string code_text;  // the code attribute as sent
    std::string message;    // the element's text, whitespace-trimmed
};

ErrorCode error_code_from(std::string_view code_text);

// The <request> element: what the server says it was asked.
struct RequestEcho {
    std::string base_url;  // element text
    std::vector<std::pair<std::string, std::string>> attributes;
};

struct RecordHeader {
    std::string identifier;
    std::string datestamp;
    std::vector<std::string> set_specs;
    bool deleted = false;  // status="deleted"
};

struct Record {
    RecordHeader header;
    // The child of <metadata> as a standalone XML document fragment (no XML declaration):
    // the element and its subtree as sent, with every namespace declaration it needs to stand
    // alone added to its start tag. Empty when the record has no <metadata> (deleted).
    std::string metadata;
    std::vector<std::string> about;  // each <about> child, standalone in the same way
};

struct ResumptionToken {
    std::string value;  // empty: the element was empty, so the list is complete
    std::optional<std::int64_t> cursor;
    std::optional<std::int64_t> complete_list_size;
    std::optional<std::string> expiration_date;
};

struct RepositoryInfo {
    std::string repository_name;
    std::string base_url;
    std::string protocol_version;
    std::string earliest_datestamp;
    std::string deleted_record;  // no | transient | persistent
    std::string granularity;     // YYYY-MM-DD | YYYY-MM-DDThh:mm:ssZ
    std::vector<std::string> admin_emails;
    std::vector<std::string> compressions;
};

struct MetadataFormat {
    std::string prefix;
    std::string schema;
    std::string namespace_uri;
};

struct SetInfo {
    std::string spec;
    std::string name;
};

}  // namespace oaiharvest::oai
