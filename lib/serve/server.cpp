#include "serve/server.hpp"

#include <httplib.h>
#include <libxml/parser.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

#include "serve/form.hpp"
#include "serve/metrics.hpp"
#include "serve/web/web.hpp"
#include "store/store.hpp"
#include "util/safe_text.hpp"

namespace oaiharvest::serve {
namespace {

using Arguments = std::vector<std::pair<std::string, std::string>>;

constexpr std::size_t k_max_body = 64 * 1024;

// True on the threads that answer connections beyond the queue's bound: they answer 503 at
// once, so that a flood costs a read of the request line and nothing of the database.
thread_local bool t_shedding = false;

// httplib's connection queue, bounded: `workers` threads answer; connections arriving while
// `limit` wait go to two shedding threads instead.
class BoundedQueue final : public httplib::TaskQueue {
public:
    BoundedQueue(int workers, int limit) : m_limit(static_cast<std::size_t>(limit)) {
        for (int i = 0; i < workers; ++i) {
            m_threads.emplace_back([this] { work(m_jobs, m_job_ready, false); });
        }
        for (int i = 0; i < 2; ++i) {
            m_threads.emplace_back([this] { work(m_shed, m_shed_ready, true); });
        }
    }

    // Connections waiting for a worker.
    std::size_t waiting() const { return m_waiting.load(std::memory_order_relaxed); }

    void enqueue(std::function<void()> fn) override {
        bool shed = false;
        {
            std::lock_guard lock(m_mutex);
            shed = m_jobs.size() >= m_limit;
            (shed ? m_shed : m_jobs).push_back(std::move(fn));
            m_waiting.store(m_jobs.size(), std::memory_order_relaxed);
        }
        (shed ? m_shed_ready : m_job_ready).notify_one();
    }

    void shutdown() override {
        {
            std::lock_guard lock(m_mutex);
            m_stopping = true;
        }
        m_job_ready.notify_all();
        m_shed_ready.notify_all();
        for (auto& thread : m_threads) {
            thread.join();
        }
    }

private:
    void work(std::deque<std::function<void()>>& jobs, std::condition_variable& ready,
              bool shedding) {
        t_shedding = shedding;
        while (true) {
            std::function<void()> job;
            {
                std::unique_lock lock(m_mutex);
                ready.wait(lock, [&] { return !jobs.empty() || m_stopping; });
                if (jobs.empty()) {
                    return;
                }
                job = std::move(jobs.front());
                jobs.pop_front();
                m_waiting.store(m_jobs.size(), std::memory_order_relaxed);
            }
            job();
        }
    }

    std::size_t m_limit;
    std::mutex m_mutex;
    std::condition_variable m_job_ready;
    std::condition_variable m_shed_ready;
    std::deque<std::function<void()>> m_jobs;
    std::deque<std::function<void()>> m_shed;
    std::vector<std::thread> m_threads;
    std::atomic<std::size_t> m_waiting{0};
    bool m_stopping = false;
};

// Read-only Stores for the worker threads: a Store is used by one thread at a time, and opening
// one per request would cost more than most requests.
class StorePool {
public:
    explicit StorePool(std::string path) : m_path(std::move(path)) {}

    class Lease {
    public:
        Lease(StorePool& pool, std::unique_ptr<store::Store> store)
            : m_pool(pool), m_store(std::move(store)) {}
        // Back to the pool, unless discarded or its connection no longer answers (a PostgreSQL
        // server that went away): the next request then opens a new one.
        ~Lease() {
            if (m_discarded) {
                return;
            }
            try {
                m_store->set_query_deadline(std::nullopt);
            } catch (const std::exception&) {
                return;
            }
            std::lock_guard lock(m_pool.m_mutex);
            m_pool.m_idle.push_back(std::move(m_store));
        }
        Lease(const Lease&) = delete;
        Lease& operator=(const Lease&) = delete;
        store::Store& operator*() const { return *m_store; }
        // Closes the store instead of keeping it: one whose query failed may have lost its
        // connection, and would fail every request it was lent to.
        void discard() { m_discarded = true; }

