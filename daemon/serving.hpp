#pragma once
// The mirror served over HTTP (lib/serve) from the command line: `oaiharvest serve`, and the
// daemon serving beside its harvests ([serve] in_daemon, `daemon --serve`).

#include <memory>
#include <optional>
#include <string>
#include <thread>

#include "config/config.hpp"
#include "serve/server.hpp"

namespace oaiharvest::cli {

// The server's settings from the config's [serve], the database and --listen (which overrides
// `listen`). Throws UsageError naming the option or key for a bad value.
serve::ServeSettings serve_settings(const config::ServeSettings& config, const std::string& db,
                                    const std::optional<std::string>& listen);

// A server answering on its own thread from construction until destruction, which stops it and
// waits for the requests being answered.
class BackgroundServer {
public:
    explicit BackgroundServer(serve::ServeSettings settings);
    ~BackgroundServer();
    BackgroundServer(const BackgroundServer&) = delete;
    BackgroundServer& operator=(const BackgroundServer&) = delete;
    BackgroundServer(BackgroundServer&&) = delete;
    BackgroundServer& operator=(BackgroundServer&&) = delete;

private:
    std::unique_ptr<serve::Server> m_server;
    std::thread m_thread;
};

// "http://HOST:PORT/": where the server answers, for the log.
std::string served_at(const serve::ServeSettings& settings, int port);

}  // namespace oaiharvest::cli
