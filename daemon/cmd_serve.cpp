#include <poll.h>
#include <spdlog/spdlog.h>

#include <CLI/CLI.hpp>
#include <thread>

#include "cli.hpp"
#include "context.hpp"
#include "serving.hpp"
#include "signals.hpp"
#include "store/store.hpp"

namespace oaiharvest::cli {
namespace {

int run_serve(const GlobalOptions& global, const std::optional<std::string>& listen) {
    auto settings = serve_settings(cli::settings(global).serve, database_path(global), listen);
    // A missing database is the user's mistake, said as the reading commands say it.
    open_existing_store(global);
    const auto& stop = install_stop_handlers();
    serve::Server server(settings);
    spdlog::info("serving {} at {} (OAI-PMH at /oai)", store::database_name(settings.database),
                 served_at(settings, server.port()));
    // SIGINT or SIGTERM: the requests being answered finish, then the command ends.
    std::thread watcher([&server, &stop] {
        pollfd wake{stop_wake_fd(), POLLIN, 0};
        while (!stop.load()) {
            // Readiness, EINTR or an error alike: the flag decides. Without the wake pipe (it
            // could not be made), the flag is looked at 5 times a second.
            static_cast<void>(wake.fd >= 0 ? poll(&wake, 1, -1) : poll(nullptr, 0, 200));
        }
        server.stop();
    });
    try {
        server.run();
    } catch (...) {
        server.stop();
        watcher.detach();
        throw;
    }
    watcher.join();
    spdlog::info("serving stopped");
    return k_ok;
}

}  // namespace

Runner add_serve(CLI::App& app, const GlobalOptions& global) {
    auto* cmd = app.add_subcommand(
        "serve", "serve the mirror over HTTP: OAI-PMH at /oai, web pages, /metrics, /healthz");
    auto listen = std::make_shared<std::string>();
    cmd->add_option("--listen", *listen,
                    "HOST:PORT to listen on (default: [serve] listen, else 127.0.0.1:8080)");
    return [&global, listen] {
        return run_serve(global, listen->empty() ? std::nullopt : std::optional(*listen));
    };
}

}  // namespace oaiharvest::cli
