// application/pdf through poppler-cpp. Runs in the worker process only (extract.hpp).

#include <poppler-document.h>
#include <poppler-global.h>
#include <poppler-page.h>

#include <climits>
#include <memory>

#include "fulltext/detail/clean.hpp"
#include "fulltext/text.hpp"

namespace oaiharvest::fulltext {
namespace {

// poppler reports every oddity of a damaged file on stderr; the result says what matters.
void quiet(const std::string&, void*) {}

}  // namespace

std::expected<PdfText, std::string> pdf_text(std::string_view bytes, std::size_t max_bytes) {
    if (bytes.size() > static_cast<std::size_t>(INT_MAX)) {
        return std::unexpected("the PDF is larger than poppler can read");
    }
    poppler::set_debug_error_function(quiet, nullptr);
    // poppler reads from `bytes` as long as the document lives: it must not outlive them.
    std::unique_ptr<poppler::document> doc(
        poppler::document::load_from_raw_data(bytes.data(), static_cast<int>(bytes.size())));
    if (!doc) {
        return std::unexpected("poppler could not open it as a PDF (damaged, or not a PDF)");
    }
    if (doc->is_locked()) {
        return std::unexpected("the PDF is encrypted");
    }
    PdfText out;
    out.pages = doc->pages();
    for (int i = 0; i < doc->pages(); ++i) {
        std::unique_ptr<poppler::page> page(doc->create_page(i));
        if (!page) {
            continue;  // a page poppler cannot read costs only itself
        }
        const poppler::byte_array utf8 = page->text().to_utf8();
        if (!out.text.empty() && out.text.back() != '\n') {
            if (!detail::append_clean(out.text, "\n\n", max_bytes)) {
                break;
            }
        }
        if (!detail::append_clean(out.text, std::string_view(utf8.data(), utf8.size()),
                                  max_bytes)) {
            break;
        }
        detail::trim_end(out.text);
    }
    detail::trim_end(out.text);
    return out;
}

}  // namespace oaiharvest::fulltext
