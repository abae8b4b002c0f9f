#include "oai/detail/response_builder.hpp"

#include <array>
#include <charconv>

namespace oaiharvest::oai::detail {

namespace {

std::string_view trimmed(std::string_view text) {
    constexpr std::string_view k_space = " \t\n\r";
    auto begin = text.find_first_not_of(k_space);
    if (begin == std::string_view::npos) {
        return {};
    }
    return text.substr(begin, text.find_last_not_of(k_space) + 1 - begin);
}

std::optional<std::int64_t> to_int(std::string_view text) {
    text = trimmed(text);
    std::int64_t value = 0;
    auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error != std::errc{} || end != text.data() + text.size() || text.empty()) {
        return std::nullopt;
    }
    return value;
}

// "16MiB" when whole mebibytes, else bytes: the way the config file writes the cap.
std::string size_text(std::uint64_t bytes) {
    constexpr std::uint64_t k_mib = std::uint64_t{1} << 20;
    return bytes % k_mib == 0 && bytes > 0 ? std::to_string(bytes / k_mib) + "MiB"
                                           : std::to_string(bytes) + " bytes";
}

// A string that held a large record gives its memory back instead of keeping it for the next.
void release_large(std::string& text) {
    constexpr std::size_t k_keep = std::size_t{1} << 20;
    if (text.capacity() > k_keep) {
        std::string().swap(text);
    } else {
        text.clear();
    }
}

void reset(RecordHeader& header) {
    header.identifier.clear();
    header.datestamp.clear();
    header.set_specs.clear();
    header.deleted = false;
}

}  // namespace

ResponseBuilder::Node ResponseBuilder::child_of(Node parent, std::string_view local) {
    struct Child {
        Node parent;
        std::string_view name;
        Node node;
    };
    static constexpr std::array k_children{
        Child{Node::root, "responseDate", Node::response_date},
        Child{Node::root, "request", Node::request},
        Child{Node::root, "error", Node::error},
        Child{Node::root, "Identify", Node::identify},
        Child{Node::root, "ListMetadataFormats", Node::list_metadata_formats},
        Child{Node::root, "ListSets", Node::list_sets},
        Child{Node::root, "ListIdentifiers", Node::list_identifiers},
        Child{Node::root, "ListRecords", Node::list_records},
        Child{Node::root, "GetRecord", Node::get_record},
        Child{Node::identify, "repositoryName", Node::repository_name},
        Child{Node::identify, "baseURL", Node::base_url},
        Child{Node::identify, "protocolVersion", Node::protocol_version},
        Child{Node::identify, "adminEmail", Node::admin_email},
        Child{Node::identify, "earliestDatestamp", Node::earliest_datestamp},
        Child{Node::identify, "deletedRecord", Node::deleted_record},
        Child{Node::identify, "granularity", Node::granularity},
        Child{Node::identify, "compression", Node::compression},
        Child{Node::list_metadata_formats, "metadataFormat", Node::metadata_format},
        Child{Node::metadata_format, "metadataPrefix", Node::format_prefix},
        Child{Node::metadata_format, "schema", Node::format_schema},
        Child{Node::metadata_format, "metadataNamespace", Node::format_namespace},
        Child{Node::list_sets, "set", Node::set},
        Child{Node::list_sets, "resumptionToken", Node::resumption_token},
        Child{Node::set, "setSpec", Node::set_spec},
        Child{Node::set, "setName", Node::set_name},
        Child{Node::list_identifiers, "header", Node::header},
        Child{Node::list_identifiers, "resumptionToken", Node::resumption_token},
        Child{Node::list_records, "record", Node::record},
        Child{Node::list_records, "resumptionToken", Node::resumption_token},
        Child{Node::get_record, "record", Node::record},
        Child{Node::record, "header", Node::header},
        Child{Node::record, "metadata", Node::metadata},
        Child{Node::record, "about", Node::about},
        Child{Node::header, "identifier", Node::identifier},
        Child{Node::header, "datestamp", Node::datestamp},
        Child{Node::header, "setSpec", Node::header_set_spec},
    };
    switch (parent) {
        case Node::metadata:
        case Node::about:
            return Node::payload_root;
        case Node::payload_root:
        case Node::payload:
            return Node::payload;
        case Node::dropped:
            return Node::dropped;
        default:
            break;
    }
    for (const auto& child : k_children) {
        if (child.parent == parent && child.name == local) {
            return child.node;
        }
    }
    return Node::ignored;
}

