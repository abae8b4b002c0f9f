#include "serving.hpp"

#include <spdlog/spdlog.h>

#include "cli.hpp"
#include "config/checks.hpp"
#include "store/store.hpp"
#include "util/safe_text.hpp"

namespace oaiharvest::cli {

serve::ServeSettings serve_settings(const config::ServeSettings& config, const std::string& db,
                                    const std::optional<std::string>& listen) {
    const std::string address = listen.value_or(config.listen);
    if (auto problem = config::listen_address_problem(address); !problem.empty()) {
        throw UsageError((listen ? "--listen " : "[serve] listen = ") + util::printable(address) +
                         ": " + problem);
    }
    if (config.admin_email.empty()) {
        throw UsageError("[serve] admin_email: give at least one address (Identify needs one)");
    }
    if (config.page_size > 1000) {
        throw UsageError("[serve] page_size = " + std::to_string(config.page_size) +
                         ": at most 1000 (a page is held in memory while it is sent)");
    }
    serve::ServeSettings s;
    s.database = db;
    auto colon = address.rfind(':');
    s.host = address.substr(0, colon);
    if (s.host.front() == '[') {
        s.host = s.host.substr(1, s.host.size() - 2);
    }
    s.port = std::stoi(address.substr(colon + 1));
    if (!config.base_url.empty()) {
        s.base_url = config.base_url;
    }
    s.provider.repository_name = config.repository_name;
    s.provider.admin_emails = config.admin_email;
    s.provider.page_size = config.page_size;
    s.provider.token_lifetime =
        std::chrono::duration_cast<std::chrono::seconds>(config.token_lifetime);
    s.workers = config.workers;
    s.queue = config.queue;
    s.request_timeout = config.request_timeout;
    return s;
}

std::string served_at(const serve::ServeSettings& settings, int port) {
    const bool ipv6 = settings.host.find(':') != std::string::npos;
    return "http://" + (ipv6 ? "[" + settings.host + "]" : settings.host) + ":" +
           std::to_string(port) + "/";
}

BackgroundServer::BackgroundServer(serve::ServeSettings settings)
    : m_server(std::make_unique<serve::Server>(settings)) {
    spdlog::info("serving {} at {} (OAI-PMH at /oai)", store::database_name(settings.database),
                 served_at(settings, m_server->port()));
    m_thread = std::thread([this] {
        try {
            m_server->run();
        } catch (const std::exception& e) {
            spdlog::error("serving stopped: {}", e.what());
        }
    });
}

BackgroundServer::~BackgroundServer() {
    m_server->stop();
    m_thread.join();
}

}  // namespace oaiharvest::cli
