// oaiharvest-bench: issue 6's benchmark. Starts bench servers (`oaiharvest-bench serve`) over a
// generated corpus, runs the real oaiharvest binary against them K times, measures the same
// pages with a bare libcurl loop, a bare xmlTextReader pass and the Debian-packaged peers, and
// prints medians as Markdown. Exit status 1 when a correctness check (record counts, exit
// codes) fails; timings are reported, never asserted. See docs/performance.md.

#include <curl/curl.h>
#include <libxml/parser.h>
#include <stdlib.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "bench_main.hpp"

#ifndef OAIHARVEST_BINARY
#error "OAIHARVEST_BINARY must name the oaiharvest executable"
#endif

using namespace oaiharvest::bench;

namespace {

std::string self_path() {
    std::error_code error;
    auto path = std::filesystem::read_symlink("/proc/self/exe", error);
    return error ? std::string("oaiharvest-bench") : path.string();
}

int drive(BenchOptions options, bool keep) {
    bool made_workdir = false;
    if (options.workdir.empty()) {
        char pattern[] = "/tmp/oaiharvest-bench.XXXXXX";
        if (mkdtemp(pattern) == nullptr) {
            std::cerr << "oaiharvest-bench: cannot create a work directory in /tmp\n";
            return 2;
        }
        options.workdir = pattern;
        made_workdir = true;
    }
    std::filesystem::create_directories(options.workdir);
    std::cerr << "oaiharvest-bench: " << machine_summary() << "\n"
              << "oaiharvest-bench: generating " << options.records
              << " records and starting the servers...\n";
    Figures figures;
    CorpusFacts facts;
    {
        auto main_server = start_server(options, options.records, 100, 0);
        facts.records = main_server->records;
        facts.pages = main_server->pages;
        facts.bytes = main_server->bytes;
        std::unique_ptr<ServerProcess> big;
        if (options.big_page) {
            big = start_server(options, options.big_records, options.big_records, 0);
            facts.big_bytes = big->bytes;
        }
        std::unique_ptr<ServerProcess> peer;
        if (options.peers) {
            peer = start_server(options, std::min(options.peer_records, options.records), 100, 0);
            facts.peer_records = peer->records;
        }
        std::unique_ptr<ServerProcess> with_documents;
        if (options.documents) {
            with_documents = start_server(options, options.document_records, 100, 0, 1, true);
            facts.documents = with_documents->documents;
            facts.document_bytes = with_documents->document_bytes;
            facts.pdfs = with_documents->pdfs;
        }
        std::unique_ptr<ServerProcess> slow;
        if (options.concurrency) {
            slow = start_server(options, options.endpoint_pages * 100, 100, options.delay_ms,
                                options.endpoints);
        }
        for (int run = 1; run <= options.runs; ++run) {
            std::cerr << "oaiharvest-bench: run " << run << " of " << options.runs << "\n";
            // The machine may be shared: how busy it was says how far to trust wall times.
            if (std::ifstream loadavg("/proc/loadavg"); loadavg) {
                double load = 0;
                loadavg >> load;
                figures.add("load average (1 min) at run start", "", load);
            }
            // The serving scenario reads the mirror the harvest made, so it runs before the
            // mirror goes.
            if (auto mirror = run_mirror_scenarios(options, *main_server, run, figures)) {
                if (options.serve) {
                    run_serve(options, *mirror, figures);
                }
                if (options.postgres) {
                    run_postgres(options, *main_server, *mirror, figures);
                }
                std::filesystem::remove_all(mirror->dir);
            }
            run_limits(*main_server, figures);
            if (peer && run <= options.peer_runs) {
                run_peers(options, *peer, run, figures);
            }
            if (big) {
                run_big_page(options, *big, run, figures);
            }
            if (slow) {
                run_concurrency(options, *slow, run, figures);
                if (options.postgres) {
                    run_postgres_daemons(options, *slow, figures);
                }
            }
            if (with_documents) {
                run_documents(options, *with_documents, run, figures);
                run_text_extraction(options, run, figures);
            }
            if (auto rate = figures.median("harvest records/s")) {
                std::cerr << "oaiharvest-bench: harvest so far (median): "
                          << static_cast<long>(*rate) << " records/s\n";
            }
        }
    }
    print_report(options, facts, figures);
    if (made_workdir && !keep) {
        std::filesystem::remove_all(options.workdir);
    }
    return figures.failures().empty() ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
    CLI::App app{"oaiharvest-bench: end-to-end harvest benchmark (see docs/performance.md)"};
    BenchOptions options;
    options.binary = OAIHARVEST_BINARY;
    options.self = self_path();
    bool no_peers = false;
    bool no_big = false;
    bool no_concurrency = false;
    bool no_serve = false;
    bool no_postgres = false;
    bool no_documents = false;
    bool keep = false;
    app.add_option("--records,-n", options.records, "records in the corpus")
        ->check(CLI::PositiveNumber);
    app.add_option("--runs,-k", options.runs, "runs; figures are medians")
        ->check(CLI::PositiveNumber);
    app.add_option("--binary", options.binary, "the oaiharvest executable");
    app.add_option("--workdir", options.workdir, "where databases go (default: a new /tmp dir)");
    app.add_flag("--keep", keep, "keep the work directory");
    app.add_option("--abstract-bytes", options.abstract_bytes, "abstract padding (record size)");
    app.add_flag("--no-peers", no_peers, "skip Catmandu::OAI and HTTP::OAI");
    app.add_option("--peer-runs", options.peer_runs, "runs that include the peers");
    app.add_option("--peer-records", options.peer_records, "records the peers harvest")
        ->check(CLI::PositiveNumber);
    app.add_flag("--no-big-page", no_big, "skip the single big page");
    app.add_option("--big-records", options.big_records, "records in the big page")
        ->check(CLI::PositiveNumber);
    app.add_flag("--no-concurrency", no_concurrency, "skip the daemon scenario");
    app.add_option("--endpoints", options.endpoints, "daemon scenario: endpoints")
        ->check(CLI::PositiveNumber);
    app.add_option("--endpoint-pages", options.endpoint_pages, "daemon scenario: pages each")
        ->check(CLI::PositiveNumber);
    app.add_option("--delay-ms", options.delay_ms, "daemon scenario: delay of each page");
    app.add_option("--parallel", options.parallel, "daemon scenario: [daemon] parallel")
        ->check(CLI::PositiveNumber);
    app.add_option("--search-rounds", options.search_rounds, "times each search query runs")
        ->check(CLI::PositiveNumber);
    app.add_flag("--no-serve", no_serve, "skip the serving scenario (oaiharvest serve)");
    app.add_flag("--no-postgres", no_postgres, "skip the PostgreSQL mirror (issue 18)");
    app.add_option("--serve-clients", options.serve_clients, "serving: web clients at once")
        ->check(CLI::PositiveNumber);
    app.add_option("--serve-requests", options.serve_requests, "serving: searches per client")
        ->check(CLI::PositiveNumber);
    app.add_option("--serve-workers", options.serve_workers,
                   "serving: [serve] workers (default: the server's own)")
        ->check(CLI::PositiveNumber);
    app.add_flag("--no-documents", no_documents,
                 "skip the documents stage and text extraction scenarios");
    app.add_option("--document-records", options.document_records,
                   "documents: records of their corpus (a file on every 25th)")
        ->check(CLI::PositiveNumber);
    app.add_option("--document-kb", options.document_kb, "documents: KiB of each text document")
        ->check(CLI::PositiveNumber);
    app.add_option("--pdf-pages", options.pdf_pages, "text extraction: pages of the long PDF")
        ->check(CLI::Range(2, 10'000));
    app.add_option("--extract-rounds", options.extract_rounds,
                   "text extraction: times each PDF is read per run")
        ->check(CLI::PositiveNumber);

    auto* serve_command =
        app.add_subcommand("serve", "(internal) serve a corpus until stdin closes");
    CorpusOptions corpus;
    ServeOptions serving;
    serve_command->add_option("--records", corpus.records)->required();
    serve_command->add_option("--page-size", corpus.page_size)->required();
    serve_command->add_option("--abstract-bytes", corpus.abstract_bytes);
    serve_command->add_option("--delay-ms", serving.delay_ms);
    serve_command->add_option("--hosts", serving.hosts);
    serve_command->add_flag("--documents", serving.documents);
    serve_command->add_option("--document-bytes", serving.document_text_bytes);
    CLI11_PARSE(app, argc, argv);

    if (serve_command->parsed()) {
        return serve(corpus, serving);
    }
    options.peers = !no_peers;
    options.big_page = !no_big;
    options.concurrency = !no_concurrency;
    options.serve = !no_serve;
    options.postgres = !no_postgres;
    options.documents = !no_documents;
    curl_global_init(CURL_GLOBAL_DEFAULT);
    xmlInitParser();
    try {
        int status = drive(options, keep);
        curl_global_cleanup();
        return status;
    } catch (const std::exception& e) {
        std::cerr << "oaiharvest-bench: " << e.what() << "\n";
        return 2;
    }
}
