#include "http/polite.hpp"

#include "util/url.hpp"

namespace oaiharvest::http {

std::string politeness_host(std::string_view url) {
    std::string authority = util::url_host(url);
    if (authority.starts_with('[')) {  // an IPv6 literal: "[::1]:8080"
        auto close = authority.find(']');
        return close == std::string::npos ? authority : authority.substr(0, close + 1);
    }
    return authority.substr(0, authority.find(':'));
}

void HostGate::set_interval(std::chrono::milliseconds request_interval) {
    std::lock_guard lock(m_mutex);
    m_interval = request_interval;
}

void HostGate::enter(const std::string& host) {
    std::unique_lock lock(m_mutex);
    auto& state = m_hosts[host];
    while (true) {
        if (!state.busy) {
            auto now = std::chrono::steady_clock::now();
            if (now >= state.free_at) {
                break;
            }
            m_changed.wait_until(lock, state.free_at);
        } else {
            m_changed.wait(lock);
        }
    }
    state.busy = true;
}

void HostGate::leave(const std::string& host) {
    {
        std::lock_guard lock(m_mutex);
        auto& state = m_hosts[host];
        state.busy = false;
        state.free_at = std::chrono::steady_clock::now() + m_interval;
    }
    m_changed.notify_all();
}

std::expected<Completed, TransportFailure> PoliteFetcher::get(const std::string& url,
                                                              BodySink& sink,
                                                              const Conditions& conditions) {
    const std::string host = politeness_host(url);
    m_gate.enter(host);
    struct Leave {
        HostGate& gate;
        const std::string& host;
        ~Leave() { gate.leave(host); }
    } leave{m_gate, host};
    return m_inner.get(url, sink, conditions);
}

}  // namespace oaiharvest::http