    private:
        StorePool& m_pool;
        std::unique_ptr<store::Store> m_store;
        bool m_discarded = false;
    };

    Lease lease() {
        {
            std::lock_guard lock(m_mutex);
            if (!m_idle.empty()) {
                auto store = std::move(m_idle.back());
                m_idle.pop_back();
                return Lease(*this, std::move(store));
            }
        }
        return Lease(*this, store::Store::open_read_only(m_path));
    }

private:
    std::string m_path;
    std::mutex m_mutex;
    std::vector<std::unique_ptr<store::Store>> m_idle;
};

void plain(httplib::Response& res, int status, const std::string& text) {
    res.status = status;
    res.set_content(text + "\n", "text/plain; charset=utf-8");
}

// The query's arguments as sent: httplib's own parsing merges repeated identical pairs.
Arguments query_arguments(const httplib::Request& req) {
    auto question = req.target.find('?');
    return question == std::string::npos
               ? Arguments{}
               : decode_form(std::string_view(req.target).substr(question + 1));
}

}  // namespace

struct Server::State {
    ServeSettings settings;
    StorePool stores;
    httplib::Server http;
    // httplib owns it; set before the first connection, read by the workers.
    std::atomic<BoundedQueue*> queue{nullptr};

    explicit State(ServeSettings s) : settings(std::move(s)), stores(settings.database) {}

    // Runs `answer` with a Store of the pool, within the request's time; a failure is a 503
    // when the time ran out and a 500 otherwise, its cause logged, never sent.
    void with_store(const httplib::Request& req, httplib::Response& res,
                    const std::function<void(store::Store&)>& answer) {
        const auto deadline = std::chrono::steady_clock::now() + settings.request_timeout;
        try {
            auto lease = stores.lease();
            try {
                (*lease).set_query_deadline(deadline);
                answer(*lease);
            } catch (...) {
                lease.discard();
                throw;
            }
        } catch (const std::exception& e) {
            if (std::chrono::steady_clock::now() >= deadline) {
                spdlog::warn("serve: {} {} stopped after {} ms", req.method,
                             util::printable(req.path), settings.request_timeout.count());
                plain(res, 503, "the request took too long; try again later");
                res.set_header("Retry-After", "10");
            } else {
                spdlog::error("serve: {} {}: {}", req.method, util::printable(req.path),
                              util::printable(e.what()));
                plain(res, 500, "internal error; the server's log says more");
            }
        }
    }

    std::string base_url(const httplib::Request& req) const {
        if (settings.base_url) {
            return *settings.base_url;
        }
        auto host = req.get_header_value("Host");
        if (host.empty() || util::has_control_character(host)) {
            host = settings.host + ":" + std::to_string(settings.port);
        }
        return "http://" + host + "/oai";
    }

    void oai(const httplib::Request& req, httplib::Response& res) {
        Arguments arguments;
        if (req.method == "POST") {
            auto type = req.get_header_value("Content-Type");
            // Media types are case-insensitive (RFC 9110, 8.3.1).
            std::ranges::transform(type, type.begin(), [](unsigned char c) {
                return static_cast<char>(std::tolower(c));
            });
            if (type.rfind("application/x-www-form-urlencoded", 0) != 0) {
                plain(res, 415,
                      "a POST to /oai must be a form (application/x-www-form-urlencoded)");
                return;
            }
            arguments = decode_form(req.body);
        } else {
            arguments = query_arguments(req);
        }
        with_store(req, res, [&](store::Store& store) {
            res.set_content(
                answer_oai(store, settings.provider, base_url(req), arguments, util::now_utc()),
                "text/xml; charset=utf-8");
        });
    }

