// `oaiharvest-bench serve`: the bench server process. Generates the corpus, listens on
// 127.0.0.1, prints "ports P pages N bytes B records R" once listening, and serves until its
// stdin closes (the driver holds the other end, so the server never outlives it) or SIGTERM.
// With several hosts, "ports P1,P2,..." lists the ports of 127.0.0.1, 127.0.0.2 ...

#include <unistd.h>

#include <cstdio>
#include <iostream>
#include <thread>

#include "bench_main.hpp"
#include "corpus.hpp"
#include "server.hpp"

namespace oaiharvest::bench {

int serve(const CorpusOptions& corpus_options, int delay_ms, std::size_t hosts) {
    const Corpus corpus(corpus_options);
    ServerOptions options;
    options.list_delay = std::chrono::milliseconds(delay_ms);
    options.hosts = hosts;
    BenchServer server(corpus, options);
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
    std::cout << "ports " << ports << " pages " << corpus.pages() << " bytes " << corpus.bytes()
              << " records " << corpus.records() << std::endl;
    server.listen();
    std::cerr << "oaiharvest-bench serve: " << server.stats() << "\n";
    return 0;
}

}  // namespace oaiharvest::bench