bool ResponseBuilder::collects_text(Node node) {
    switch (node) {
        case Node::response_date:
        case Node::request:
        case Node::error:
        case Node::repository_name:
        case Node::base_url:
        case Node::protocol_version:
        case Node::admin_email:
        case Node::earliest_datestamp:
        case Node::deleted_record:
        case Node::granularity:
        case Node::compression:
        case Node::format_prefix:
        case Node::format_schema:
        case Node::format_namespace:
        case Node::set_spec:
        case Node::set_name:
        case Node::identifier:
        case Node::datestamp:
        case Node::header_set_spec:
        case Node::resumption_token:
            return true;
        default:
            return false;
    }
}

void ResponseBuilder::start_element(const XmlStartTag& tag) {
    if (m_frames.size() >= k_max_document_depth) {
        throw LimitError("elements nested deeper than " + std::to_string(k_max_document_depth));
    }
    const Node parent = m_frames.empty() ? Node::document : m_frames.back().node;
    Node node = Node::root;
    if (parent == Node::document) {
        // Known at the first start tag: an HTML error page fails here, before its body.
        if (tag.local != "OAI-PMH") {
            std::string name(tag.prefix);
            name += tag.prefix.empty() ? "" : ":";
            name += tag.local;
            throw NotOaiPmhError("not an OAI-PMH response: the root element is <" + name + ">");
        }
        m_root_seen = true;
    } else {
        node = child_of(parent, tag.local);
    }
    if (m_dropping && (node == Node::payload_root || node == Node::payload)) {
        node = Node::dropped;
    } else if ((node == Node::payload_root || node == Node::payload) &&
               m_payload_depth >= m_limits.max_depth) {
        drop_payload("metadata nested deeper than the " + std::to_string(m_limits.max_depth) +
                     "-element nesting cap (http.max_nesting_depth)");
        node = Node::dropped;
    }
    // What an ignored or dropped element declares is never looked up: leaving it off keeps the
    // stack as shallow as the elements read, however deep a hostile document nests.
    const std::size_t outer_scope = m_namespaces.size();
    const bool read = node != Node::ignored && node != Node::dropped;
    if (read) {
        for (const auto& declaration : tag.namespaces) {
            m_namespaces.push(declaration.prefix, declaration.uri);
        }
    }
    m_frames.push_back({node, static_cast<std::uint32_t>(read ? tag.namespaces.size() : 0)});
    open(node, parent, tag, outer_scope);
}

void ResponseBuilder::end_element(std::string_view prefix, std::string_view local) {
    const Frame frame = m_frames.back();
    m_frames.pop_back();
    const Node parent = m_frames.empty() ? Node::document : m_frames.back().node;
    close(frame.node, parent, prefix, local);
    m_namespaces.pop(frame.declarations);
}

void ResponseBuilder::text(std::string_view text) {
    const Node node = m_frames.empty() ? Node::document : m_frames.back().node;
    if ((node == Node::payload || node == Node::payload_root) && !m_dropping) {
        m_writer.text(text);
        if (m_in_tree) {
            m_tree.text(text);
        }
        check_record_size();
    } else if (collects_text(node)) {
        if (m_text.size() + text.size() > m_limits.max_record_bytes) {
            throw LimitError("a header field, token or error text longer than the " +
                             size_text(m_limits.max_record_bytes) +
                             " record cap (http.max_record_size)");
        }
        m_text += text;
    }
}

void ResponseBuilder::comment(std::string_view text) {
    if (!m_frames.empty() && !m_dropping &&
        (m_frames.back().node == Node::payload || m_frames.back().node == Node::payload_root)) {
        m_writer.comment(text);
        check_record_size();
    }
}

void ResponseBuilder::processing_instruction(std::string_view target, std::string_view data) {
    if (!m_frames.empty() && !m_dropping &&
        (m_frames.back().node == Node::payload || m_frames.back().node == Node::payload_root)) {
        m_writer.processing_instruction(target, data);
        check_record_size();
    }
}

