#pragma once
// A minimal PDF written byte by byte: one page showing one line of text in Helvetica, with a
// correct cross-reference table, so that a PDF reader (poppler) finds the text. For the sample
// endpoint's documents and for the tests of text extraction. Pure; thread-safe.

#include <string>
#include <string_view>

namespace oaiharvest::sample::detail {

// The PDF's bytes. `line` should be printable ASCII; backslashes and parentheses are escaped.
std::string minimal_pdf(std::string_view line);

}  // namespace oaiharvest::sample::detail
