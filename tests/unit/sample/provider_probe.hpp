#pragma once
// Asking a sample Provider as a harvester would, for the provider tests: parse each answer,
// follow resumption tokens, collect error codes. Uses Catch2 assertions.

#include <catch2/catch.hpp>
#include <set>
#include <string>
#include <vector>

#include "sample/provider.hpp"
#include "xml_doc.hpp"

namespace oaiharvest::testing {

inline constexpr std::string_view k_date = "2026-11-23T05:16:51Z";

struct ListRun {
    std::vector<std::string> identifiers;  // in the order served
    std::vector<std::string> cursors;
    std::size_t pages = 0;
    std::set<std::string> complete_list_sizes;
};

using Codes = std::vector<std::string>;

// The answer, which must be well-formed, with responseDate k_date.
XmlDoc ask(const sample::Provider& provider, const sample::QueryArgs& args);
// Follows resumption tokens to the end; no page may be an error.
ListRun list_all(const sample::Provider& provider, sample::QueryArgs first);
// The error codes of the answer, which must echo no arguments.
Codes error_codes(const sample::Provider& provider, const sample::QueryArgs& args);

}  // namespace oaiharvest::testing