    void routes() {
        http.set_pre_routing_handler([](const httplib::Request&, httplib::Response& res) {
            if (!t_shedding) {
                return httplib::Server::HandlerResponse::Unhandled;
            }
            plain(res, 503, "too many requests are waiting; try again shortly");
            res.set_header("Retry-After", "1");
            res.set_header("Connection", "close");
            return httplib::Server::HandlerResponse::Handled;
        });
        auto oai_handler = [this](const httplib::Request& req, httplib::Response& res) {
            oai(req, res);
        };
        http.Get("/oai", oai_handler);
        http.Post("/oai", oai_handler);
        http.Get("/healthz", [this](const httplib::Request& req, httplib::Response& res) {
            with_store(req, res, [&](store::Store& store) {
                plain(res, 200, "ok: schema " + std::to_string(store.schema_version()));
            });
        });
        http.Get("/metrics", [this](const httplib::Request& req, httplib::Response& res) {
            with_store(req, res, [&](store::Store& store) {
                res.set_content(metrics_text(store), "text/plain; version=0.0.4; charset=utf-8");
            });
        });
        http.Get(".*", [this](const httplib::Request& req, httplib::Response& res) {
            with_store(req, res, [&](store::Store& store) {
                auto reply = web_page(store, req.path, query_arguments(req));
                res.status = reply.status;
                res.set_content(std::move(reply.body), reply.content_type);
            });
            // The pages need no script, frame or foreign resource: a value that slipped past
            // escaping still could not run.
            res.set_header("Content-Security-Policy",
                           "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; "
                           "form-action 'self'; base-uri 'none'; frame-ancestors 'none'");
        });
        http.set_error_handler([](const httplib::Request&, httplib::Response& res) {
            if (res.body.empty()) {
                plain(res, res.status,
                      res.status == 404 ? "no such page" : "the request was not understood");
            }
        });
        http.set_post_routing_handler([this](const httplib::Request&, httplib::Response& res) {
            res.set_header("X-Content-Type-Options", "nosniff");
            res.set_header("Referrer-Policy", "no-referrer");
            // A kept-alive connection holds its worker for its next requests: while others wait
            // for one, each connection gets one answer and goes to the back of the queue.
            auto* waiting = queue.load();
            if (waiting && waiting->waiting() > 0) {
                res.set_header("Connection", "close");
            }
        });
        http.set_logger([](const httplib::Request& req, const httplib::Response& res) {
            spdlog::debug("serve: {} {} {}", req.method, util::printable(req.target), res.status);
        });
    }
};

Server::Server(ServeSettings settings) : m_state(std::make_unique<State>(std::move(settings))) {
    // libxml2 initialises itself on first use, which is not safe from several threads at once.
    xmlInitParser();
    auto& s = *m_state;
    try {
        store::Store::open_read_only(s.settings.database);
    } catch (const std::exception& e) {
        throw ServeError(e.what());
    }
    s.http.new_task_queue = [&s] {
        auto* queue = new BoundedQueue(s.settings.workers, s.settings.queue);
        s.queue.store(queue);
        return queue;
    };
    const auto timeout =
        std::chrono::duration_cast<std::chrono::microseconds>(s.settings.request_timeout);
    s.http.set_read_timeout(timeout);
    s.http.set_write_timeout(timeout);
    s.http.set_keep_alive_timeout(5);
    s.http.set_payload_max_length(k_max_body);
    s.routes();
    const std::string address = s.settings.host + ":" + std::to_string(s.settings.port);
    if (s.settings.port == 0) {
        s.settings.port = s.http.bind_to_any_port(s.settings.host);
        if (s.settings.port < 0) {
            throw ServeError("cannot listen on " + address);
        }
    } else if (!s.http.bind_to_port(s.settings.host, s.settings.port)) {
        throw ServeError("cannot listen on " + address +
                         " (in use by another program, or a port below 1024 without the right)");
    }
}

Server::~Server() = default;

int Server::port() const {
    return m_state->settings.port;
}

void Server::run() {
    if (!m_state->http.listen_after_bind()) {
        throw ServeError("serving on " + m_state->settings.host + ":" +
                         std::to_string(m_state->settings.port) + " stopped: the socket failed");
    }
}

void Server::stop() {
    m_state->http.stop();
}

}  // namespace oaiharvest::serve
