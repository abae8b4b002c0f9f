#pragma once
// The daemon's scheduler::Launcher: each run is a harvest child process (child.hpp). It starts
// a job's child with the config as it stands, the inherited lock and the host gate slot of the
// endpoint's host; reaps ended children; and records in the store what a child could not: a
// run it left running because it died (with the cause), and the endpoint's error.
//
// Used by the daemon's main thread only, like the scheduler::Loop that calls it. Borrows the
// store and the config (the daemon's, replaced by a reload), which must outlive it. Destroying
// it kills and reaps every child still running.

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "child.hpp"
#include "config/config.hpp"
#include "http/shared_gate.hpp"
#include "scheduler/loop.hpp"
#include "store/store.hpp"

namespace oaiharvest::cli {

class ChildLauncher final : public scheduler::Launcher {
public:
    // `child_args`: the global options each child gets besides its config (--db, -v); lock_fd:
    // the harvest lock the daemon holds. Throws std::runtime_error when the gate file cannot be
    // made.
    ChildLauncher(store::Store& store, const config::Config& config,
                  std::vector<std::string> child_args, int lock_fd);

    // The config the next children read: call after each reload.
    void config_changed();

    bool start(const scheduler::Job& job, scheduler::RunKind kind) override;
    std::vector<scheduler::RunEnd> reap() override;
    void stop_all() override;

private:
    struct Running {
        std::unique_ptr<HarvestChild> child;
        scheduler::RunKind kind;
        store::EndpointId id = 0;
        store::RunId runs_before = 0;  // the last run id when it started
    };

    bool record(const std::string& name, const Running& run, const ChildEnd& end);

    store::Store& m_store;
    const config::Config& m_config;
    std::string m_config_text;  // what the children read: m_config, every value spelled out
    std::vector<std::string> m_child_args;
    int m_lock_fd;
    http::SharedGateFile m_gate;
    std::map<std::string, Running> m_running;
    // Jobs start() found held by another harvester (store::Store::lease_held_elsewhere): their
    // runs end, as held, at the next reap().
    std::vector<std::string> m_held;
};

}  // namespace oaiharvest::cli
