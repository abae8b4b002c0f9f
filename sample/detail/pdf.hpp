#pragma once
// PDFs written byte by byte: pages of text lines in Helvetica, with a correct cross-reference
// table, so that a PDF reader (poppler) finds the text. The minimal one (one page, one line)
// is the sample endpoint's document and the tests' of text extraction; the bench reads many
// pages of text (tests/bench). Pure; thread-safe.

#include <string>
#include <string_view>
#include <vector>

namespace oaiharvest::sample::detail {

// The PDF's bytes: one page showing `line` at 18 pt. `line` should be printable ASCII;
// backslashes and parentheses are escaped.
std::string minimal_pdf(std::string_view line);

// A PDF of pages.size() pages, each showing its lines from the top down at `font_size` pt (a
// line every 1.2 × font_size). Lines as for minimal_pdf; minimal_pdf(line) is
// text_pdf({{line}}, 18).
std::string text_pdf(const std::vector<std::vector<std::string>>& pages, int font_size);

}  // namespace oaiharvest::sample::detail
