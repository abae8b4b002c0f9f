#pragma once
// `oaiharvest daemon`: harvests each scheduled endpoint when it falls due, until stopped.
//
// The main thread plans: it keeps each endpoint's next due time, starts a worker thread for an
// endpoint that is due while fewer than daemon.parallel run, and reloads the config on SIGHUP.
// Each worker harvests one endpoint once, with its own database connection and HTTP handle; a
// shared HostGate keeps requests to one host apart. Runs of one endpoint never overlap, and a
// slow or failing endpoint holds only its own worker.

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "config/config.hpp"
#include "scheduler/host_gate.hpp"
#include "scheduler/schedule.hpp"
#include "store/store.hpp"

namespace oaiharvest::cli {

class Daemon {
public:
    // `config` must have been loaded from config_file; its database is not consulted (the
    // caller resolved db_path and holds the harvest lock).
    Daemon(config::Config config, std::string config_file, std::string db_path);
    ~Daemon();
    Daemon(const Daemon&) = delete;
    Daemon& operator=(const Daemon&) = delete;

    // Runs until *stop is set; reloads the config whenever *reload is set (and clears it).
    // Returns once every worker has committed or rolled back its page.
    void run(const std::atomic<bool>& stop, std::atomic<bool>& reload);

    // `daemon --once`: harvests the endpoints due now, `parallel` at a time, and returns when
    // they have finished (or *stop is set): for cron, where the schedule still decides which
    // endpoints are due. Returns false when a harvest failed or was stopped.
    bool run_once(const std::atomic<bool>& stop);

private:
    struct Entry {
        config::EndpointConfig endpoint;
        store::EndpointId id = 0;  // its row, made when it was planned
        scheduler::TimePoint due;
        bool running = false;
        bool removed = false;  // gone from a reloaded config while running
        bool once = false;     // run_once: still to be harvested
        std::thread worker;
    };
    struct Finished {
        std::string name;
        scheduler::TimePoint started;
        bool ok = false;
    };

    void plan(const config::EndpointConfig& endpoint, Entry& entry);
    void start_due(const std::atomic<bool>& stop, bool once);
    bool join_all();
    bool reap();
    void reload();
    void harvest(const config::EndpointConfig& endpoint, const config::HttpSettings& http,
                 const std::atomic<bool>& stop);
    scheduler::TimePoint next_wake() const;

    config::Config m_config;
    std::string m_config_file;
    std::string m_db_path;
    std::unique_ptr<store::Store> m_store;  // the planner's connection
    scheduler::HostGate m_gate;
    std::map<std::string, Entry> m_entries;
    int m_running = 0;

    std::mutex m_mutex;  // guards m_finished
    std::condition_variable m_wake;
    std::vector<Finished> m_finished;
};

}  // namespace oaiharvest::cli
