#pragma once
// The contract's cleaning of every text field, as one pass over the text gathered from the XML:
// HTML entities left in the text (escaped twice in the XML) decoded, HTML tags left in the text
// (escaped once) dropped, whitespace runs collapsed and trimmed, paragraphs kept as one "\n".
// Pure functions; thread-safe.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace oaiharvest::metadata::detail {

// A paragraph boundary in gathered text. U+0001 is not allowed in XML 1.0, so it can never come
// from the document itself.
inline constexpr char k_break = '\x01';

// How an HTML element's markup is reduced to text: block elements (p, div, li, br, h1 ...) end a
// paragraph; a table cell leaves a space; inline elements (em, strong, a, sup ...) leave nothing.
enum class HtmlTag { unknown, block, gap, inline_ };

// The kind of the HTML element named name (ASCII case-insensitive); unknown for other names.
HtmlTag html_tag(std::string_view name);

// Appends the cleaned form of raw to out (which may hold earlier text; no separator is added).
void clean_append(std::string_view raw, std::string& out);

// The cleaned form of raw; nullopt when nothing is left.
std::optional<std::string> clean(std::string_view raw);

// The code point an HTML named entity stands for (name without '&' and ';', case-sensitive), by
// libxml2's table of HTML 4's 253 names, XHTML's apos among them; 0 for an unknown name.
// U+00AD (shy) is returned as is; the caller drops it.
char32_t html_entity(std::string_view name);

}  // namespace oaiharvest::metadata::detail
