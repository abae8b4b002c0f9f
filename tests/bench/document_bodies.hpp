#pragma once
// The documents of the bench's documents scenario (issue 15): the bodies the bench server sends
// for the files its corpus lists, and the multi-page PDF of the text extraction scenario. The
// driver calls the same functions for the sizes and texts to expect. Pure; thread-safe.

#include <cstddef>
#include <string>

namespace oaiharvest::bench {

// The body served for eprint `number`'s file, and the type it is served with.
struct DocumentBody {
    std::string bytes;
    std::string type;
};

// One listed file in four is a small real PDF (one page, ~600 bytes): the eprints numbered 2
// mod 4. The generator lists a file on records 2, 27, 52 ... (every 25th: 1 mod 4), so the
// share holds whatever the corpus size.
bool is_pdf_document(std::size_t number);

// A one-page PDF naming the eprint, or text_bytes bytes of ASCII words (a line naming the
// eprint, then generated text): unique to the eprint, so each is stored once of its own.
DocumentBody document_body(std::size_t number, std::size_t text_bytes);

// A PDF of `pages` pages of text, 45 lines of ~80 characters in 10 pt Helvetica each (about a
// page of an article), each page opening with the line page_line(k, pages).
std::string pages_pdf(std::size_t pages);
std::string page_line(std::size_t page, std::size_t pages);

}  // namespace oaiharvest::bench
