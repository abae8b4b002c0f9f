#pragma once
// DocumentServer: files served over HTTP on 127.0.0.1 (an ephemeral port) the way EPrints 3.4
// serves a record's documents: an ETag sent unquoted, and 304 only when If-None-Match comes
// back exactly as sent (a quoted or weak form gets the whole body). For the documents tests.
//
// Thread-safe; the destructor releases held requests, stops the server and joins it.

#include <condition_variable>
#include <cstddef>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

namespace httplib {
class Server;
}

namespace oaiharvest::testing {

struct ServedFile {
    std::string body;
    std::string content_type = "application/pdf";
    std::optional<std::string> etag;  // sent as is: unquoted, like EPrints
    std::optional<std::string> last_modified;
    std::optional<std::string> redirect_to;  // a 302 to this URL instead of the file
    bool hold = false;  // sends half the body, then waits until release() or the server stops
};

class DocumentServer {
public:
    DocumentServer();
    ~DocumentServer();
    DocumentServer(const DocumentServer&) = delete;
    DocumentServer& operator=(const DocumentServer&) = delete;
    DocumentServer(DocumentServer&&) = delete;
    DocumentServer& operator=(DocumentServer&&) = delete;

    // "http://127.0.0.1:PORT" + path.
    std::string url(const std::string& path) const;
    int port() const { return m_port; }
    void put(const std::string& path, ServedFile file);
    // Requests for path so far, and how many of them were answered 200 with the body.
    std::size_t requests(const std::string& path) const;
    std::size_t bodies_sent(const std::string& path) const;
    std::size_t total_bodies_sent() const;
    // The If-None-Match of the last request for path, when it had one.
    std::optional<std::string> last_if_none_match(const std::string& path) const;
    // True once a held request has sent half its body (waits at most `seconds`).
    bool wait_for_hold(int seconds);
    void release();

private:
    std::unique_ptr<httplib::Server> m_server;
    std::thread m_thread;
    int m_port = 0;
    mutable std::mutex m_mutex;
    std::condition_variable m_changed;
    std::map<std::string, ServedFile> m_files;
    std::map<std::string, std::size_t> m_requests;
    std::map<std::string, std::size_t> m_bodies;
    std::map<std::string, std::string> m_if_none_match;
    bool m_holding = false;
    bool m_released = false;
};

}  // namespace oaiharvest::testing
