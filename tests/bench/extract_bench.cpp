// Text extraction per page of PDF (issue 15): `oaiharvest __extract-text FILE application/pdf`,
// the worker the documents stage starts for each PDF, on PDFs of 1 and options.pdf_pages pages
// of text, so that the cost of a page and the cost of a document (process start, poppler's
// setup) can be told apart. See docs/performance.md.

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "document_bodies.hpp"
#include "sample/detail/pdf.hpp"
#include "scenarios.hpp"

namespace oaiharvest::bench {
namespace {

namespace fs = std::filesystem;

// The median wall time of `rounds` extractions of `pdf`, in ms; nullopt when one fails its check
// (the page count in the worker's header, the last page's first line in the text).
std::optional<double> extract_ms(const BenchOptions& options, const std::string& file,
                                 const std::string& pdf, std::size_t pages,
                                 const std::string& last_line, Figures& figures) {
    std::ofstream(file, std::ios::binary | std::ios::trunc) << pdf;
    const std::string header = "oaiharvest-text extracted " + std::to_string(pages) + "\n";
    std::vector<double> times;
    for (int round = 0; round < options.extract_rounds; ++round) {
        auto child = run_child({options.binary, "__extract-text", file, "application/pdf"});
        if (child.exit_code != 0 || !child.out.starts_with(header) ||
            child.out.find(last_line) == std::string::npos) {
            figures.fail("__extract-text " + file + ": exit " + std::to_string(child.exit_code) +
                         ", output starting \"" + child.out.substr(0, 60) + "\", expected \"" +
                         header.substr(0, header.size() - 1) + "\" and \"" + last_line + "\"");
            return std::nullopt;
        }
        times.push_back(child.wall_s * 1000);
    }
    return median_of(times);
}

}  // namespace

void run_text_extraction(const BenchOptions& options, int run, Figures& figures) {
    const std::string dir = options.workdir + "/extract" + std::to_string(run);
    fs::remove_all(dir);
    fs::create_directories(dir);
    const std::size_t pages = options.pdf_pages;
    const std::string many = std::to_string(pages) + "-page PDF";
    // The documents stage's PDFs: one line on one page.
    const std::string line = "Sample eprint 2: a PDF of the documents scenario";
    auto tiny =
        extract_ms(options, dir + "/line.pdf", sample::detail::minimal_pdf(line), 1, line, figures);
    auto one = extract_ms(options, dir + "/one.pdf", pages_pdf(1), 1, page_line(1, 1), figures);
    auto long_pdf = extract_ms(options, dir + "/long.pdf", pages_pdf(pages), pages,
                               page_line(pages, pages), figures);
    if (tiny) {
        figures.add("text extraction, 1-line PDF (the stage's): ms per document", "ms", *tiny);
    }
    if (one && long_pdf) {
        const double per_page = (*long_pdf - *one) / static_cast<double>(pages - 1);
        figures.add("text extraction, 1-page PDF: ms per document", "ms", *one);
        figures.add("text extraction, " + many + ": ms per document", "ms", *long_pdf);
        figures.add("text extraction, " + many + ": pages/s", "pages/s",
                    static_cast<double>(pages) * 1000 / *long_pdf);
        figures.add("text extraction: ms per page (difference of the two)", "ms", per_page);
        figures.add("text extraction: ms per document besides its pages", "ms", *one - per_page);
    }
    fs::remove_all(dir);
}

}  // namespace oaiharvest::bench
