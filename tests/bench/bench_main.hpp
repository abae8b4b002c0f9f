#pragma once
// The two modes of oaiharvest-bench: the driver (report.cpp prints what it measured) and the
// server process it starts.

#include <string>

#include "corpus.hpp"
#include "figures.hpp"
#include "scenarios.hpp"

namespace oaiharvest::bench {

// Serves a corpus until stdin closes; see serve_main.cpp.
int serve(const CorpusOptions& corpus, int delay_ms, std::size_t hosts);

struct CorpusFacts {
    std::size_t records = 0;
    std::size_t pages = 0;
    std::size_t bytes = 0;
    std::size_t big_bytes = 0;
    std::size_t peer_records = 0;
};

// "CPU model, N cores, Linux kernel, memory" of this machine.
std::string machine_summary();

// Prints the medians, the ratios to the limits and peers, and the targets, as Markdown.
void print_report(const BenchOptions& options, const CorpusFacts& corpus, const Figures& figures);

}  // namespace oaiharvest::bench
