#pragma once
// Politeness across parallel harvests: a HostGate lets one request at a time go to a host, and
// holds the next one back until request_interval has passed since the last one ended. The
// daemon shares one gate among its workers and gives each worker a PoliteFetcher over it, so
// two endpoints on one server are never fetched at once, while other hosts go on in parallel.
//
// A host is the URL's host name, without the port: two services on one machine are one host.
// HostGate is thread-safe; a PoliteFetcher, like any Fetcher, is used by one thread at a time.

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>
#include <string>
#include <string_view>

#include "http/http.hpp"

namespace oaiharvest::scheduler {

// The host name of an http(s) URL, lower-cased, without port or credentials.
std::string politeness_host(std::string_view url);

class HostGate {
public:
    explicit HostGate(std::chrono::milliseconds request_interval) : m_interval(request_interval) {}

    // Takes effect for requests that start after the call (a reloaded config).
    void set_interval(std::chrono::milliseconds request_interval);

    // Waits until host is free and its interval has passed, then marks it busy.
    void enter(const std::string& host);
    // Marks host free; the interval counts from now.
    void leave(const std::string& host);

private:
    struct HostState {
        bool busy = false;
        std::chrono::steady_clock::time_point free_at{};
    };
    std::mutex m_mutex;
    std::condition_variable m_changed;
    std::chrono::milliseconds m_interval;
    std::map<std::string, HostState, std::less<>> m_hosts;
};

class PoliteFetcher final : public http::Fetcher {
public:
    PoliteFetcher(http::Fetcher& inner, HostGate& gate) : m_inner(inner), m_gate(gate) {}
    std::expected<http::Completed, http::TransportFailure> get(const std::string& url,
                                                               http::BodySink& sink) override;

private:
    http::Fetcher& m_inner;
    HostGate& m_gate;
};

}  // namespace oaiharvest::scheduler
