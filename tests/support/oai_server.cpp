#include "support/oai_server.hpp"

#include <arpa/inet.h>
#include <httplib.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <zlib.h>

#include <algorithm>
#include <cctype>
#include <condition_variable>
#include <filesystem>
#include <mutex>
#include <stdexcept>
#include <thread>

namespace oaiharvest::testing {
namespace {

constexpr std::size_t k_write_size = 64 * 1024;

std::string lower(std::string text) {
    std::transform(text.begin(), text.end(), text.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return text;
}

int port_of(const sockaddr_storage& address) {
    if (address.ss_family != AF_INET) {
        return -1;
    }
    return ntohs(reinterpret_cast<const sockaddr_in*>(&address)->sin_port);
}

// httplib 0.11 does not hand handlers their socket, so find it by its two ports, then make
// close() send a reset and stop both directions before httplib can write a response.
void reset_connection(int server_port, const httplib::Request& request) {
    std::error_code error;
    for (const auto& entry : std::filesystem::directory_iterator("/proc/self/fd", error)) {
        int fd = std::atoi(entry.path().filename().c_str());
        sockaddr_storage local{}, peer{};
        socklen_t length = sizeof local;
        if (getsockname(fd, reinterpret_cast<sockaddr*>(&local), &length) != 0 ||
            port_of(local) != server_port) {
            continue;
        }
        length = sizeof peer;
        if (getpeername(fd, reinterpret_cast<sockaddr*>(&peer), &length) != 0 ||
            port_of(peer) != request.remote_port) {
            continue;
        }
        linger abortive{1, 0};
        setsockopt(fd, SOL_SOCKET, SO_LINGER, &abortive, sizeof abortive);
        shutdown(fd, SHUT_RDWR);
        return;
    }
}

RequestInfo describe(const httplib::Request& request) {
    RequestInfo info;
    info.method = request.method;
    info.args = sample::query_args(request);
    if (auto verb = info.args.find("verb"); verb != info.args.end()) {
        info.verb = verb->second;
    }
    info.query = sample::raw_query(request);
    for (const auto& [name, value] : request.headers) {
        info.headers[lower(name)] = value;
    }
    return info;
}

}  // namespace

struct TestOaiServer::Served {
    Served(sample::Repository served_repository, sample::ProviderOptions options)
        : repository(std::move(served_repository)), provider(repository, std::move(options)) {}

    const sample::Repository repository;
    const sample::Provider provider;  // refers to repository: Served never moves
};

struct TestOaiServer::Impl {
    httplib::Server server;
    std::thread thread;
    int port = 0;
    sample::ProviderOptions options;

    struct HoldState {
        std::size_t held = 0;        // requests that got there since the last release
        std::uint64_t releases = 0;  // release() calls so far
    };

    mutable std::mutex mutex;
    std::condition_variable changed;  // stopping, a request held, or a release
    bool stopping = false;
    std::map<std::string, HoldState> holds;
    Script script;
    std::shared_ptr<const Served> served;
    std::string response_date;
    std::vector<RequestInfo> requests;
    // Requests being answered, by the address of httplib's Request (the same object from the
    // handler's call to the logger's), and the spans of those answered.
    std::map<const httplib::Request*, RequestSpan> open_spans;
    std::vector<RequestSpan> spans;

    // The end of the request's span: the time now, unless an earlier one was noted.
    void note_end(const httplib::Request& request) {
        const auto now = std::chrono::steady_clock::now();
        std::lock_guard lock(mutex);
        if (auto open = open_spans.find(&request); open != open_spans.end()) {
            if (open->second.end == std::chrono::steady_clock::time_point{}) {
                open->second.end = now;
            }
        }
    }
    // Moves the request's span to `spans`, its end noted now if it was not before.
    void close_span(const httplib::Request& request) {
        note_end(request);
        std::lock_guard lock(mutex);
        if (auto open = open_spans.find(&request); open != open_spans.end()) {
            spans.push_back(open->second);
            open_spans.erase(open);
        }
    }
    // A span's end must come before the client can have read the response's end, or a thread
    // of this server descheduled after its last write would stretch the span past the client's
    // exchange. So: a body sent whole ends when the handler returns, before httplib writes it;
    // a body from a content provider ends when the provider says it is done, before httplib
    // sends the last chunk; the logger, once all is written, only closes the span.
    void note_end_before_sending(const httplib::Request& request, httplib::Response& response) {
        if (!response.content_provider_) {
            note_end(request);
            return;
        }
        response.content_provider_ =
            [this, &request, inner = std::move(response.content_provider_)](
                std::size_t offset, std::size_t length, httplib::DataSink& sink) {
                auto done = sink.done;
                sink.done = [this, &request, done] {
                    note_end(request);
                    done();
                };
                const bool more = inner(offset, length, sink);
                sink.done = done;
                return more;
            };
    }

