// `oaiharvest-bench serve`: the bench server process. Listens on 127.0.0.1, generates the
// corpus, prints "ports P pages N bytes B records R documents D document_bytes M pdfs K" once
// listening, and serves until its stdin closes (the driver holds the other end, so the server
// never outlives it) or SIGTERM. With several hosts, "ports P1,P2,..." lists the ports of
// 127.0.0.1, 127.0.0.2 ... With documents, the corpus's file URLs name this server (it binds
// before the corpus is generated), and D, M and K count the files its live records list, the
// bytes it serves for them and the PDFs among them.

#include <unistd.h>

#include <cstdio>
#include <iostream>
#include <thread>

#include "bench_main.hpp"
#include "corpus.hpp"
#include "document_bodies.hpp"
#include "server.hpp"

namespace oaiharvest::bench {

int serve(CorpusOptions corpus_options, const ServeOptions& serve_options) {
    ServerOptions options;
    options.list_delay = std::chrono::milliseconds(serve_options.delay_ms);
    options.hosts = serve_options.hosts;
    options.document_text_bytes = serve_options.document_text_bytes;
    const bool documents = serve_options.documents;
    BenchServer server(options);
    if (documents) {
        corpus_options.site_url = "http://127.0.0.1:" + std::to_string(server.ports().front());
    }
    const Corpus corpus(corpus_options);
    std::thread watcher([&server] {
        char byte = 0;
        while (read(0, &byte, 1) > 0) {
        }
        server.stop();
    });
    watcher.detach();  // blocked in read(); ends with the process
    std::string ports;
    for (int port : server.ports()) {
        ports += (ports.empty() ? "" : ",") + std::to_string(port);
    }
    // Without documents the corpus's URLs name the generator's host: nothing is served for them.
    std::size_t files = 0;
    std::size_t document_bytes = 0;
    std::size_t pdfs = 0;
    if (documents) {
        for (const auto& url : corpus.document_urls()) {
            const auto number = std::stoul(url.substr(url.find("/id/eprint/") + 11));
            document_bytes += document_body(number, options.document_text_bytes).bytes.size();
            pdfs += is_pdf_document(number) ? 1 : 0;
            ++files;
        }
    }
    std::cout << "ports " << ports << " pages " << corpus.pages() << " bytes " << corpus.bytes()
              << " records " << corpus.records() << " documents " << files << " document_bytes "
              << document_bytes << " pdfs " << pdfs << std::endl;
    server.listen(corpus);
    std::cerr << "oaiharvest-bench serve: " << server.stats() << "\n";
    return 0;
}

}  // namespace oaiharvest::bench
