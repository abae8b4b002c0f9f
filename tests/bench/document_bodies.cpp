#include "document_bodies.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <string_view>
#include <vector>

#include "sample/detail/pdf.hpp"

namespace oaiharvest::bench {
namespace {

constexpr std::size_t k_line_width = 80;
constexpr std::size_t k_lines_per_page = 45;
constexpr std::size_t k_block_bytes = 64 * 1024;

// 64 KiB of lines of words in a fixed pseudo-random order: the text every body is cut from.
const std::string& word_block() {
    static const std::string block = [] {
        constexpr std::array<std::string_view, 32> k_words = {
            "cultural",      "diplomacy", "between",     "the",      "republics",   "of",
            "Central",       "Asia",      "education",   "and",      "migration",   "water",
            "resources",     "regional",  "cooperation", "policy",   "analysis",    "in",
            "institutional", "reform",    "qualitative", "study",    "border",      "communities",
            "heritage",      "language",  "exchange",    "economic", "development", "a",
            "framework",     "evidence"};
        std::uint32_t state = 20261203;
        std::string out;
        std::string line;
        while (out.size() < k_block_bytes) {
            state = state * 1664525u + 1013904223u;
            const auto word = k_words[(state >> 16) % k_words.size()];
            if (line.size() + 1 + word.size() > k_line_width) {
                out += line + "\n";
                line.clear();
            }
            line += (line.empty() ? "" : " ") + std::string(word);
        }
        return out;
    }();
    return block;
}

// The lines of the block from line `first` on, cyclically.
std::vector<std::string> block_lines(std::size_t first, std::size_t count) {
    const std::string& block = word_block();
    std::vector<std::string> all;
    for (std::size_t at = 0; at < block.size();) {
        const auto end = block.find('\n', at);
        if (end == std::string::npos) {
            break;
        }
        all.push_back(block.substr(at, end - at));
        at = end + 1;
    }
    std::vector<std::string> lines;
    for (std::size_t i = 0; i < count; ++i) {
        lines.push_back(all[(first + i) % all.size()]);
    }
    return lines;
}

}  // namespace

bool is_pdf_document(std::size_t number) {
    return number % 4 == 2;
}

DocumentBody document_body(std::size_t number, std::size_t text_bytes) {
    const std::string name = "Sample eprint " + std::to_string(number);
    if (is_pdf_document(number)) {
        return {sample::detail::minimal_pdf(name + ": a PDF of the documents scenario"),
                "application/pdf"};
    }
    std::string text = name + ": the text of the documents scenario.\n";
    // Each body starts at its own place in the block, and goes round it as often as needed.
    const std::string& block = word_block();
    for (std::size_t at = (number * 4099) % block.size(); text.size() < text_bytes; at = 0) {
        text.append(block, at, std::min(block.size() - at, text_bytes - text.size()));
    }
    text.resize(text_bytes);
    return {std::move(text), "text/plain; charset=utf-8"};
}

std::string page_line(std::size_t page, std::size_t pages) {
    return "Page " + std::to_string(page) + " of " + std::to_string(pages) + " of the bench PDF";
}

std::string pages_pdf(std::size_t pages) {
    std::vector<std::vector<std::string>> content;
    for (std::size_t page = 1; page <= pages; ++page) {
        auto lines = block_lines(page * k_lines_per_page, k_lines_per_page - 1);
        lines.insert(lines.begin(), page_line(page, pages));
        content.push_back(std::move(lines));
    }
    return sample::detail::text_pdf(content, 10);
}

}  // namespace oaiharvest::bench
