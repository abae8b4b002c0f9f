#pragma once
// HostGate's rule (http/polite.hpp) across processes: the daemon's harvest children (one
// process per endpoint) ask one host one request at a time, request_interval apart.
//
// The daemon makes one SharedGateFile, a small anonymous file that its children inherit, and
// gives each host a slot in it (slot_for). A slot holds the time its host is free again
// (CLOCK_MONOTONIC nanoseconds, one clock for every process of the machine); a child holds an
// open-file-description lock on the slot for the length of a request. Such locks belong to
// the descriptor, not the process, so each child reopens the file for a lock of its own, and
// the kernel drops a lock when its holder dies: a crashed child never blocks a host.

#include <chrono>
#include <map>
#include <string>

#include "http/http.hpp"

namespace oaiharvest::http {

class SharedGateFile {
public:
    // Throws std::runtime_error when the file cannot be made.
    SharedGateFile();
    ~SharedGateFile();
    SharedGateFile(const SharedGateFile&) = delete;
    SharedGateFile& operator=(const SharedGateFile&) = delete;
    SharedGateFile(SharedGateFile&&) = delete;
    SharedGateFile& operator=(SharedGateFile&&) = delete;

    // The descriptor to pass to children (close-on-exec: pass it with dup2).
    int fd() const { return m_fd; }
    // The host's slot; hosts beyond the file's slots share one (they are then merely polite
    // to each other too).
    int slot_for(const std::string& host);

private:
    int m_fd = -1;
    std::map<std::string, int> m_slots;
};

// A Fetcher that passes the gate of one slot before each request. Used by one thread.
class SharedGateFetcher final : public Fetcher {
public:
    // file_fd: the inherited SharedGateFile descriptor (reopened here). Throws
    // std::runtime_error when it cannot be reopened.
    SharedGateFetcher(Fetcher& inner, int file_fd, int slot,
                      std::chrono::milliseconds request_interval);
    ~SharedGateFetcher() override;
    SharedGateFetcher(const SharedGateFetcher&) = delete;
    SharedGateFetcher& operator=(const SharedGateFetcher&) = delete;
    SharedGateFetcher(SharedGateFetcher&&) = delete;
    SharedGateFetcher& operator=(SharedGateFetcher&&) = delete;

    using Fetcher::get;
    std::expected<Completed, TransportFailure> get(const std::string& url, BodySink& sink,
                                                   const Conditions& conditions) override;

private:
    void lock(short type);
    Fetcher& m_inner;
    int m_fd = -1;
    int m_slot;
    std::chrono::milliseconds m_interval;
};

}  // namespace oaiharvest::http