void ResponseBuilder::check_record_size() {
    std::uint64_t bytes = m_record.metadata.size() + m_about_bytes;
    if (m_in_about && !m_record.about.empty()) {
        bytes += m_record.about.back().size();
    }
    if (bytes > m_limits.max_record_bytes) {
        drop_payload("metadata larger than the " + size_text(m_limits.max_record_bytes) +
                     " record cap (http.max_record_size)");
    }
}

void ResponseBuilder::drop_payload(std::string reason) {
    if (!m_record.dropped) {
        m_record.dropped = std::move(reason);
    }
    m_dropping = true;
    release_large(m_record.metadata);
    m_record.about.clear();
    m_record.about.shrink_to_fit();
    m_about_bytes = 0;
    m_in_about = false;
    m_tree.clear();
    m_in_tree = false;
    m_tree_usable = false;
}

void ResponseBuilder::open(Node node, Node parent, const XmlStartTag& tag,
                           std::size_t outer_scope) {
    if (collects_text(node)) {
        m_text.clear();
    }
    switch (node) {
        case Node::payload_root:
            ++m_payload_depth;
            if (parent == Node::metadata) {
                m_writer.begin(m_record.metadata, outer_scope);
                // A second child of <metadata> (not valid OAI-PMH) is read from the text.
                m_tree_usable = m_tree.root() == nullptr && !m_tree_usable;
                m_tree.clear();
                m_in_tree = m_tree_usable;
            } else {
                m_writer.begin(m_record.about.emplace_back(), outer_scope);
                m_in_about = true;
            }
            m_writer.start_element(tag);
            if (m_in_tree) {
                m_tree.start_element(tag);
            }
            check_record_size();
            break;
        case Node::payload:
            ++m_payload_depth;
            m_writer.start_element(tag);
            if (m_in_tree) {
                m_tree.start_element(tag);
            }
            check_record_size();
            break;
        case Node::request:
            m_request.attributes.clear();
            for (const auto& attribute : tag.attributes) {
                std::string name(attribute.prefix);
                name += attribute.prefix.empty() ? "" : ":";
                name += attribute.local;
                decode_attribute(attribute.value, m_attribute);
                m_request.attributes.emplace_back(std::move(name), m_attribute);
            }
            break;
        case Node::error:
            m_error.code_text.clear();
            for (const auto& attribute : tag.attributes) {
                if (attribute.prefix.empty() && attribute.local == "code") {
                    decode_attribute(attribute.value, m_error.code_text);
                }
            }
            m_error.code = error_code_from(m_error.code_text);
            break;
        case Node::identify:
            m_info = RepositoryInfo{};
            break;
        case Node::list_metadata_formats:
        case Node::list_sets:
        case Node::list_identifiers:
        case Node::list_records:
            m_summary.list_element_seen = true;
            break;
        case Node::metadata_format:
            m_format = MetadataFormat{};
            break;
        case Node::set:
            m_set.spec.clear();
            m_set.name.clear();
            break;
        case Node::record:
            reset(m_record.header);
            release_large(m_record.metadata);
            m_record.about.clear();
            m_record.dropped.reset();
            m_tree.clear();
            m_tree_usable = false;
            m_dropping = false;
            m_in_about = false;
            m_payload_depth = 0;
            m_about_bytes = 0;
            break;
        case Node::header:
            m_header_target = parent == Node::record ? &m_record.header : &m_header;
            if (parent != Node::record) {
                reset(m_header);
            }
            for (const auto& attribute : tag.attributes) {
                if (attribute.prefix.empty() && attribute.local == "status") {
                    decode_attribute(attribute.value, m_attribute);
                    m_header_target->deleted = trimmed(m_attribute) == "deleted";
                }
            }
            break;
        case Node::resumption_token:
            m_summary.resumption_token_seen = true;
            read_token_attributes(tag);
            break;
        default:
            break;
    }
}

void ResponseBuilder::read_token_attributes(const XmlStartTag& tag) {
    m_token.cursor.reset();
    m_token.complete_list_size.reset();
    m_token.expiration_date.reset();
    for (const auto& attribute : tag.attributes) {
        if (!attribute.prefix.empty()) {
            continue;
        }
        decode_attribute(attribute.value, m_attribute);
        if (attribute.local == "cursor") {
            m_token.cursor = to_int(m_attribute);
        } else if (attribute.local == "completeListSize") {
            m_token.complete_list_size = to_int(m_attribute);
        } else if (attribute.local == "expirationDate") {
            m_token.expiration_date = std::string(trimmed(m_attribute));
        }
    }
}

