#pragma once
// `oaiharvest daemon`: harvests each scheduled endpoint when it falls due, and reconciles each
// one with a `reconcile` schedule when that falls due, until stopped.
//
// The planning is scheduler::Loop's (lib/scheduler/loop.hpp): due times, `parallel` runs at
// once, one run per endpoint with the harvest before the reconcile, backoff after a failure,
// reloads. The Daemon wires it to the world: each run is a harvest child process
// (ChildLauncher, child.hpp), so that a crash, a runaway allocation or a hang costs only that
// endpoint's run; the endpoints' history and planned due times are the store's; SIGHUP reloads
// the config file; time is a util::SystemClock. Politeness holds across children through an
// http::SharedGateFile: one request at a time per host, request_interval apart.
//
// Used by the main thread only.

#include <atomic>
#include <memory>
#include <string>
#include <vector>

#include "child_launcher.hpp"
#include "config/config.hpp"
#include "scheduler/loop.hpp"
#include "store/store.hpp"
#include "util/clock.hpp"

namespace oaiharvest::cli {

class Daemon {
public:
    // `config` must have been loaded from config_file; its database is not consulted (the
    // caller resolved db_path and holds the harvest lock, whose descriptor is lock_fd).
    // `child_args`: the global options each harvest child gets besides its config (--db, -v).
    Daemon(config::Config config, std::string config_file, std::string db_path,
           std::vector<std::string> child_args, int lock_fd);
    ~Daemon();
    Daemon(const Daemon&) = delete;
    Daemon& operator=(const Daemon&) = delete;
    Daemon(Daemon&&) = delete;
    Daemon& operator=(Daemon&&) = delete;

    // Runs until *stop is set; reloads the config whenever *reload is set (and clears it).
    // Returns once every child has ended (each was sent SIGTERM, and SIGKILL if it outstayed
    // its grace).
    void run(const std::atomic<bool>& stop, std::atomic<bool>& reload);

    // `daemon --once`: harvests the endpoints due now, `parallel` at a time, and returns when
    // they have finished (or *stop is set): for cron, where the schedule still decides which
    // endpoints are due. Returns false when a harvest failed, died, could not start or was
    // stopped.
    bool run_once(const std::atomic<bool>& stop);

private:
    void reload();

    config::Config m_config;
    std::string m_config_file;
    std::string m_db_path;
    std::unique_ptr<store::Store> m_store;
    std::unique_ptr<scheduler::History> m_history;  // over m_store
    ChildLauncher m_launcher;
    util::SystemClock m_clock;
    scheduler::Loop m_loop;
};

}  // namespace oaiharvest::cli
