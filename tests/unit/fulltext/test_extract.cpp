// extract_text: the MIME types, and the bounded worker against the real `oaiharvest
// __extract-text` and a stand-in that hangs, floods or crashes. None of it may take the test
// process down.

#include <fcntl.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <fstream>

#include "fulltext/extract.hpp"
#include "sample/detail/pdf.hpp"
#include "sample/generate.hpp"
#include "support/temp_dir.hpp"

using namespace oaiharvest;
using fulltext::TextStatus;

namespace {

const std::filesystem::path k_worker = OAIHARVEST_BINARY;
const std::filesystem::path k_stand_in = OAIHARVEST_STAND_IN_WORKER;

std::filesystem::path write_file(const test::TempDir& dir, const std::string& name,
                                 const std::string& bytes) {
    const auto path = dir.path() / name;
    std::ofstream out(path, std::ios::binary);
    out << bytes;
    REQUIRE(out.good());
    return path;
}

fulltext::ExtractLimits quick_limits() {
    fulltext::ExtractLimits limits;
    limits.timeout = std::chrono::seconds{30};  // a generous bound for a loaded CI machine
    return limits;
}

}  // namespace

TEST_CASE("extract_text reads text/plain in-process, whatever the case and parameters",
          "[fulltext][extract]") {
    test::TempDir dir;
    const auto body = write_file(dir, "a.txt", "people's diplomacy\r\n");
    for (const char* type : {"text/plain", "Text/Plain; charset=UTF-8"}) {
        INFO(type);
        // No worker is needed: a missing executable must not matter.
        auto text = fulltext::extract_text(body, type, quick_limits(), "/nonexistent/worker");
        CHECK(text.status == TextStatus::extracted);
        CHECK(text.text == "people's diplomacy");
        CHECK_FALSE(text.pages);
    }
}

TEST_CASE("extract_text reads text/html in-process", "[fulltext][extract]") {
    test::TempDir dir;
    const auto body = write_file(dir, "a.html", "<p>one</p><script>two</script><p>three</p>");
    auto text = fulltext::extract_text(body, "text/html", quick_limits(), "/nonexistent/worker");
    CHECK(text.status == TextStatus::extracted);
    CHECK(text.text == "one\nthree");
}

TEST_CASE("extract_text says empty for a body without text", "[fulltext][extract]") {
    test::TempDir dir;
    auto text = fulltext::extract_text(write_file(dir, "blank.txt", " \n\t\n"), "text/plain",
                                       quick_limits(), k_worker);
    CHECK(text.status == TextStatus::empty);
    CHECK(text.text.empty());
}

TEST_CASE("extract_text says unsupported for a type without extractor, naming the file",
          "[fulltext][extract]") {
    test::TempDir dir;
    const auto body = write_file(dir, "a.png", "\x89PNG");
    auto text = fulltext::extract_text(body, "image/png", quick_limits(), k_worker);
    CHECK(text.status == TextStatus::unsupported);
    CHECK(text.error.find(body.string()) != std::string::npos);
    CHECK(text.error.find("image/png") != std::string::npos);
}

TEST_CASE("extract_text fails on a missing or oversized file, naming it", "[fulltext][extract]") {
    test::TempDir dir;
    auto missing =
        fulltext::extract_text(dir.path() / "gone.txt", "text/plain", quick_limits(), k_worker);
    CHECK(missing.status == TextStatus::failed);
    CHECK(missing.error.find("gone.txt") != std::string::npos);

    auto limits = quick_limits();
    limits.max_input_bytes = 4;
    auto big = fulltext::extract_text(write_file(dir, "big.txt", "0123456789"), "text/plain",
                                      limits, k_worker);
    CHECK(big.status == TextStatus::failed);
    CHECK(big.error.find("big.txt") != std::string::npos);
}

TEST_CASE("the worker extracts the sample's PDF: its phrase, one page", "[fulltext][worker]") {
    test::TempDir dir;
    const auto body = write_file(dir, "a.pdf", sample::detail::minimal_pdf(sample::k_pdf_phrase));
    auto text = fulltext::extract_text(body, "application/pdf", quick_limits(), k_worker);
    INFO(text.error);
    REQUIRE(text.status == TextStatus::extracted);
    CHECK(text.pages == 1);
    CHECK(text.text.find(sample::k_pdf_phrase) != std::string::npos);
}

TEST_CASE("the worker fails cleanly on a garbage PDF, naming the file", "[fulltext][worker]") {
    test::TempDir dir;
    std::string garbage = "%PDF-1.7\n";
    for (int i = 0; i < 4096; ++i) {
        garbage += static_cast<char>((i * 7919) % 251);
    }
    const auto body = write_file(dir, "garbage.pdf", garbage);
    auto text = fulltext::extract_text(body, "application/pdf", quick_limits(), k_worker);
    CHECK(text.status == TextStatus::failed);
    CHECK(text.error.find("garbage.pdf") != std::string::npos);
}

