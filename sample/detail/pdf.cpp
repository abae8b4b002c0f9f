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
    const std::string content = "BT /F1 18 Tf 72 720 Td " + literal(line) + " Tj ET\n";
    const std::vector<std::string> objects = {
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        "/Resources << /Font << /F1 5 0 R >> >> >>",
        "<< /Length " + std::to_string(content.size()) + " >>\nstream\n" + content + "endstream",
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    };
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
