#pragma once
// The pieces of an OAI-PMH response, byte for byte as EPrints 3.4.7 prints them (its
// XML::LibXML output with indent => 1: the record's header and metadata close on the same line
// as their last child). Appends to a string so that large pages are built without copies.
// Pure functions; thread-safe.

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "sample/detail/arguments.hpp"
#include "sample/repository.hpp"

namespace oaiharvest::sample::detail {

using RequestEcho = std::vector<std::pair<std::string, std::string>>;

// XML declaration, stylesheet PI, OAI-PMH root, responseDate and <request>; an error response
// echoes no attributes, so pass an empty echo for it.
void append_prologue(std::string& out, std::string_view response_date, std::string_view base_url,
                     const RequestEcho& echo);
void append_epilogue(std::string& out);

// A whole error response.
std::string error_document(std::string_view base_url, std::string_view response_date,
                           const std::vector<OaiError>& errors);

// "    <header>...</header>", no newline after it; a deleted record shows no setSpec.
void append_header(std::string& out, const SampleRecord& record);
// "    <record>" with the header and, unless deleted, the metadata; ends with a newline.
void append_record(std::string& out, const SampleRecord& record, std::string_view metadata);

}  // namespace oaiharvest::sample::detail