TEST_CASE("the worker survives a truncated PDF: failed or empty, never text it lacks",
          "[fulltext][worker]") {
    test::TempDir dir;
    const std::string pdf = sample::detail::minimal_pdf(sample::k_pdf_phrase);
    for (std::size_t keep : {pdf.size() / 4, pdf.size() / 2, pdf.size() - 30}) {
        INFO(keep);
        const auto body = write_file(dir, "cut.pdf", pdf.substr(0, keep));
        auto text = fulltext::extract_text(body, "application/pdf", quick_limits(), k_worker);
        // poppler rebuilds a lost cross-reference table: the page may still be read whole.
        CHECK((text.status == TextStatus::failed || text.status == TextStatus::empty ||
               (text.status == TextStatus::extracted &&
                text.text.find(sample::k_pdf_phrase) != std::string::npos)));
    }
}

TEST_CASE("a worker that hangs is killed at the timeout", "[fulltext][worker]") {
    test::TempDir dir;
    const auto body = write_file(dir, "hang.pdf", "hang");
    auto limits = quick_limits();
    limits.timeout = std::chrono::milliseconds{300};
    const auto start = std::chrono::steady_clock::now();
    auto text = fulltext::extract_text(body, "application/pdf", limits, k_stand_in);
    const auto took = std::chrono::steady_clock::now() - start;
    CHECK(text.status == TextStatus::failed);
    CHECK(text.error.find("hang.pdf") != std::string::npos);
    CHECK(text.error.find("longer than 300 ms") != std::string::npos);
    CHECK(took >= std::chrono::milliseconds{300});
    CHECK(took < std::chrono::seconds{20});
}

TEST_CASE("a worker that writes without end is killed at the text cap", "[fulltext][worker]") {
    test::TempDir dir;
    auto limits = quick_limits();
    limits.max_text_bytes = 100'000;
    auto text = fulltext::extract_text(write_file(dir, "flood.pdf", "flood"), "application/pdf",
                                       limits, k_stand_in);
    CHECK(text.status == TextStatus::failed);
    CHECK(text.error.find("text cap") != std::string::npos);
}

TEST_CASE("a worker that crashes is failed with its signal and last words", "[fulltext][worker]") {
    test::TempDir dir;
    auto text = fulltext::extract_text(write_file(dir, "crash.pdf", "crash"), "application/pdf",
                                       quick_limits(), k_stand_in);
    CHECK(text.status == TextStatus::failed);
    CHECK(text.error.find("crash.pdf") != std::string::npos);
    CHECK(text.error.find("SIGABRT") != std::string::npos);
    CHECK(text.error.find("crashing as asked") != std::string::npos);
}

TEST_CASE("a worker whose output is not a result is failed", "[fulltext][worker]") {
    test::TempDir dir;
    auto text = fulltext::extract_text(write_file(dir, "garbled.pdf", "garbled"), "application/pdf",
                                       quick_limits(), k_stand_in);
    CHECK(text.status == TextStatus::failed);
    CHECK(text.error.find("not understood") != std::string::npos);
}

TEST_CASE("a worker that cannot start is an exception, not a document's failure",
          "[fulltext][worker]") {
    test::TempDir dir;
    CHECK_THROWS_AS(fulltext::extract_text(write_file(dir, "a.pdf", "x"), "application/pdf",
                                           quick_limits(), dir.path() / "no-such-worker"),
                    std::system_error);
}

#ifndef OAIHARVEST_SANITIZED
TEST_CASE("the worker's memory limit ends it, and only it", "[fulltext][worker]") {
    test::TempDir dir;
    auto limits = quick_limits();
    limits.memory_bytes = 8U << 20;  // less than the binary needs to start
    auto text = fulltext::extract_text(
        write_file(dir, "a.pdf", sample::detail::minimal_pdf(sample::k_pdf_phrase)),
        "application/pdf", limits, k_worker);
    CHECK(text.status == TextStatus::failed);
    CHECK(text.error.find("a.pdf") != std::string::npos);
}
#endif

TEST_CASE("a worker's result reads back as written", "[fulltext][worker]") {
    fulltext::ExtractedText with_text{TextStatus::extracted, "line one\nline two", 3, {}};
    auto back = fulltext::decode_result(fulltext::encode_result(with_text));
    REQUIRE(back);
    CHECK(back->status == TextStatus::extracted);
    CHECK(back->text == with_text.text);
    CHECK(back->pages == 3);

    fulltext::ExtractedText failure{TextStatus::failed, {}, std::nullopt, "f.pdf: encrypted"};
    back = fulltext::decode_result(fulltext::encode_result(failure));
    REQUIRE(back);
    CHECK(back->status == TextStatus::failed);
    CHECK(back->error == "f.pdf: encrypted");
    CHECK_FALSE(back->pages);

    CHECK_FALSE(fulltext::decode_result("oaiharvest-text extracted"));
    CHECK_FALSE(fulltext::decode_result("oaiharvest-text sideways 1\nx"));
    CHECK_FALSE(fulltext::decode_result("oaiharvest-text extracted -4\nx"));
}

TEST_CASE("the worker inherits no descriptor but its standard three", "[fulltext][worker]") {
    test::TempDir dir;
    // Opened without close-on-exec, as a daemon child's lock is.
    const int inherited = ::open("/dev/null", O_RDONLY);
    REQUIRE(inherited > 2);
    auto text = fulltext::extract_text(write_file(dir, "fds.pdf", "fds"), "application/pdf",
                                       quick_limits(), k_stand_in);
    ::close(inherited);
    CHECK(text.status == TextStatus::extracted);
    CHECK(text.text == "0 1 2");
}
