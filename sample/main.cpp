// oaiharvest-sample-endpoint: serves a generated sample repository as EPrints 3.4.7 serves
// /cgi/oai2, on loopback unless told otherwise, until SIGTERM or SIGINT.

#include <httplib.h>
#include <pthread.h>
#include <signal.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>
#include <thread>

#include "sample/generate.hpp"
#include "sample/provider.hpp"
#include "sample/serve.hpp"

namespace {

using namespace oaiharvest::sample;

// Written to a temporary name and renamed, so a script waiting for the file never reads half
// of it.
bool write_port_file(const std::string& path, int port) {
    const std::string temporary = path + ".tmp";
    {
        std::ofstream out(temporary, std::ios::trunc);
        out << port << '\n';
        if (!out.flush()) {
            return false;
        }
    }
    std::error_code error;
    std::filesystem::rename(temporary, path, error);
    return !error;
}

std::string url_host(const std::string& host) {
    return host.find(':') == std::string::npos ? host : "[" + host + "]";
}

}  // namespace

int main(int argc, char** argv) {
    CLI::App app{"A sample EPrints-style OAI-PMH endpoint serving generated records."};
    std::string host = "127.0.0.1";
    int port = 8399;
    std::string port_file;
    GenerateOptions generate;
    ProviderOptions provide;
    bool log_requests = false;
    app.add_option("--host", host, "address to listen on (loopback by default)");
    app.add_option("--port", port, "port to listen on; 0 picks a free one")
        ->check(CLI::Range(0, 65535));
    app.add_option("--port-file", port_file, "write the bound port here once listening");
    app.add_option("--records", generate.records, "number of records (the seed record is 1)")
        ->check(CLI::PositiveNumber);
    app.add_option("--page-size", provide.page_size, "records per ListRecords page")
        ->check(CLI::PositiveNumber);
    app.add_option("--seed", generate.seed, "seed of the generated records");
    app.add_flag("--log-requests", log_requests, "print each request to stderr");
    bool no_documents = false;
    app.add_flag("--no-documents", no_documents,
                 "list no documents: record 1 is then the seed record byte for byte");
    CLI11_PARSE(app, argc, argv);

    // Blocked before any thread starts, so only the waiter below ever receives them.
    sigset_t stop_signals;
    sigemptyset(&stop_signals);
    sigaddset(&stop_signals, SIGINT);
    sigaddset(&stop_signals, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

    httplib::Server server;
    server.set_keep_alive_max_count(1);  // "Connection: close", as the EPrints fixtures show
    const int bound =
        port == 0 ? server.bind_to_any_port(host) : (server.bind_to_port(host, port) ? port : -1);
    if (bound <= 0) {
        std::cerr << "oaiharvest-sample-endpoint: cannot listen on " << host << ":" << port << "\n";
        return 1;
    }
    // The files the records list are served here too, so their URLs name this host.
    generate.site_url = "http://" + url_host(host) + ":" + std::to_string(bound);
    generate.documents = !no_documents;
    provide.base_url = generate.site_url + k_oai_path;
    const Repository repository = make_sample_repository(generate);
    const Provider provider(repository, provide);
    auto handler = [&provider](const httplib::Request& request, httplib::Response& response) {
        send_response(request, response, provider.handle(query_args(request)));
    };
    server.Get(k_oai_path, handler);
    server.Post(k_oai_path, handler);
    server.Get(R"(/id/eprint/.+)",
               [&repository](const httplib::Request& request, httplib::Response& response) {
                   if (const auto* document = repository.find_document(request.path)) {
                       send_document(request, response, *document);
                   } else {
                       response.status = 404;
                   }
               });
    if (log_requests) {
        server.set_logger([](const httplib::Request& request, const httplib::Response& response) {
            std::cerr << request.method << " " << request.target << " -> " << response.status
                      << "\n";
        });
    }

    if (!port_file.empty() && !write_port_file(port_file, bound)) {
        std::cerr << "oaiharvest-sample-endpoint: cannot write " << port_file << "\n";
        return 1;
    }
    std::cerr << "oaiharvest-sample-endpoint: " << generate.records << " records at "
              << provide.base_url << "\n";

    std::thread waiter([&server, &stop_signals] {
        int received = 0;
        sigwait(&stop_signals, &received);
        server.stop();
    });
    const bool listened = server.listen_after_bind();
    pthread_kill(waiter.native_handle(), SIGTERM);  // releases the waiter if listen failed
    waiter.join();
    if (!port_file.empty()) {
        std::remove(port_file.c_str());
    }
    return listened ? 0 : 1;
}
