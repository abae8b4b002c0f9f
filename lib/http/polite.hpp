#pragma once
// Politeness: one request at a time to a host, and request_interval between the end of one and
// the start of the next. A HostGate keeps that rule for the threads of one process; a
// PoliteFetcher is a Fetcher that passes the gate before each request. (The daemon's harvests
// run in child processes, which keep the same rule through http/shared_gate.hpp instead.)
//
// Why in http and not in the scheduler: politeness is a rule about requests, not about when an
// endpoint runs. It spaces the requests of whatever runs, however it was started, and needs only
// a URL's host and the Fetcher seam, so it lives with them. The scheduler decides when an
// endpoint runs and knows nothing of hosts or requests.
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

namespace oaiharvest::http {

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

class PoliteFetcher final : public Fetcher {
public:
    PoliteFetcher(Fetcher& inner, HostGate& gate) : m_inner(inner), m_gate(gate) {}
    using Fetcher::get;
    std::expected<Completed, TransportFailure> get(const std::string& url, BodySink& sink,
                                                   const Conditions& conditions) override;

private:
    Fetcher& m_inner;
    HostGate& m_gate;
};

}  // namespace oaiharvest::http
