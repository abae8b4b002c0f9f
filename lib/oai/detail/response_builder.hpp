#pragma once
// ResponseBuilder: turns the SAX events of an OAI-PMH response into ResponseHandler calls, in
// document order. It knows the protocol's element structure; the child of each <metadata> and
// <about> goes to a SubtreeWriter. Elements are matched by local name at the place the protocol
// puts them; unknown elements and their subtrees are skipped, and so is text outside the leaf
// elements (the whitespace between header fields, say). One record at a time is held, in
// buffers reused from record to record. Not thread-safe.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "oai/detail/metadata_tree.hpp"
#include "oai/detail/namespace_stack.hpp"
#include "oai/detail/subtree_writer.hpp"
#include "oai/detail/xml_event.hpp"
#include "oai/reader.hpp"
#include "oai/response.hpp"

namespace oaiharvest::oai::detail {

class ResponseBuilder {
public:
    ResponseBuilder(ResponseHandler& handler, const ReaderLimits& limits)
        : m_handler(handler), m_limits(limits) {}

    // Throws NotOaiPmhError at a root element other than OAI-PMH, LimitError past a limit that
    // cannot be met by dropping a record's metadata, and lets through whatever the handler
    // throws.
    void start_element(const XmlStartTag& tag);
    void end_element(std::string_view prefix, std::string_view local);
    void text(std::string_view text);
    void comment(std::string_view text);
    void processing_instruction(std::string_view target, std::string_view data);

    // The parser's name dictionary, for the metadata trees (MetadataTree::use_dictionary).
    void use_dictionary(_xmlDict* names) { m_tree.use_dictionary(names); }

    bool root_seen() const { return m_root_seen; }
    // Elements started and not yet ended: above 0 at the end of input, the body was cut short.
    std::size_t open_elements() const { return m_frames.size(); }
    ResponseSummary& summary() { return m_summary; }

private:
    // Where an element sits in the protocol's structure.
    enum class Node : std::uint8_t {
        document,
        root,
        ignored,
        response_date,
        request,
        error,
        identify,
        repository_name,
        base_url,
        protocol_version,
        admin_email,
        earliest_datestamp,
        deleted_record,
        granularity,
        compression,
        list_metadata_formats,
        metadata_format,
        format_prefix,
        format_schema,
        format_namespace,
        list_sets,
        set,
        set_spec,
        set_name,
        list_identifiers,
        list_records,
        get_record,
        record,
        header,
        identifier,
        datestamp,
        header_set_spec,
        metadata,
        about,
        payload_root,  // the child of <metadata> or <about>
        payload,       // below it
        dropped,       // in a payload left out for passing a cap (Record::dropped)
        resumption_token,
    };
    struct Frame {
        Node node;
        std::uint32_t declarations;  // namespace declarations the element pushed
    };

    static Node child_of(Node parent, std::string_view local);
    static bool collects_text(Node node);
    void open(Node node, Node parent, const XmlStartTag& tag, std::size_t outer_scope);
    void close(Node node, Node parent, std::string_view prefix, std::string_view local);
    void close_field(Node node);
    void read_token_attributes(const XmlStartTag& tag);
    // Leaves the record's metadata and about out, for the reason given, until the record ends.
    void drop_payload(std::string reason);
    // Drops the payload when it has grown past the record cap.
    void check_record_size();

    ResponseHandler& m_handler;
    ReaderLimits m_limits;
    NamespaceStack m_namespaces;
    SubtreeWriter m_writer{m_namespaces};
    MetadataTree m_tree{m_namespaces};
    bool m_in_tree = false;             // inside the record's <metadata> child
    bool m_tree_usable = false;         // one <metadata> child, built whole
    bool m_dropping = false;            // the record's payload passed a cap: its events are ignored
    bool m_in_about = false;            // the writer appends to m_record.about.back()
    std::uint32_t m_payload_depth = 0;  // payload elements open, the payload root included
    std::uint64_t m_about_bytes = 0;    // the record's about elements already written
    std::vector<Frame> m_frames;
    std::string m_text;       // the current leaf element's text
    std::string m_attribute;  // a decoded attribute value
    RecordHeader* m_header_target = &m_header;
    RecordHeader m_header;  // ListIdentifiers
    Record m_record;        // ListRecords, GetRecord
    RepositoryInfo m_info;
    MetadataFormat m_format;
    SetInfo m_set;
    ProtocolError m_error;
    RequestEcho m_request;
    ResumptionToken m_token;
    ResponseSummary m_summary;
    bool m_root_seen = false;
};

}  // namespace oaiharvest::oai::detail
