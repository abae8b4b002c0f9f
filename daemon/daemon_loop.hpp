#pragma once
// `oaiharvest daemon`: harvests each scheduled endpoint when it falls due, and reconciles each
// one with a `reconcile` schedule when that falls due, until stopped.
//
// The daemon plans: it keeps each endpoint's next due time, starts a harvest child process
// (child.hpp) for an endpoint that is due while fewer than daemon.parallel run, and reloads the
// config on SIGHUP. Each child harvests one endpoint once, with resource limits, so a crash, a
// runaway allocation or a hang costs only that endpoint's run: the daemon records it as died
// with its cause and retries the endpoint with backoff (scheduler::retry_due). Politeness holds
// across children through a http::SharedGateFile: one request at a time per host,
// request_interval apart. Runs of one endpoint never overlap, and a slow or failing endpoint
// holds only itself. A reconcile runs in a child the same way (`--harvest-child NAME
// --reconcile`); an endpoint runs one child at a time, so a harvest and a reconcile that fall
// due together run one after the other, the harvest first.

#include <atomic>
#include <chrono>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "child.hpp"
#include "config/config.hpp"
#include "http/shared_gate.hpp"
#include "scheduler/schedule.hpp"
#include "store/store.hpp"

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

    // Runs until *stop is set; reloads the config whenever *reload is set (and clears it).
    // Returns once every child has ended (each was sent SIGTERM, and SIGKILL if it outstayed
    // k_stop_grace).
    void run(const std::atomic<bool>& stop, std::atomic<bool>& reload);

    // `daemon --once`: harvests the endpoints due now, `parallel` at a time, and returns when
    // they have finished (or *stop is set): for cron, where the schedule still decides which
    // endpoints are due. Returns false when a harvest failed, died or was stopped.
    bool run_once(const std::atomic<bool>& stop);

private:
    struct Entry {
        config::EndpointConfig endpoint;
        store::EndpointId id = 0;             // its row, made when it was planned
        std::string host;                     // http::politeness_host of its URL
        scheduler::TimePoint due;             // of its harvest; max() without a schedule
        scheduler::TimePoint reconcile_due;   // max() without a reconcile schedule
        std::unique_ptr<HarvestChild> child;  // while its harvest or reconcile runs
        bool reconciling = false;             // the child reconciles
        scheduler::TimePoint started;         // of that child's run
        store::RunId runs_before = 0;         // the last run id when it started
        int failures = 0;                     // harvests in a row that failed or died
        int reconcile_failures = 0;           // reconciles in a row that failed or died
        bool removed = false;                 // gone from a reloaded config while running
        bool replan = false;                  // changed by a reload while its child ran
        bool once = false;                    // run_once: still to be harvested
        bool once_reconcile = false;          // run_once: still to be reconciled
    };

    void plan(Entry& entry);
    void start_due(const std::atomic<bool>& stop, bool once);
    bool start(Entry& entry, bool reconcile);
    // After a child ended: when its kind of run is due next.
    void plan_next(Entry& entry, bool ok);
    bool reap();
    bool record(Entry& entry, const ChildEnd& end);
    bool stop_all();
    void reload();
    scheduler::TimePoint next_wake() const;

    config::Config m_config;
    std::string m_config_text;  // what the children read: m_config, every value spelled out
    std::string m_config_file;
    std::string m_db_path;
    std::vector<std::string> m_child_args;
    int m_lock_fd;
    std::unique_ptr<store::Store> m_store;
    std::map<std::string, Entry> m_entries;
    http::SharedGateFile m_gate;
    int m_running = 0;
};

}  // namespace oaiharvest::cli
