#pragma once
// The benchmark's scenarios. Each runs the real oaiharvest binary (or a peer) against a bench
// server process, adds its figures for this run to a Figures, and checks the record counts
// (never timings). Not thread-safe.

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "figures.hpp"
#include "process.hpp"

namespace oaiharvest::bench {

struct BenchOptions {
    std::size_t records = 100'000;
    int runs = 5;
    std::size_t abstract_bytes = 0;
    std::string binary;   // oaiharvest
    std::string self;     // this executable, for `serve`
    std::string workdir;  // databases and config files
    bool peers = true;
    int peer_runs = 1;  // the peers are slow: measured in the first runs only
    // ...and on the first pages only: a corpus of this many records (the generator makes record
    // n the same whatever the corpus size, so these are the main corpus's first pages).
    std::size_t peer_records = 10'000;
    bool big_page = true;
    std::size_t big_records = 13'000;  // ~52 MB in one page
    bool concurrency = true;
    std::size_t endpoints = 40;
    std::size_t endpoint_pages = 5;
    int delay_ms = 200;
    int parallel = 8;
    int search_rounds = 3;  // each query this many times per run
    bool serve = true;
    bool postgres = true;                   // issue 18: the PostgreSQL mirror beside the SQLite one
    std::size_t serve_clients = 50;         // issue 14: searches from this many clients at once
    int serve_requests = 20;                // searches by each client
    int serve_workers = 0;                  // [serve] workers; 0: the server's default
    bool documents = true;                  // issue 15: the documents stage, text extraction
    std::size_t document_records = 10'000;  // the documents corpus: a file on every 25th record
    std::size_t document_kb = 256;          // each text document's size (KiB)
    std::size_t pdf_pages = 50;             // pages of the extraction scenario's long PDF
    int extract_rounds = 10;                // each PDF's extraction, this many times per run
};

// The mirror a run harvested, kept for the scenarios that read it; the caller removes `dir`.
struct Mirror {
    std::string dir;
    std::string db;
    std::size_t records = 0;  // deleted ones included
    double changed_at = 0;    // now_s() when the harvest that wrote it ended
    // The search queries that found something, in the bench's order.
    std::vector<std::string> queries_with_hits;
};

// A bench server process serving one corpus (see server.hpp), stopped when destroyed.
struct ServerProcess {
    std::unique_ptr<Background> process;
    std::vector<int> ports;  // of 127.0.0.1, 127.0.0.2 ...
    std::string base;        // "http://127.0.0.1:PORT"
    std::size_t pages = 0;
    std::size_t bytes = 0;
    std::size_t records = 0;
    std::size_t documents = 0;  // files the live records list, served (documents mode only)
    std::size_t document_bytes = 0;
    std::size_t pdfs = 0;

    // The OAI-PMH base URL of endpoint i, served at 127.0.0.<i+1>.
    std::string oai_url(std::size_t endpoint = 0) const;
    // The server's counters ("requests R pages P dynamic D bytes B"): one of them by name.
    std::size_t counter(const std::string& name) const;
};

// Starts `self serve ...` and waits (up to 15 minutes: the corpus is generated first) until it
// listens. With documents, the corpus's files are on the server (document_bodies.hpp). Throws
// std::runtime_error when it does not.
std::unique_ptr<ServerProcess> start_server(const BenchOptions& options, std::size_t records,
                                            std::size_t page_size, int delay_ms,
                                            std::size_t hosts = 1, bool documents = false);

// Writes a config for the bench to `path`: no politeness pause (one host serves everything),
// then `extra` (e.g. [daemon] and [[endpoint]] tables).
void write_config(const std::string& path, const std::string& extra = {});

// Full harvest into a fresh database, the no-change re-harvest, export jsonl and search. The
// mirror, or nullopt when the harvest failed (its directory is removed then).
std::optional<Mirror> run_mirror_scenarios(const BenchOptions& options, const ServerProcess& server,
                                           int run, Figures& figures);
// `oaiharvest serve` over the mirror: ListRecords to the end in oai_dc and in mets, then web
// searches from options.serve_clients clients at once (serve_scenarios.cpp).
void run_serve(const BenchOptions& options, const Mirror& mirror, Figures& figures);
// The same harvest, re-harvest, export and searches into a fresh PostgreSQL database, and
// `copy` of the run's SQLite mirror into another (postgres_bench.cpp).
void run_postgres(const BenchOptions& options, const ServerProcess& server, const Mirror& mirror,
                  Figures& figures);
// The bare libcurl loop and xmlTextReader pass over the same pages.
void run_limits(const ServerProcess& server, Figures& figures);
// Catmandu::OAI and HTTP::OAI, when installed, and oaiharvest on the same (smaller) corpus.
void run_peers(const BenchOptions& options, const ServerProcess& server, int run, Figures& figures);
// One page of all big_records records: peak memory of the harvest.
void run_big_page(const BenchOptions& options, const ServerProcess& server, int run,
                  Figures& figures);
// `oaiharvest daemon` over options.endpoints delayed endpoints; skipped with a note when the
// daemon is not available.
void run_concurrency(const BenchOptions& options, const ServerProcess& server, int run,
                     Figures& figures);
// One, two and three `daemon --once` at a time over the same delayed endpoints into one
// PostgreSQL mirror (issue 18: several daemons, one mirror): the aggregate rate of each.
void run_postgres_daemons(const BenchOptions& options, const ServerProcess& server,
                          Figures& figures);

// The documents stage (documents_bench.cpp): a harvest with documents = true over the
// metadata of `server` (started with documents), against the same harvest with documents off
// and a bare libcurl loop over the same files; the bodies' count and bytes checked.
void run_documents(const BenchOptions& options, const ServerProcess& server, int run,
                   Figures& figures);
// `oaiharvest __extract-text` on a 1-page and a pdf_pages-page PDF (extract_bench.cpp).
void run_text_extraction(const BenchOptions& options, int run, Figures& figures);

// Megabytes (10^6 bytes) and mebibytes.
inline double mb(double bytes) {
    return bytes / 1e6;
}
inline double mib_of_kib(double kib) {
    return kib / 1024.0;
}

}  // namespace oaiharvest::bench