void ResponseBuilder::close(Node node, Node parent, std::string_view prefix,
                            std::string_view local) {
    switch (node) {
        case Node::payload_root:
            --m_payload_depth;
            if (m_dropping) {
                break;
            }
            m_writer.end_element(prefix, local);
            m_writer.finish();
            if (m_in_tree) {
                m_tree.end_element();
                m_in_tree = false;
            }
            if (m_in_about) {
                m_about_bytes += m_record.about.back().size();
                m_in_about = false;
            }
            check_record_size();
            break;
        case Node::payload:
            --m_payload_depth;
            if (m_dropping) {
                break;
            }
            m_writer.end_element(prefix, local);
            if (m_in_tree) {
                m_tree.end_element();
            }
            check_record_size();
            break;
        case Node::response_date:
            m_handler.on_response_date(std::string(trimmed(m_text)));
            break;
        case Node::request:
            m_request.base_url.assign(trimmed(m_text));
            m_handler.on_request(m_request);
            break;
        case Node::error:
            m_error.message.assign(trimmed(m_text));
            ++m_summary.errors;
            m_handler.on_error(m_error);
            break;
        case Node::identify:
            m_handler.on_identify(m_info);
            break;
        case Node::metadata_format:
            m_handler.on_metadata_format(m_format);
            break;
        case Node::set:
            m_handler.on_set(m_set);
            break;
        case Node::header:
            if (parent == Node::list_identifiers) {
                ++m_summary.records;
                m_handler.on_header(m_header);
            }
            break;
        case Node::record:
            ++m_summary.records;
            m_record.metadata_tree.reset(m_tree_usable && !m_dropping ? m_tree.root() : nullptr);
            m_handler.on_record(m_record);
            m_record.metadata_tree.reset();
            m_tree.clear();
            break;
        case Node::resumption_token:
            m_token.value.assign(trimmed(m_text));
            m_handler.on_resumption_token(m_token);
            break;
        default:
            close_field(node);
            break;
    }
}

void ResponseBuilder::close_field(Node node) {
    // Each is bounded by the record cap; how many there are is bounded here.
    constexpr std::size_t k_max_repeats = 100'000;
    if (m_header_target->set_specs.size() >= k_max_repeats ||
        m_info.admin_emails.size() >= k_max_repeats ||
        m_info.compressions.size() >= k_max_repeats) {
        throw LimitError("more than " + std::to_string(k_max_repeats) +
                         " setSpec, adminEmail or compression elements in one place");
    }
    const std::string_view value = trimmed(m_text);
    switch (node) {
        case Node::repository_name:
            m_info.repository_name.assign(value);
            break;
        case Node::base_url:
            m_info.base_url.assign(value);
            break;
        case Node::protocol_version:
            m_info.protocol_version.assign(value);
            break;
        case Node::admin_email:
            m_info.admin_emails.emplace_back(value);
            break;
        case Node::earliest_datestamp:
            m_info.earliest_datestamp.assign(value);
            break;
        case Node::deleted_record:
            m_info.deleted_record.assign(value);
            break;
        case Node::granularity:
            m_info.granularity.assign(value);
            break;
        case Node::compression:
            m_info.compressions.emplace_back(value);
            break;
        case Node::format_prefix:
            m_format.prefix.assign(value);
            break;
        case Node::format_schema:
            m_format.schema.assign(value);
            break;
        case Node::format_namespace:
            m_format.namespace_uri.assign(value);
            break;
        case Node::set_spec:
            m_set.spec.assign(value);
            break;
        case Node::set_name:
            m_set.name.assign(value);
            break;
        case Node::identifier:
            m_header_target->identifier.assign(value);
            break;
        case Node::datestamp:
            m_header_target->datestamp.assign(value);
            break;
        case Node::header_set_spec:
            m_header_target->set_specs.emplace_back(value);
            break;
        default:
            break;
    }
}

}  // namespace oaiharvest::oai::detail
