// `oaiharvest __extract-text FILE MIMETYPE [limits]` (hidden): the text worker of
// lib/fulltext/extract.hpp. It limits itself, reads one document and writes the result to
// stdout; a hostile PDF that crashes, hangs or eats memory ends only this process, and the
// harvest that started it records the document as failed.

#include <sys/prctl.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <iostream>
#include <new>
#include <string_view>

#include "cli.hpp"
#include "fulltext/extract.hpp"

namespace oaiharvest::cli {
namespace {

constexpr int k_worker_exit_out_of_memory = 4;

// Allocation failed at the address-space limit: say so without allocating, and end.
[[noreturn]] void worker_out_of_memory() {
    constexpr std::string_view k_message =
        "oaiharvest __extract-text: out of memory (the worker's memory limit)\n";
    [[maybe_unused]] auto n = ::write(STDERR_FILENO, k_message.data(), k_message.size());
    ::_exit(k_worker_exit_out_of_memory);
}

struct ExtractOptions {
    std::string file;
    std::string mimetype;
    fulltext::ExtractLimits limits;
    long long cpu_seconds = 0;
};

int run_extract_text(ExtractOptions& o) {
    // Ends with the process that asked for the text (a harvest killed mid-document), instead of
    // parsing on for nobody.
    // (No getppid() check for a parent gone already: in a container the harvest may be pid 1.)
    if (::prctl(PR_SET_PDEATHSIG, SIGKILL) != 0) {
        return k_work_failed;
    }
    o.limits.cpu = std::chrono::seconds{o.cpu_seconds};
    if (!fulltext::limit_this_process(o.limits)) {
        std::cerr << "oaiharvest __extract-text: cannot set the worker's limits: "
                  << std::strerror(errno) << "\n";
        return k_work_failed;
    }
    std::set_new_handler(worker_out_of_memory);
    const auto result = fulltext::extract_here(o.file, o.mimetype, o.limits);
    std::cout << fulltext::encode_result(result);
    std::cout.flush();
    return std::cout ? k_ok : k_work_failed;
}

}  // namespace

Runner add_extract_text(CLI::App& app, const GlobalOptions&) {
    auto o = std::make_shared<ExtractOptions>();
    o->cpu_seconds = o->limits.cpu.count();
    // Hidden (no group): how lib/fulltext runs a PDF's extraction. Not for users.
    auto* cmd =
        app.add_subcommand("__extract-text", "internal: the text of one document")->group("");
    cmd->add_option("file", o->file, "the document's body")->required();
    cmd->add_option("mimetype", o->mimetype, "its MIME type")->required();
    cmd->add_option("--max-text", o->limits.max_text_bytes, "text kept, bytes");
    cmd->add_option("--max-input", o->limits.max_input_bytes, "body read, bytes");
    cmd->add_option("--memory", o->limits.memory_bytes, "RLIMIT_AS, bytes (0: none)");
    cmd->add_option("--cpu", o->cpu_seconds, "RLIMIT_CPU, seconds (0: none)");
    return [o] { return run_extract_text(*o); };
}

}  // namespace oaiharvest::cli
