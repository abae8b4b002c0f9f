// pdf_text on the sample endpoint's minimal PDF (sample/detail/pdf.hpp), in this process: the
// PDF is our own. Hostile PDFs go through the worker (test_extract.cpp).

#include <catch2/catch.hpp>
#include <regex>

#include "fulltext/text.hpp"
#include "sample/detail/pdf.hpp"
#include "sample/generate.hpp"

using namespace oaiharvest;

TEST_CASE("the minimal PDF's cross-reference table points at each object", "[fulltext][pdf]") {
    const std::string pdf = sample::detail::minimal_pdf("a line (with parentheses)");
    const auto xref = pdf.rfind("\nxref\n");
    REQUIRE(xref != std::string::npos);
    const auto startxref = pdf.find("startxref\n");
    CHECK(std::stoul(pdf.substr(startxref + 10)) == xref + 1);
    // Entries 1..5: ten-digit offsets, each at "<n> 0 obj".
    const auto table = pdf.find("0000000000 65535 f\r\n", xref);
    REQUIRE(table != std::string::npos);
    for (int n = 1; n <= 5; ++n) {
        const auto offset = std::stoul(pdf.substr(table + 20 * static_cast<std::size_t>(n), 10));
        CHECK(pdf.compare(offset, std::to_string(n).size() + 6, std::to_string(n) + " 0 obj") == 0);
    }
}

TEST_CASE("pdf_text finds the phrase of the sample's PDF on its one page", "[fulltext][pdf]") {
    const std::string pdf = sample::detail::minimal_pdf(sample::k_pdf_phrase);
    auto text = fulltext::pdf_text(pdf, 1 << 20);
    REQUIRE(text);
    CHECK(text->pages == 1);
    CHECK(text->text.find(sample::k_pdf_phrase) != std::string::npos);
}

TEST_CASE("pdf_text keeps escaped parentheses and backslashes", "[fulltext][pdf]") {
    auto text = fulltext::pdf_text(sample::detail::minimal_pdf("x (y) \\ z"), 1 << 20);
    REQUIRE(text);
    CHECK(text->text.find("x (y) \\ z") != std::string::npos);
}

TEST_CASE("pdf_text stops at the cap", "[fulltext][pdf]") {
    auto text = fulltext::pdf_text(sample::detail::minimal_pdf(sample::k_pdf_phrase), 8);
    REQUIRE(text);
    CHECK(text->text.size() <= 8);
}

TEST_CASE("pdf_text says why it cannot open what is no PDF", "[fulltext][pdf]") {
    auto text = fulltext::pdf_text("this is not a PDF at all", 1 << 20);
    REQUIRE_FALSE(text);
    CHECK(text.error().find("could not open") != std::string::npos);
}

TEST_CASE("pdf_text reads each page of a text_pdf, in order", "[fulltext][pdf]") {
    const std::string pdf = sample::detail::text_pdf(
        {{"the first page", "and its (second) line"}, {"the second page"}, {"the third page"}}, 10);
    auto text = fulltext::pdf_text(pdf, 1 << 20);
    REQUIRE(text);
    CHECK(text->pages == 3);
    const auto first = text->text.find("the first page");
    const auto second = text->text.find("the second page");
    const auto third = text->text.find("the third page");
    CHECK(first < second);
    CHECK(second < third);
    CHECK(third != std::string::npos);
    CHECK(text->text.find("and its (second) line") != std::string::npos);
}
