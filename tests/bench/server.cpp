#include "server.hpp"

#include <algorithm>
#include <memory>
#include <stdexcept>
#include <thread>

#include "document_bodies.hpp"

namespace oaiharvest::bench {
namespace {

constexpr std::size_t k_write_size = 256 * 1024;
constexpr const char* k_xml = "text/xml; charset=UTF-8";
constexpr const char* k_oai_path = "/cgi/oai2";

std::string argument(const httplib::Request& request, const char* name) {
    return request.has_param(name) ? request.get_param_value(name) : std::string{};
}

}  // namespace

BenchServer::BenchServer(ServerOptions options) : m_options(options) {
    const int threads = m_options.threads;
    auto handler = [this](const httplib::Request& request, httplib::Response& response) {
        answer(request, response);
    };
    for (std::size_t host = 1; host <= std::max<std::size_t>(m_options.hosts, 1); ++host) {
        auto http = std::make_unique<httplib::Server>();
        http->new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
        http->set_keep_alive_max_count(100'000);
        // httplib writes the head and a small body apart: without TCP_NODELAY the body waits
        // for the client's delayed ACK of the head, 40 ms per small document on a kept-alive
        // connection (a one-page PDF), which would be the server's cost, not the harvester's.
        http->set_tcp_nodelay(true);
        http->Get(k_oai_path, handler);
        http->Post(k_oai_path, handler);
        // The generator's file URLs: /id/eprint/<n>/1/fulltext_<n>.txt.
        http->Get(R"(/id/eprint/(\d+)/.*)",
                  [this](const httplib::Request& request, httplib::Response& response) {
                      answer_document(request, response);
                  });
        http->Get("/documents", [this](const httplib::Request&, httplib::Response& response) {
            list_documents(response);
        });
        http->Get("/stats", [this](const httplib::Request&, httplib::Response& response) {
            response.set_content(stats(), "text/plain");
        });
        const std::string address = "127.0.0." + std::to_string(host);
        const int port = http->bind_to_any_port(address);
        if (port <= 0) {
            throw std::runtime_error("cannot listen on " + address);
        }
        m_ports.push_back(port);
        m_http.push_back(std::move(http));
    }
}

void BenchServer::listen(const Corpus& corpus) {
    m_corpus = &corpus;
    std::vector<std::thread> others;
    for (std::size_t i = 1; i < m_http.size(); ++i) {
        others.emplace_back([this, i] { m_http[i]->listen_after_bind(); });
    }
    m_http[0]->listen_after_bind();
    for (auto& other : others) {
        other.join();
    }
}

void BenchServer::stop() {
    for (auto& http : m_http) {
        http->stop();
    }
}

std::string BenchServer::stats() const {
    return "requests " + std::to_string(m_requests.load()) + " pages " +
           std::to_string(m_pages.load()) + " dynamic " + std::to_string(m_dynamic.load()) +
           " bytes " + std::to_string(m_bytes.load()) + " documents " +
           std::to_string(m_documents.load()) + " document_bytes " +
           std::to_string(m_document_bytes.load());
}

void BenchServer::answer(const httplib::Request& request, httplib::Response& response) {
    ++m_requests;
    // httplib would gzip a text/xml body for a client that accepts it, on this server's CPU at
    // every request; the bench measures the harvester on identity bodies instead. httplib reads
    // Accept-Encoding after the handler returns (as sample/serve.cpp relies on too).
    const_cast<httplib::Request&>(request).headers.erase("Accept-Encoding");
    const std::string verb = argument(request, "verb");
    std::shared_ptr<const std::string> body;
    if (verb == "ListRecords") {
        if (m_options.list_delay.count() > 0) {
            std::this_thread::sleep_for(m_options.list_delay);
        }
        const std::string token = argument(request, "resumptionToken");
        const bool first = token.empty() && argument(request, "metadataPrefix") == "mets" &&
                           !request.has_param("from") && !request.has_param("until") &&
                           !request.has_param("set");
        if (first || !token.empty()) {
            body = m_corpus->page(token);
        }
    }
    int status = 200;
    if (body) {
        ++m_pages;
    } else {
        ++m_dynamic;
        sample::QueryArgs args(request.params.begin(), request.params.end());
        auto dynamic = m_corpus->answer(args);
        status = dynamic.status;
        body = std::make_shared<const std::string>(std::move(dynamic.body));
    }
    m_bytes += body->size();
    response.status = status;
    response.set_content_provider(
        body->size(), k_xml,
        [body](std::size_t offset, std::size_t length, httplib::DataSink& sink) {
            return sink.write(body->data() + offset, std::min(length, k_write_size));
        });
}

void BenchServer::answer_document(const httplib::Request& request, httplib::Response& response) {
    ++m_requests;
    const_cast<httplib::Request&>(request).headers.erase("Accept-Encoding");  // as in answer()
    auto body = std::make_shared<DocumentBody>(
        document_body(std::stoul(request.matches[1].str()), m_options.document_text_bytes));
    ++m_documents;
    m_document_bytes += body->bytes.size();
    response.set_content_provider(
        body->bytes.size(), body->type,
        [body](std::size_t offset, std::size_t length, httplib::DataSink& sink) {
            return sink.write(body->bytes.data() + offset, std::min(length, k_write_size));
        });
}

void BenchServer::list_documents(httplib::Response& response) const {
    std::string list;
    for (const auto& url : m_corpus->document_urls()) {
        list += url + "\n";
    }
    response.set_content(list, "text/plain");
}

}  // namespace oaiharvest::bench
