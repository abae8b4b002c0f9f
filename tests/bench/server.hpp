#pragma once
// A loopback OAI-PMH server for the benchmark: serves a Corpus's pre-rendered pages from memory
// (Content-Length, no compression, keep-alive), so that the harvester, not the server, is what
// gets measured. For the concurrency scenario one corpus is served as several endpoints, each on
// its own loopback address (127.0.0.1, 127.0.0.2 ...: the daemon lets one request at a time go
// to a host name), with each ListRecords response held back by a delay. For the documents
// scenario it also serves the files the corpus lists (document_bodies.hpp) at their URL paths,
// and their list at /documents.
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
    std::chrono::milliseconds list_delay{0};       // before each ListRecords response
    std::size_t hosts = 1;                         // listeners on 127.0.0.1 .. 127.0.0.<hosts>
    int threads = 8;                               // per listener
    std::size_t document_text_bytes = 256 * 1024;  // each text document's size
};

class BenchServer {
public:
    // Binds each host's address on a free port (so that a corpus can name the server in its
    // URLs before it is generated). Throws std::runtime_error when it cannot.
    explicit BenchServer(ServerOptions options);
    BenchServer(const BenchServer&) = delete;
    BenchServer& operator=(const BenchServer&) = delete;
    BenchServer(BenchServer&&) = delete;
    BenchServer& operator=(BenchServer&&) = delete;
    ~BenchServer() = default;

    // The port of each listener, in host order.
    const std::vector<int>& ports() const { return m_ports; }
    // Serves `corpus` until stop() is called from another thread. `corpus` must outlive the
    // server.
    void listen(const Corpus& corpus);
    void stop();

    // "requests R pages P dynamic D bytes B documents N document_bytes M": what was served so
    // far (also GET /stats).
    std::string stats() const;

private:
    void answer(const httplib::Request& request, httplib::Response& response);
    void answer_document(const httplib::Request& request, httplib::Response& response);
    void list_documents(httplib::Response& response) const;

    const Corpus* m_corpus = nullptr;
    ServerOptions m_options;
    std::vector<std::unique_ptr<httplib::Server>> m_http;
    std::vector<int> m_ports;
    std::atomic<std::size_t> m_requests{0};
    std::atomic<std::size_t> m_pages{0};
    std::atomic<std::size_t> m_dynamic{0};
    std::atomic<std::size_t> m_bytes{0};
    std::atomic<std::size_t> m_documents{0};
    std::atomic<std::size_t> m_document_bytes{0};
};

}  // namespace oaiharvest::bench
