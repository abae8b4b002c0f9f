#include "support/document_server.hpp"

#include <httplib.h>

#include <chrono>
#include <stdexcept>

namespace oaiharvest::testing {

DocumentServer::DocumentServer() : m_server(std::make_unique<httplib::Server>()) {
    m_server->Get(".*", [this](const httplib::Request& request, httplib::Response& response) {
        std::unique_lock lock(m_mutex);
        ++m_requests[request.path];
        if (request.has_header("If-None-Match")) {
            m_if_none_match[request.path] = request.get_header_value("If-None-Match");
        } else {
            m_if_none_match.erase(request.path);
        }
        auto found = m_files.find(request.path);
        if (found == m_files.end()) {
            response.status = 404;
            return;
        }
        const ServedFile file = found->second;
        if (file.redirect_to) {
            response.status = 302;
            response.set_header("Location", *file.redirect_to);
            return;
        }
        if (file.etag) {
            response.set_header("ETag", *file.etag);
            if (request.has_header("If-None-Match") &&
                request.get_header_value("If-None-Match") == *file.etag) {
                response.status = 304;
                return;
            }
        }
        if (file.last_modified) {
            response.set_header("Last-Modified", *file.last_modified);
        }
        ++m_bodies[request.path];
        if (!file.hold) {
            response.set_content(file.body, file.content_type);
            return;
        }
        lock.unlock();
        auto body = std::make_shared<std::string>(file.body);
        response.set_content_provider(
            body->size(), file.content_type,
            [this, body](std::size_t offset, std::size_t, httplib::DataSink& sink) {
                const std::size_t half = body->size() / 2;
                if (offset < half) {
                    return sink.write(body->data(), half);
                }
                std::unique_lock held(m_mutex);
                m_holding = true;
                m_changed.notify_all();
                m_changed.wait(held, [this] { return m_released; });
                held.unlock();
                return sink.write(body->data() + offset, body->size() - offset);
            });
    });
    m_server->set_keep_alive_max_count(1);  // keeps stop() from waiting out keep-alive
    m_port = m_server->bind_to_any_port("127.0.0.1");
    if (m_port <= 0) {
        throw std::runtime_error("DocumentServer: cannot bind 127.0.0.1");
    }
    m_thread = std::thread([this] { m_server->listen_after_bind(); });
    // The socket accepts connections already; this only makes stop() safe to call at once.
    while (!m_server->is_running()) {
        std::this_thread::yield();
    }
}

DocumentServer::~DocumentServer() {
    release();
    m_server->stop();
    m_thread.join();
}

std::string DocumentServer::url(const std::string& path) const {
    return "http://127.0.0.1:" + std::to_string(m_port) + path;
}

void DocumentServer::put(const std::string& path, ServedFile file) {
    std::lock_guard lock(m_mutex);
    m_files[path] = std::move(file);
}

std::size_t DocumentServer::requests(const std::string& path) const {
    std::lock_guard lock(m_mutex);
    auto found = m_requests.find(path);
    return found == m_requests.end() ? 0 : found->second;
}

std::size_t DocumentServer::bodies_sent(const std::string& path) const {
    std::lock_guard lock(m_mutex);
    auto found = m_bodies.find(path);
    return found == m_bodies.end() ? 0 : found->second;
}

std::size_t DocumentServer::total_bodies_sent() const {
    std::lock_guard lock(m_mutex);
    std::size_t total = 0;
    for (const auto& [path, count] : m_bodies) {
        total += count;
    }
    return total;
}

std::optional<std::string> DocumentServer::last_if_none_match(const std::string& path) const {
    std::lock_guard lock(m_mutex);
    auto found = m_if_none_match.find(path);
    return found == m_if_none_match.end() ? std::nullopt
                                          : std::optional<std::string>(found->second);
}

bool DocumentServer::wait_for_hold(int seconds) {
    std::unique_lock lock(m_mutex);
    return m_changed.wait_for(lock, std::chrono::seconds(seconds), [this] { return m_holding; });
}

void DocumentServer::release() {
    {
        std::lock_guard lock(m_mutex);
        m_released = true;
    }
    m_changed.notify_all();
}

}  // namespace oaiharvest::testing
