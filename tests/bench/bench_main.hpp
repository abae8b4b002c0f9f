#pragma once
// The two modes of oaiharvest-bench: the driver (report.cpp prints what it measured) and the
// server process it starts.

#include <string>

#include "corpus.hpp"
#include "figures.hpp"
#include "scenarios.hpp"

namespace oaiharvest::bench {

// How `oaiharvest-bench serve` serves its corpus.
struct ServeOptions {
    int delay_ms = 0;        // before each ListRecords response
    std::size_t hosts = 1;   // 127.0.0.1 .. 127.0.0.<hosts>
    bool documents = false;  // the corpus's file URLs name this server, which serves them
    std::size_t document_text_bytes = 256 * 1024;
};

// Serves a corpus until stdin closes; see serve_main.cpp.
int serve(CorpusOptions corpus, const ServeOptions& options);

struct CorpusFacts {
    std::size_t records = 0;
    std::size_t pages = 0;
    std::size_t bytes = 0;
    std::size_t big_bytes = 0;
    std::size_t peer_records = 0;
    std::size_t documents = 0;  // the documents corpus's files, their bytes, the PDFs among them
    std::size_t document_bytes = 0;
    std::size_t pdfs = 0;
};

// "CPU model, N cores, Linux kernel, memory" of this machine.
std::string machine_summary();

// Prints the medians, the ratios to the limits and peers, and the targets, as Markdown.
void print_report(const BenchOptions& options, const CorpusFacts& corpus, const Figures& figures);

}  // namespace oaiharvest::bench
