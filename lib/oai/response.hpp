#pragma once
// What an OAI-PMH response says, as plain values. Thread-safe (values only).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

struct _xmlNode;

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

// The child of <metadata> as a libxml2 tree, built while the record streamed in, so that it
// need not be parsed again: a view valid only inside ResponseHandler::on_record. A copy (or a
// move) is empty, so a Record kept beyond that call never points into a freed tree.
class MetadataTreeView {
public:
    MetadataTreeView() = default;
    explicit MetadataTreeView(const _xmlNode* root) : m_root(root) {}
    MetadataTreeView(const MetadataTreeView& /*other*/) noexcept {}
    MetadataTreeView& operator=(const MetadataTreeView& /*other*/) noexcept {
        m_root = nullptr;
        return *this;
    }
    ~MetadataTreeView() = default;
    // The root element; nullptr when there is none to read (no metadata, or a copy).
    const _xmlNode* root() const { return m_root; }
    void reset(const _xmlNode* root = nullptr) { m_root = root; }

private:
    const _xmlNode* m_root = nullptr;
};

struct Record {
    RecordHeader header;
    // The child of <metadata> as a standalone XML document fragment (no XML declaration):
    // the element and its subtree as sent, with every namespace declaration it needs to stand
    // alone added to its start tag. Empty when the record has no <metadata> (deleted).
    std::string metadata;
    std::vector<std::string> about;  // each <about> child, standalone in the same way
    // The same metadata as a tree, during on_record only (see MetadataTreeView).
    MetadataTreeView metadata_tree;
    // Set when the metadata and about were left out because they passed a cap (ReaderLimits):
    // says which, e.g. "metadata larger than the 16MiB record cap (http.max_record_size)".
    std::optional<std::string> dropped;
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
