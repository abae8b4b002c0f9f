#pragma once
// `oaiharvest serve` (issue 14; docs/serving.md): the mirror over HTTP. Routes: /oai (the
// OAI-PMH data provider, GET and POST), /metrics (Prometheus), /healthz, and the web pages for
// people at every other path (GET). Nothing else is served.
//
// Safe to put on a network: the database is opened read-only; at most `workers` requests are
// answered at once, each within `request_timeout` (its queries are stopped past it), and
// connections beyond `queue` waiting are answered 503 at once; a request body is at most 64 KiB;
// no response holds more than a page of records.

#include <chrono>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>

#include "serve/provider.hpp"

namespace oaiharvest::serve {

struct ServeSettings {
    std::string database;
    std::string host = "127.0.0.1";
    int port = 8080;  // 0: any free port (tests)
    // The provider's base URL as harvesters reach it (behind a reverse proxy); absent: made of
    // the request's Host header, "http://HOST/oai".
    std::optional<std::string> base_url;
    ProviderSettings provider;
    int workers = 8;
    int queue = 128;
    std::chrono::milliseconds request_timeout{std::chrono::seconds{10}};
};

// The database cannot be served, or the address cannot be listened on; the message names which.
class ServeError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

class Server {
public:
    // Opens the database read-only once, to fail now rather than at the first request, and binds
    // the address. Throws ServeError.
    explicit Server(ServeSettings settings);
    ~Server();
    Server(const Server&) = delete;
    Server& operator=(const Server&) = delete;
    Server(Server&&) = delete;
    Server& operator=(Server&&) = delete;

    // The port bound (the one chosen when settings.port was 0).
    int port() const;
    // Answers requests until stop(); throws ServeError when listening fails.
    void run();
    // From any thread: run() returns once the requests being answered are.
    void stop();

private:
    struct State;
    std::unique_ptr<State> m_state;
};

}  // namespace oaiharvest::serve
