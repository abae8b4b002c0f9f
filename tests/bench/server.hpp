#pragma once
// A loopback OAI-PMH server for the benchmark: serves a Corpus's pre-rendered pages from memory
// (Content-Length, no compression, keep-alive), so that the harvester, not the server, is what
// gets measured. For the concurrency scenario one corpus is served as several endpoints, each on
// its own loopback address (127.0.0.1, 127.0.0.2 ...: the daemon lets one request at a time go
// to a host name), with each ListRecords response held back by a delay.
// Thread-safe: httplib answers from a pool of threads; the counters are atomic.

#include <httplib.h>

#include <atomic>
#include <chrono>
#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "corpus.hpp"

namespace oaiharvest::bench {

struct ServerOptions {
    std::chrono::milliseconds list_delay{0};  // before each ListRecords response
    std::size_t hosts = 1;                    // listeners on 127.0.0.1 .. 127.0.0.<hosts>
    int threads = 8;                          // per listener
};

class BenchServer {
public:
    // Binds each host's address on a free port. Throws std::runtime_error when it cannot.
    // `corpus` must outlive the server.
    BenchServer(const Corpus& corpus, ServerOptions options);
    BenchServer(const BenchServer&) = delete;
    BenchServer& operator=(const BenchServer&) = delete;
    BenchServer(BenchServer&&) = delete;
    BenchServer& operator=(BenchServer&&) = delete;
    ~BenchServer() = default;

    // The port of each listener, in host order.
    const std::vector<int>& ports() const { return m_ports; }
    // Serves until stop() is called from another thread.
    void listen();
    void stop();

    // "requests R pages P dynamic D bytes B": what was served so far (also GET /stats).
    std::string stats() const;

private:
    void answer(const httplib::Request& request, httplib::Response& response);

    const Corpus& m_corpus;
    ServerOptions m_options;
    std::vector<std::unique_ptr<httplib::Server>> m_http;
    std::vector<int> m_ports;
    std::atomic<std::size_t> m_requests{0};
    std::atomic<std::size_t> m_pages{0};
    std::atomic<std::size_t> m_dynamic{0};
    std::atomic<std::size_t> m_bytes{0};
};

}  // namespace oaiharvest::bench