    // Waits for the duration; false when the server is being stopped meanwhile.
    bool pause(std::chrono::milliseconds duration) {
        std::unique_lock lock(mutex);
        return !changed.wait_for(lock, duration, [this] { return stopping; });
    }

    // Waits at the named hold until the test releases it; false when the server is being
    // stopped meanwhile.
    bool hold(const std::string& name) {
        std::unique_lock lock(mutex);
        HoldState& state = holds[name];  // std::map: the reference stays valid
        const std::uint64_t releases = state.releases;
        ++state.held;
        changed.notify_all();
        changed.wait(lock, [&] { return stopping || state.releases != releases; });
        return !stopping;
    }

    void handle(const httplib::Request& request, httplib::Response& response);
    void send_stream(const httplib::Request& request, httplib::Response& response,
                     const StreamBody& stream);
    // Sends the body, calling wait() once after_bytes are out; wait() returning false drops
    // the connection.
    void send_paused(const httplib::Request& request, httplib::Response& response,
                     std::shared_ptr<const std::string> body, const std::string& content_type,
                     std::size_t after_bytes, std::function<bool()> wait);
};

void TestOaiServer::Impl::handle(const httplib::Request& request, httplib::Response& response) {
    RequestInfo info = describe(request);
    Script current_script;
    std::shared_ptr<const Served> current;
    std::string date;
    {
        std::lock_guard lock(mutex);
        info.index = requests.size();
        requests.push_back(info);
        open_spans[&request] = RequestSpan{info.index, std::chrono::steady_clock::now(), {}};
        current_script = script;
        current = served;
        date = response_date;
    }
    std::optional<Fault> fault = current_script ? current_script(info) : std::nullopt;

    if (auto* respond = fault ? std::get_if<Respond>(&*fault) : nullptr) {
        for (const auto& [name, value] : respond->headers) {
            response.set_header(name, value);
        }
        sample::send_body(request, response, respond->status,
                          std::make_shared<const std::string>(respond->body),
                          respond->content_type);
        return;
    }
    if (auto* stream = fault ? std::get_if<StreamBody>(&*fault) : nullptr) {
        send_stream(request, response, *stream);
        return;
    }
    if (fault && std::holds_alternative<ResetConnection>(*fault)) {
        reset_connection(port, request);
        return;
    }
    if (auto* delay = fault ? std::get_if<Delay>(&*fault) : nullptr;
        delay != nullptr && delay->after_bytes == 0 && !pause(delay->duration)) {
        return;
    }
    if (auto* held = fault ? std::get_if<Hold>(&*fault) : nullptr;
        held != nullptr && held->after_bytes == 0 && !hold(held->name)) {
        return;
    }

    sample::ProviderResponse answer = date.empty() ? current->provider.handle(info.args)
                                                   : current->provider.handle(info.args, date);
    if (auto* inject = fault ? std::get_if<InjectBytes>(&*fault) : nullptr) {
        std::size_t at = std::min(inject->offset, answer.body.size());
        if (!inject->after.empty()) {
            if (auto found = answer.body.find(inject->after); found != std::string::npos) {
                at = found + inject->after.size();
            }
        }
        answer.body.insert(at, inject->bytes);
    }
    auto body = std::make_shared<const std::string>(std::move(answer.body));
    if (auto* truncate = fault ? std::get_if<TruncateBody>(&*fault) : nullptr) {
        sample::send_body(request, response, answer.status, body, answer.content_type,
                          truncate->framing, truncate->at);
    } else if (auto* delay = fault ? std::get_if<Delay>(&*fault) : nullptr;
               delay != nullptr && delay->after_bytes > 0) {
        send_paused(request, response, body, answer.content_type, delay->after_bytes,
                    [this, duration = delay->duration] { return pause(duration); });
    } else if (auto* held = fault ? std::get_if<Hold>(&*fault) : nullptr;
               held != nullptr && held->after_bytes > 0) {
        send_paused(request, response, body, answer.content_type, held->after_bytes,
                    [this, name = held->name] { return hold(name); });
    } else {
        sample::send_body(request, response, answer.status, body, answer.content_type);
    }
}

void TestOaiServer::Impl::send_paused(const httplib::Request& request, httplib::Response& response,
                                      std::shared_ptr<const std::string> body,
                                      const std::string& content_type, std::size_t after_bytes,
                                      std::function<bool()> wait) {
    sample::offer_gzip_only(request);
    response.set_header("Cache-Control", "no-store, no-cache, must-revalidate");
    auto paused = std::make_shared<bool>(false);
    response.set_chunked_content_provider(
        content_type,
        [body, after_bytes, wait, paused](std::size_t offset, httplib::DataSink& sink) {
            if (offset >= body->size()) {
                sink.done();
                return true;
            }
            if (offset >= after_bytes && !*paused) {
                *paused = true;
                if (!wait()) {
                    return false;
                }
            }
            std::size_t limit = *paused ? body->size() : std::min(after_bytes, body->size());
            return sink.write(body->data() + offset, std::min(k_write_size, limit - offset));
        });
}

void TestOaiServer::Impl::send_stream(const httplib::Request& request, httplib::Response& response,
                                      const StreamBody& stream) {
    // Without an Accept-Encoding httplib sends the bytes as they are: a body the test encoded
    // itself is not compressed a second time.
    const_cast<httplib::Request&>(request).headers.erase("Accept-Encoding");
    response.status = stream.status;
    for (const auto& [name, value] : stream.headers) {
        response.set_header(name, value);
    }
    // The filler repeated into one block of at least write_size bytes from any starting point,
    // so that each write carries write_size bytes, not one repetition of a short filler.
    auto body = std::make_shared<StreamBody>(stream);
    if (!body->filler.empty()) {
        const std::string one = body->filler;
        while (body->filler.size() < body->write_size + one.size()) {
            body->filler += one;
        }
        body->filler.resize(body->filler.size() - body->filler.size() % one.size());
    }
    const std::size_t period = stream.filler.size();
    response.set_chunked_content_provider(
        stream.content_type, [this, body, period](std::size_t offset, httplib::DataSink& sink) {
            const StreamBody& s = *body;
            const std::uint64_t head_end = s.head.size();
            const std::uint64_t filler_end = head_end + s.filler_bytes;
            if (offset < head_end) {
                return sink.write(s.head.data() + offset, s.head.size() - offset);
            }
            if (!s.filler.empty() && (s.endless || offset < filler_end)) {
                if (s.interval.count() > 0 && !pause(s.interval)) {
                    return false;
                }
                std::string_view piece(s.filler);
                piece.remove_prefix((offset - head_end) % period);
                if (!s.endless) {
                    piece = piece.substr(0, filler_end - offset);
                }
                return sink.write(piece.data(), std::min(s.write_size, piece.size()));
            }
            const std::uint64_t tail_at = s.filler.empty() ? head_end : filler_end;
            if (offset - tail_at < s.tail.size()) {
                return sink.write(s.tail.data() + (offset - tail_at),
                                  s.tail.size() - (offset - tail_at));
            }
            sink.done();
            return true;
        });
}

TestOaiServer::TestOaiServer(sample::Repository repository, sample::ProviderOptions options)
    : m_impl(std::make_unique<Impl>()) {
    Impl& impl = *m_impl;
    // EPrints behind Apache closes after each response; it also keeps stop() from waiting out
    // httplib's keep-alive timeout.
    impl.server.set_keep_alive_max_count(1);
    m_port = impl.server.bind_to_any_port("127.0.0.1");
    if (m_port <= 0) {
        throw std::runtime_error("TestOaiServer: cannot bind 127.0.0.1");
    }
    impl.port = m_port;
    if (options.base_url.empty()) {
        options.base_url = base_url();
    }
    impl.options = options;
    impl.served = std::make_shared<const Served>(std::move(repository), std::move(options));
    auto handler = [&impl](const httplib::Request& request, httplib::Response& response) {
        impl.handle(request, response);
        impl.note_end_before_sending(request, response);
    };
    // httplib calls the logger once the response is written (or its writing has failed), on
    // the thread that called the handler.
    impl.server.set_logger([&impl](const httplib::Request& request, const httplib::Response&) {
        impl.close_span(request);
    });
    impl.server.Get(sample::k_oai_path, handler);
    impl.server.Post(sample::k_oai_path, handler);
    impl.thread = std::thread([&impl] { impl.server.listen_after_bind(); });
    // The socket already accepts connections; this only makes stop() safe to call at once.
    while (!impl.server.is_running()) {
        std::this_thread::yield();
    }
}

TestOaiServer::~TestOaiServer() {
    {
        std::lock_guard lock(m_impl->mutex);
        m_impl->stopping = true;
    }
    m_impl->changed.notify_all();
    m_impl->server.stop();
    m_impl->thread.join();
}

std::string TestOaiServer::base_url() const {
    return "http://127.0.0.1:" + std::to_string(m_port) + sample::k_oai_path;
}

void TestOaiServer::set_script(Script script) {
    std::lock_guard lock(m_impl->mutex);
    m_impl->script = std::move(script);
}

void TestOaiServer::set_repository(sample::Repository repository) {
    auto served = std::make_shared<const Served>(std::move(repository), m_impl->options);
    std::lock_guard lock(m_impl->mutex);
    m_impl->served = std::move(served);
}

void TestOaiServer::set_response_date(std::string response_date) {
    std::lock_guard lock(m_impl->mutex);
    m_impl->response_date = std::move(response_date);
}

bool TestOaiServer::wait_for_hold(const std::string& name, std::chrono::milliseconds timeout) {
    std::unique_lock lock(m_impl->mutex);
    return m_impl->changed.wait_for(lock, timeout, [&] { return m_impl->holds[name].held > 0; });
}

void TestOaiServer::release(const std::string& name) {
    {
        std::lock_guard lock(m_impl->mutex);
        auto& state = m_impl->holds[name];
        state.held = 0;
        ++state.releases;
    }
    m_impl->changed.notify_all();
}

std::vector<RequestInfo> TestOaiServer::requests() const {
    std::lock_guard lock(m_impl->mutex);
    return m_impl->requests;
}

std::size_t TestOaiServer::request_count() const {
    std::lock_guard lock(m_impl->mutex);
    return m_impl->requests.size();
}

std::vector<RequestSpan> TestOaiServer::spans() const {
    std::lock_guard lock(m_impl->mutex);
    return m_impl->spans;
}

Fault http_status(int status, std::optional<std::string> retry_after, std::string body) {
    Respond respond{status, {}, std::move(body), "text/html; charset=UTF-8"};
    if (retry_after) {
        respond.headers.emplace("Retry-After", *retry_after);
    }
    return respond;
}

Fault oai_error(int status, std::string_view code, std::string_view message) {
    return Respond{
        status, {}, sample::render_oai_error("http://127.0.0.1/cgi/oai2", "", code, message)};
}

Fault eprints_system_error() {
    return Respond{200,
                   {},
                   "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
                   "<!DOCTYPE html PUBLIC \"-//W3C//DTD XHTML 1.0 Transitional//EN\" "
                   "\"http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd\">\n"
                   "<html xmlns=\"http://www.w3.org/1999/xhtml\">\n  <head>\n"
                   "    <title>EPrints System Error</title>\n  </head>\n  <body>\n"
                   "    <h1>EPrints System Error</h1>\n"
                   "    <p><code>Failed to connect to database: Can't connect to local MySQL "
                   "server through socket '/run/mysqld/mysqld.sock' (2)</code></p>\n"
                   "  </body>\n</html>\n",
                   "text/html; charset=utf-8"};
}

std::string gzip(std::string_view head, std::string_view filler, std::uint64_t filler_bytes,
                 std::string_view tail) {
    z_stream z{};
    // 15 + 16: a gzip header and trailer around the deflate stream.
    if (deflateInit2(&z, Z_BEST_COMPRESSION, Z_DEFLATED, 15 + 16, 9, Z_DEFAULT_STRATEGY) != Z_OK) {
        throw std::runtime_error("gzip: deflateInit2 failed");
    }
    std::string out;
    std::string block(64 * 1024, '\0');
    auto put = [&](std::string_view bytes, int flush) {
        z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(bytes.data()));
        z.avail_in = static_cast<uInt>(bytes.size());
        do {
            z.next_out = reinterpret_cast<Bytef*>(block.data());
            z.avail_out = static_cast<uInt>(block.size());
            const int code = deflate(&z, flush);
            if (code == Z_STREAM_ERROR) {
                deflateEnd(&z);
                throw std::runtime_error("gzip: deflate failed");
            }
            out.append(block.data(), block.size() - z.avail_out);
        } while (z.avail_out == 0);
    };
    put(head, Z_NO_FLUSH);
    std::string run;
    while (!filler.empty() && run.size() < 1024 * 1024) {
        run += filler;
    }
    for (std::uint64_t left = filler.empty() ? 0 : filler_bytes; left > 0;) {
        const std::size_t n = static_cast<std::size_t>(std::min<std::uint64_t>(left, run.size()));
        put(std::string_view(run).substr(0, n), Z_NO_FLUSH);
        left -= n;
    }
    put(tail, Z_FINISH);
    deflateEnd(&z);
    return out;
}

Script fault_at(std::size_t index, Fault fault) {
    return [index, fault](const RequestInfo& request) -> std::optional<Fault> {
        return request.index == index ? std::optional<Fault>(fault) : std::nullopt;
    };
}

Script fault_first(std::size_t count, Fault fault) {
    return [count, fault](const RequestInfo& request) -> std::optional<Fault> {
        return request.index < count ? std::optional<Fault>(fault) : std::nullopt;
    };
}

}  // namespace oaiharvest::testing
