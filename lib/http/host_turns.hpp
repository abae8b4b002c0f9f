#pragma once
// HostGate's rule (polite.hpp) beyond one machine: several harvesting processes, on one
// machine or several, that share a PostgreSQL mirror ask one host one request at a time,
// request_interval apart (docs/scaling.md). Where turns are kept is the HostTurns' business
// (the database: store/host_turns.hpp); TurnTakingFetcher takes one around each request.

#include <chrono>
#include <string>

#include "http/http.hpp"
#include "util/clock.hpp"

namespace oaiharvest::http {

class HostTurns {
public:
    virtual ~HostTurns() = default;
    // Waits until no other process holds the host, then holds it. Returns false, holding
    // nothing, when asked to stop while waiting. Throws std::runtime_error when the turns cannot
    // be kept (the database is gone).
    virtual bool take(const std::string& host) = 0;
    // Lets the next process have the host.
    virtual void give_back(const std::string& host) noexcept = 0;
};

// A Fetcher that holds the host's turn from before its request until request_interval after
// the response ended, so that whoever comes next asks the host that much later. (Holding the
// turn through the interval needs no clock shared between machines.) Used by one thread.
class TurnTakingFetcher final : public Fetcher {
public:
    // clock: waits out the interval, and ends the wait early on a stop.
    TurnTakingFetcher(Fetcher& inner, HostTurns& turns, util::Clock& clock,
                      std::chrono::milliseconds request_interval)
        : m_inner(inner), m_turns(turns), m_clock(clock), m_interval(request_interval) {}

    using Fetcher::get;
    std::expected<Completed, TransportFailure> get(const std::string& url, BodySink& sink,
                                                   const Conditions& conditions) override;

private:
    Fetcher& m_inner;
    HostTurns& m_turns;
    util::Clock& m_clock;
    std::chrono::milliseconds m_interval;
};

}  // namespace oaiharvest::http
