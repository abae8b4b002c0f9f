#pragma once
// The text of a stored document's body, bounded (issue 15; docs/documents.md, "Text
// extraction"). Plain text and HTML are read in this process, capped; a PDF is read by a worker
// process, `<worker_executable> __extract-text FILE MIMETYPE [limits]`, so that a hostile PDF
// that hangs, crashes or eats memory costs only that process: the worker limits its own
// address space and CPU time, and the caller kills it at a wall-clock timeout and caps what it
// reads back. Thread-safe (each call owns its worker); a call blocks until the text is in.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "fulltext/text.hpp"

namespace oaiharvest::fulltext {

struct ExtractLimits {
    std::size_t max_text_bytes = 8U << 20;    // text kept per document
    std::size_t max_input_bytes = 64U << 20;  // plain text and HTML read in-process
    std::uint64_t memory_bytes = 1ULL << 30;  // the worker's RLIMIT_AS (not under sanitizers)
    std::chrono::seconds cpu{60};             // the worker's RLIMIT_CPU
    std::chrono::milliseconds timeout{std::chrono::seconds{120}};  // wall clock, then SIGKILL
};

// The text of the file `body`, as its MIME type says to read it (parameters such as
// "; charset=" ignored, case ignored). Never throws for what the file holds: an unreadable
// file, a crash, a timeout or a limit of the worker is status failed, with an error naming the
// file; a type without an extractor is unsupported. Throws std::system_error only when the
// worker cannot be started at all (no pipes or processes left).
ExtractedText extract_text(const std::filesystem::path& body, std::string_view mimetype,
                           const ExtractLimits& limits,
                           const std::filesystem::path& worker_executable);

// The worker's side: extracts the file in this process, as extract_text would without a
// worker. `__extract-text` calls it after limiting itself.
ExtractedText extract_here(const std::filesystem::path& body, std::string_view mimetype,
                           const ExtractLimits& limits);

// The worker's arguments after the executable, and the limits it should set on itself.
std::vector<std::string> worker_arguments(const std::filesystem::path& body,
                                          std::string_view mimetype, const ExtractLimits& limits);

// What the worker writes to stdout, and how the caller reads it back; nullopt when the output
// is not the worker's (a partial or foreign write).
std::string encode_result(const ExtractedText& result);
std::optional<ExtractedText> decode_result(std::string_view output);

// The worker sets these on itself before reading the file: RLIMIT_AS (skipped when built with
// sanitizers, which reserve terabytes of address space) and RLIMIT_CPU. Returns false, errno
// set, when setrlimit fails.
bool limit_this_process(const ExtractLimits& limits);

}  // namespace oaiharvest::fulltext
