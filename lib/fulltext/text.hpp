#pragma once
// The text of a document's body (issue 15): what extraction found, and the pure extractors of
// plain text, HTML and PDF. Every function here works on bytes in memory, reads no file and
// starts no process (extract.hpp does both). Pure; thread-safe, except that pdf_text must not
// run on two threads at once (poppler's error callback is global).
//
// Every text returned is valid UTF-8 (an ill-formed sequence becomes U+FFFD), without control
// characters other than line feed and tab, and at most max_bytes long (cut at a character).

#include <cstddef>
#include <cstdint>
#include <expected>
#include <optional>
#include <string>
#include <string_view>

namespace oaiharvest::fulltext {

// As document_texts.status stores it (schema/011_document_text.sql).
enum class TextStatus {
    extracted,    // text found
    empty,        // read fine, but no text (a scanned PDF, an empty file)
    unsupported,  // no extractor for the MIME type
    failed,       // unreadable, or the worker crashed, timed out or hit a limit: see error
};

// "extracted", "empty", "unsupported", "failed".
std::string_view status_name(TextStatus status);

struct ExtractedText {
    TextStatus status = TextStatus::failed;
    std::string text;                   // extracted only
    std::optional<std::int64_t> pages;  // PDF only
    std::string error;                  // unsupported or failed: why, naming the file
};

// The text of text/plain bytes (UTF-8 assumed; a leading BOM dropped; CR LF read as LF).
std::string plain_text(std::string_view bytes, std::size_t max_bytes);

// The text of an HTML page, parsed by libxml2's HTML parser without network or entity loading:
// script and style dropped, block elements (p, div, li, h1, br, ...) ending a line, runs of
// spaces collapsed. `charset` is the one the server named (Content-Type), if any; else the
// page's own <meta> decides, and UTF-8 when it names none. Ill-formed UTF-8 in a UTF-8 page
// becomes U+FFFD (libxml2 alone would read the whole page as Latin-1). The error is libxml2
// failing to make a document at all.
std::expected<std::string, std::string> html_text(std::string_view bytes, std::size_t max_bytes,
                                                  std::string_view charset = {});

struct PdfText {
    std::string text;  // pages separated by a blank line
    std::int64_t pages = 0;
};

// The text of a PDF, page by page, with poppler. The error says why poppler could not open it
// (not a PDF, damaged, encrypted). A hostile PDF may make poppler crash or hang: call it only
// in the worker process (extract.hpp).
std::expected<PdfText, std::string> pdf_text(std::string_view bytes, std::size_t max_bytes);

}  // namespace oaiharvest::fulltext
