#include "sample/detail/pdf.hpp"

#include <cstdio>
#include <vector>

namespace oaiharvest::sample::detail {
namespace {

// A PDF literal string: \, ( and ) are escaped.
std::string literal(std::string_view text) {
    std::string out = "(";
    for (char c : text) {
        if (c == '\\' || c == '(' || c == ')') {
            out += '\\';
        }
        out += c;
    }
    return out + ")";
}

// A cross-reference entry: exactly 20 bytes, as the format requires ("nnnnnnnnnn ggggg n\r\n").
std::string xref_entry(std::size_t offset, const char* generation, char kind) {
    char entry[21];
    std::snprintf(entry, sizeof entry, "%010zu %s %c\r\n", offset, generation, kind);
    return std::string(entry, 20);
}

}  // namespace

std::string minimal_pdf(std::string_view line) {
    return text_pdf({{std::string(line)}}, 18);
}

std::string text_pdf(const std::vector<std::vector<std::string>>& pages, int font_size) {
    // Objects: 1 the catalog, 2 the page tree, then a page and its content stream for each
    // page, and the font last (so one page of one line is the minimal PDF, byte for byte).
    const std::size_t font = 3 + 2 * pages.size();
    const std::string size = std::to_string(font_size);
    const std::string leading = std::to_string(font_size + font_size / 5);
    std::string kids;
    for (std::size_t i = 0; i < pages.size(); ++i) {
        kids += (i == 0 ? "" : " ") + std::to_string(3 + 2 * i) + " 0 R";
    }
    std::vector<std::string> objects = {
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [" + kids + "] /Count " + std::to_string(pages.size()) + " >>",
    };
    for (std::size_t i = 0; i < pages.size(); ++i) {
        std::string content = "BT /F1 " + size + " Tf 72 720 Td";
        for (std::size_t n = 0; n < pages[i].size(); ++n) {
            content += (n == 0 ? " " : " 0 -" + leading + " Td ") + literal(pages[i][n]) + " Tj";
        }
        content += " ET\n";
        objects.push_back("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents " +
                          std::to_string(4 + 2 * i) + " 0 R /Resources << /Font << /F1 " +
                          std::to_string(font) + " 0 R >> >> >>");
        objects.push_back("<< /Length " + std::to_string(content.size()) + " >>\nstream\n" +
                          content + "endstream");
    }
    objects.push_back("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>");
    // The binary comment line tells transfer tools the file is not text.
    std::string pdf = "%PDF-1.4\n%\xE2\xE3\xCF\xD3\n";
    std::vector<std::size_t> offsets;
    for (std::size_t i = 0; i < objects.size(); ++i) {
        offsets.push_back(pdf.size());
        pdf += std::to_string(i + 1) + " 0 obj\n" + objects[i] + "\nendobj\n";
    }
    const std::size_t xref = pdf.size();
    pdf += "xref\n0 " + std::to_string(objects.size() + 1) + "\n";
    pdf += xref_entry(0, "65535", 'f');
    for (std::size_t offset : offsets) {
        pdf += xref_entry(offset, "00000", 'n');
    }
    pdf += "trailer\n<< /Size " + std::to_string(objects.size() + 1) + " /Root 1 0 R >>\n";
    pdf += "startxref\n" + std::to_string(xref) + "\n%%EOF\n";
    return pdf;
}

}  // namespace oaiharvest::sample::detail
