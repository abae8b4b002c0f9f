#include <sys/utsname.h>
#include <unistd.h>

#include <cstdio>
#include <ctime>
#include <fstream>
#include <iostream>
#include <optional>
#include <string>
#include <thread>

#include "bench_main.hpp"

namespace oaiharvest::bench {
namespace {

std::string cpu_model() {
    std::ifstream in("/proc/cpuinfo");
    for (std::string line; std::getline(in, line);) {
        if (line.starts_with("model name")) {
            auto colon = line.find(':');
            return colon == std::string::npos ? line : line.substr(colon + 2);
        }
    }
    return "unknown CPU";
}

std::string format(double value) {
    char text[64];
    if (value >= 1000) {
        std::snprintf(text, sizeof text, "%.0f", value);
    } else if (value >= 10) {
        std::snprintf(text, sizeof text, "%.1f", value);
    } else {
        std::snprintf(text, sizeof text, "%.3f", value);
    }
    return text;
}

std::string utc_now() {
    std::time_t now = std::time(nullptr);
    char text[32];
    std::strftime(text, sizeof text, "%Y-%m-%d %H:%M UTC", std::gmtime(&now));
    return text;
}

void ratio(const Figures& f, const std::string& label, const std::string& a, const std::string& b) {
    auto x = f.median(a);
    auto y = f.median(b);
    if (x && y && *y > 0) {
        std::printf("| %s | %.2f |\n", label.c_str(), *x / *y);
    }
}

void target(const Figures& f, const std::string& what, const std::string& figure, double goal,
            bool at_least, const std::string& goal_text) {
    auto value = f.median(figure);
    if (!value) {
        std::printf("| %s | %s | not measured | — |\n", what.c_str(), goal_text.c_str());
        return;
    }
    const bool met = at_least ? *value >= goal : *value <= goal;
    std::printf("| %s | %s | %s | %s |\n", what.c_str(), goal_text.c_str(), format(*value).c_str(),
                met ? "met" : "**missed**");
}

}  // namespace

std::string machine_summary() {
    utsname name{};
    uname(&name);
    const long pages = sysconf(_SC_PHYS_PAGES);
    const long page_size = sysconf(_SC_PAGE_SIZE);
    const double gib = static_cast<double>(pages) * static_cast<double>(page_size) / (1 << 30);
    char memory[32];
    std::snprintf(memory, sizeof memory, "%.1f GiB", gib);
    return cpu_model() + ", " + std::to_string(std::thread::hardware_concurrency()) + " cores, " +
           name.sysname + " " + name.release + " " + name.machine + ", " + memory + " RAM";
}

void print_report(const BenchOptions& o, const CorpusFacts& corpus, const Figures& f) {
    std::printf("\n## oaiharvest benchmark\n\n");
    std::printf("- machine: %s\n", machine_summary().c_str());
    std::printf("- date: %s\n", utc_now().c_str());
    std::printf("- binary: %s\n", o.binary.c_str());
    std::printf(
        "- corpus: %zu EPrints-like METS records (%.0f bytes each on average), %zu "
        "ListRecords pages of 100, %.1f MB; served from memory over loopback, no "
        "compression\n",
        corpus.records,
        corpus.records ? static_cast<double>(corpus.bytes) / static_cast<double>(corpus.records)
                       : 0.0,
        corpus.pages, mb(static_cast<double>(corpus.bytes)));
    if (o.big_page) {
        std::printf("- big page: %zu records in one page of %.1f MB\n", o.big_records,
                    mb(static_cast<double>(corpus.big_bytes)));
    }
    if (corpus.peer_records > 0) {
        std::printf(
            "- peers: on the first %zu records (the same pages), in the first %d run(s), "
            "with oaiharvest on the same corpus for the ratios\n",
            corpus.peer_records, std::min(o.peer_runs, o.runs));
    }
    if (o.serve) {
        const std::string workers = o.serve_workers > 0
                                        ? "workers = " + std::to_string(o.serve_workers)
                                        : "workers as by default";
        std::printf(
            "- serving: `oaiharvest serve` over each run's mirror, [serve] page_size = 100, %s; "
            "%zu web clients at once, %d searches each, each client on one kept-alive "
            "connection\n",
            workers.c_str(), o.serve_clients, o.serve_requests);
    }
    if (o.documents) {
        std::printf(
            "- documents: a corpus of %zu records listing %zu files (%zu of them one-page PDFs, "
            "the others text/plain of %zu KiB), %.1f MB, served over loopback; text "
            "extraction of a 1-page and a %zu-page PDF, %d times each per run\n",
            o.document_records, corpus.documents, corpus.pdfs, o.document_kb,
            mb(static_cast<double>(corpus.document_bytes)), o.pdf_pages, o.extract_rounds);
    }
    std::printf("- runs: %d (medians)\n\n", o.runs);
    std::printf("| figure | median | min | max | unit |\n|---|---:|---:|---:|---|\n");
    for (const auto& s : f.series()) {
        double lo = s.values.front();
        double hi = s.values.front();
        for (double v : s.values) {
            lo = std::min(lo, v);
            hi = std::max(hi, v);
        }
        std::printf("| %s | %s | %s | %s | %s |\n", s.name.c_str(),
                    format(median_of(s.values)).c_str(), format(lo).c_str(), format(hi).c_str(),
                    s.unit.c_str());
    }
    std::printf("\n| ratio (medians) | value |\n|---|---:|\n");
    ratio(f, "harvest / bare libcurl loop (network limit)", "harvest records/s",
          "bare libcurl loop records/s");
    ratio(f, "harvest / bare xmlTextReader pass (parse limit)", "harvest records/s",
          "bare xmlTextReader records/s");
    ratio(f, "harvest records per CPU second / bare xmlTextReader pass",
          "harvest records per CPU second", "bare xmlTextReader records/s");
    ratio(f, "oaiharvest / Catmandu::OAI (peer corpus, wall)", "oaiharvest (peer corpus) records/s",
          "Catmandu::OAI records/s");
    ratio(f, "oaiharvest / Catmandu::OAI (peer corpus, CPU)",
          "oaiharvest (peer corpus) records per CPU second",
          "Catmandu::OAI records per CPU second");
    ratio(f, "oaiharvest / HTTP::OAI (peer corpus, wall)", "oaiharvest (peer corpus) records/s",
          "HTTP::OAI records/s");
    ratio(f, "oaiharvest / HTTP::OAI (peer corpus, CPU)",
          "oaiharvest (peer corpus) records per CPU second", "HTTP::OAI records per CPU second");
    ratio(f, "documents stage / bare libcurl loop (documents/s)", "documents stage documents/s",
          "bare libcurl loop (documents) documents/s");
    ratio(f, "documents stage / bare download + write + fsync (documents/s)",
          "documents stage documents/s", "bare download + write + fsync documents/s");
    ratio(f, "documents stage wall / metadata harvest wall (documents corpus)",
          "documents stage wall", "documents corpus: metadata harvest wall");

    std::printf("\n| target (issue 6) | goal | median | |\n|---|---|---:|---|\n");
    target(f, "end-to-end harvest", "harvest records/s", 25'000, true, ">= 25,000 rec/s");
    if (auto parse = f.median("bare xmlTextReader records/s")) {
        target(f, "end-to-end vs parse limit", "harvest records/s", *parse / 2, true,
               ">= half the bare parse rate (" + format(*parse / 2) + " rec/s)");
    }
    target(f, "peak RSS, whole harvest", "harvest peak RSS (VmHWM)", 40, false, "<= 40 MiB");
    for (const auto& s : f.series()) {
        if (s.name.starts_with("one ") && s.name.ends_with("peak RSS (VmHWM)")) {
            target(f, "peak RSS, " + s.name.substr(0, s.name.find(" peak")), s.name, 40, false,
                   "<= 40 MiB");
        }
    }
    target(f, "no-change incremental harvest", "incremental re-harvest wall", 1, false, "< 1 s");
    target(f, "database size (issue 13)", "database / harvested XML", 0.5, false,
           "<= 0.5 of the harvested XML");
    target(f, "export jsonl", "export jsonl records/s", 200'000, true, ">= 200,000 rec/s");
    target(f, "search p95", "search latency p95", 20, false, "< 20 ms");
    const double ideal = static_cast<double>(o.endpoints * o.endpoint_pages) * o.delay_ms / 1000.0 /
                         static_cast<double>(o.parallel);
    char goal[96];
    std::snprintf(goal, sizeof goal, "within 15%% of %.2f s (%zu x %zu pages x %d ms / %d)", ideal,
                  o.endpoints, o.endpoint_pages, o.delay_ms, o.parallel);
    target(f, "concurrency wall", "concurrency wall (daemon)", ideal * 1.15, false, goal);

    for (const auto& note : f.notes()) {
        std::printf("\nnote: %s\n", note.c_str());
    }
    for (const auto& failure : f.failures()) {
        std::printf("\nCHECK FAILED: %s\n", failure.c_str());
    }
    std::fflush(stdout);
}

}  // namespace oaiharvest::bench
