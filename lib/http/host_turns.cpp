#include "http/host_turns.hpp"

#include "http/polite.hpp"

namespace oaiharvest::http {

std::expected<Completed, TransportFailure> TurnTakingFetcher::get(const std::string& url,
                                                                  BodySink& sink,
                                                                  const Conditions& conditions) {
    const std::string host = politeness_host(url);
    if (!m_turns.take(host)) {
        return std::unexpected(
            TransportFailure{FailureKind::other, "stopped while waiting for a turn at " + host});
    }
    // The interval is kept however the exchange ends: a sink that threw (a broken page) is
    // retried, and the retry is a request like any other.
    struct GiveBack {
        TurnTakingFetcher& fetcher;
        const std::string& host;
        ~GiveBack() {
            fetcher.m_clock.sleep_for(fetcher.m_interval);
            fetcher.m_turns.give_back(host);
        }
    } give_back{*this, host};
    return m_inner.get(url, sink, conditions);
}

}  // namespace oaiharvest::http
