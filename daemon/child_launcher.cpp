#include "child_launcher.hpp"

#include <spdlog/spdlog.h>

#include <chrono>

#include "http/polite.hpp"
#include "util/time.hpp"

namespace oaiharvest::cli {
namespace {

// How long a stopping daemon waits for a child to end its page in flight before SIGKILL.
constexpr std::chrono::seconds k_stop_grace{10};

std::string kind_name(scheduler::RunKind kind) {
    return kind == scheduler::RunKind::reconcile ? "reconcile" : "harvest";
}

}  // namespace

ChildLauncher::ChildLauncher(store::Store& store, const config::Config& config,
                             std::vector<std::string> child_args, int lock_fd)
    : m_store(store),
      m_config(config),
      m_config_text(config::describe_effective(config)),
      m_child_args(std::move(child_args)),
      m_lock_fd(lock_fd) {}

void ChildLauncher::config_changed() {
    m_config_text = config::describe_effective(m_config);
}

bool ChildLauncher::start(const scheduler::Job& job, scheduler::RunKind kind) {
    const auto* endpoint = config::find_endpoint(m_config, job.name);
    if (!endpoint) {  // the loop starts only the jobs of the config it was given
        spdlog::error("{}: not in the config, not started", job.name);
        return false;
    }
    const bool reconcile = kind == scheduler::RunKind::reconcile;
    Running run{nullptr, kind, 0, 0};
    try {
        run.id = m_store.endpoint(endpoint->name, endpoint->url).id;
        if (m_store.lease_held_elsewhere(run.id)) {
            // Another daemon sharing the mirror harvests it: no process to start for that.
            m_held.push_back(job.name);
            return true;
        }
        run.runs_before = m_store.last_run_id();
        HarvestChild::Inherited inherited{m_lock_fd, m_gate.fd(),
                                          m_gate.slot_for(http::politeness_host(endpoint->url))};
        run.child =
            std::make_unique<HarvestChild>(m_child_args, m_config_text, endpoint->name, inherited,
                                           ChildLimits::of(m_config.daemon), reconcile);
    } catch (const std::exception& e) {
        spdlog::error("{}: {}", job.name, e.what());
        return false;
    }
    spdlog::debug("{}: {} starts (pid {})", job.name, kind_name(kind), run.child->pid());
    m_running[job.name] = std::move(run);
    return true;
}

std::vector<scheduler::RunEnd> ChildLauncher::reap() {
    std::vector<scheduler::RunEnd> ended;
    for (auto& name : m_held) {
        ended.push_back({std::move(name), false, true});
    }
    m_held.clear();
    const auto now = std::chrono::steady_clock::now();
    for (auto it = m_running.begin(); it != m_running.end();) {
        auto end = it->second.child->poll(now);  // SIGKILL to one that outstays its grace
        if (!end) {
            ++it;
            continue;
        }
        if (end->kind == ChildEnd::Kind::held_elsewhere) {
            // Nothing of the endpoint's was begun: the runs after runs_before are the holder's.
            spdlog::debug("{}: {} held by another harvester", it->first,
                          kind_name(it->second.kind));
            ended.push_back({it->first, false, true});
        } else {
            ended.push_back({it->first, record(it->first, it->second, *end)});
        }
        it = m_running.erase(it);
    }
    return ended;
}

void ChildLauncher::stop_all() {
    const auto now = std::chrono::steady_clock::now();
    for (auto& [name, run] : m_running) {
        run.child->stop(now, k_stop_grace);
    }
    if (!m_running.empty()) {  // logged once they have been told
        spdlog::info("stopping: {} harvests end their page in flight", m_running.size());
    }
}

// What the child's end means for its runs: a child that died could not record its run, so
// the daemon does, with the cause. Returns true when the run succeeded.
bool ChildLauncher::record(const std::string& name, const Running& run, const ChildEnd& end) {
    const std::string what = kind_name(run.kind);
    auto now = util::now_utc();
    try {
        if (end.kind == ChildEnd::Kind::died) {
            spdlog::error("{}: the {} died: {}", name, what, end.cause);
            // A stop at the deadline may have let the child record its run as interrupted.
            m_store.mark_runs_died(run.id, run.runs_before, true, end.cause, now);
            m_store.save_endpoint_error(name, "the " + what + " died: " + end.cause, now);
        } else {
            if (end.kind == ChildEnd::Kind::failed && end.cause != "exited with status 1") {
                spdlog::error("{}: the {} process {}", name, what, end.cause);
            }
            // Normally none: the child finishes every run it begins.
            m_store.mark_runs_died(
                run.id, run.runs_before, false,
                "the " + what + " process " + end.cause + " before the run finished", now);
        }
    } catch (const std::exception& e) {
        spdlog::error("{}: cannot record how its {} ended: {}", name, what, e.what());
    }
    return end.kind == ChildEnd::Kind::ok;
}

}  // namespace oaiharvest::cli
