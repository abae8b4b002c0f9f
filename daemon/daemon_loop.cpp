#include "daemon_loop.hpp"

#include <spdlog/spdlog.h>

#include <map>
#include <optional>
#include <set>

#include "store/reconcile.hpp"
#include "upgrade_progress.hpp"

namespace oaiharvest::cli {
namespace {

using scheduler::RunKind;

// Children are reaped by polling (a SIGCHLD would only set a flag too), and signals only set
// flags (signals.hpp): the loop looks at both this often.
constexpr std::chrono::milliseconds k_poll{100};

util::UtcTime utc_seconds(scheduler::TimePoint t) {
    return std::chrono::ceil<std::chrono::seconds>(t);
}

bool scheduled(const config::EndpointConfig& endpoint) {
    return endpoint.schedule.has_value() || endpoint.reconcile.has_value();
}

// The endpoint as the config describes it, every value spelled out: any change to it (a new
// URL, set or overlap) replans the endpoint on a reload, as a new schedule does.
std::string settings_of(const config::EndpointConfig& endpoint) {
    config::Config alone;
    alone.endpoints.push_back(endpoint);
    return config::describe_effective(alone);
}

scheduler::Plan plan_of(const config::Config& config) {
    scheduler::Plan plan;
    plan.parallel = config.daemon.parallel;
    plan.lease_recheck = config.daemon.lease_recheck;
    for (const auto& endpoint : config.endpoints) {
        if (scheduled(endpoint)) {
            plan.jobs.push_back(
                {endpoint.name, endpoint.schedule, endpoint.reconcile, settings_of(endpoint)});
        }
    }
    return plan;
}

// The loop's History over the store: the endpoint's last runs, and its planned harvest's due
// time for `oaiharvest status` to show.
class StoreHistory final : public scheduler::History {
public:
    StoreHistory(store::Store& store, const config::Config& config)
        : m_store(store), m_config(config) {}

    // An endpoint whose last harvest died (a crash or kill -9) is due at once, not left waiting
    // a whole interval; so is one with a list left unfinished (the daemon was stopped mid-list),
    // which resumes from its saved token.
    std::optional<scheduler::TimePoint> last_started(const scheduler::Job& job,
                                                     RunKind kind) override {
        auto id = id_of(job.name);
        if (!id) {
            return std::nullopt;
        }
        if (kind == RunKind::reconcile) {
            return store::last_reconcile_started(m_store, *id);
        }
        auto started = store::last_harvest_started(m_store, *id);
        if (!started || m_store.has_unfinished_list(*id) || m_store.last_run_died(*id)) {
            return std::nullopt;
        }
        return *started;
    }

    void planned(const scheduler::Job& job, RunKind kind, std::optional<scheduler::TimePoint> due,
                 scheduler::Why why) override {
        const bool harvest = kind == RunKind::harvest;
        if (why == scheduler::Why::held_elsewhere) {
            // Said once while another harvester keeps the endpoint, however often it is looked
            // at; and not saved: the holder's plan is the one `status` shows.
            bool first = m_held.insert(job.name).second;
            spdlog::log(first ? spdlog::level::info : spdlog::level::debug,
                        "{}: another harvester has it; looking again at {}", job.name,
                        util::format_utc_seconds(utc_seconds(*due)));
            return;
        }
        // Replanned from history while another harvester keeps it: said at debug level.
        const bool held = why == scheduler::Why::from_history ? m_held.contains(job.name)
                                                              : m_held.erase(job.name) > 0;
        if (due && why == scheduler::Why::from_history && !held) {
            const auto& schedule = harvest ? job.harvest : job.reconcile;
            spdlog::info("{}: next {} {} ({} \"{}\")", job.name, harvest ? "harvest" : "reconcile",
                         util::format_utc_seconds(utc_seconds(*due)),
                         harvest ? "schedule" : "reconcile", schedule ? schedule->text() : "");
        } else if (due) {
            spdlog::debug("{}: next {} {}", job.name, harvest ? "harvest" : "reconcile",
                          util::format_utc_seconds(utc_seconds(*due)));
        }
        if (!harvest) {
            return;  // the store keeps the harvest's due time only
        }
        if (auto id = id_of(job.name)) {
            m_store.save_next_due(*id, due ? std::optional{utc_seconds(*due)} : std::nullopt);
        }
    }

private:
    // The endpoint's row, made when it is first planned; a job gone from the config keeps the
    // one it had.
    std::optional<store::EndpointId> id_of(const std::string& name) {
        if (const auto* endpoint = config::find_endpoint(m_config, name)) {
            m_ids[name] = m_store.endpoint(endpoint->name, endpoint->url).id;
        }
        auto it = m_ids.find(name);
        return it == m_ids.end() ? std::nullopt : std::optional{it->second};
    }

    store::Store& m_store;
    const config::Config& m_config;
    std::map<std::string, store::EndpointId> m_ids;
    std::set<std::string> m_held;  // the endpoints last found held by another harvester
};

}  // namespace

// The loop's clock has no stop flag: a stopping loop still waits for its children between
// polls, which a stop-aware sleep would turn into a spin. A stop is seen within k_poll.
Daemon::Daemon(config::Config config, std::string config_file, std::string db_path,
               std::vector<std::string> child_args, int lock_fd)
    : m_config(std::move(config)),
      m_config_file(std::move(config_file)),
      m_db_path(std::move(db_path)),
      m_store(store::Store::open(m_db_path, upgrade_progress(m_db_path))),
      m_history(std::make_unique<StoreHistory>(*m_store, m_config)),
      m_launcher(*m_store, m_config, std::move(child_args), lock_fd),
      m_loop(m_clock, m_launcher, *m_history, k_poll) {
    // The caller holds the harvest lock: a run still marked running is a dead process's (on a
    // shared PostgreSQL mirror, unless another harvester holds its endpoint's lease).
    if (int dead = m_store->mark_runs_died(
            std::nullopt, 0, false, "the process ended before the run finished", util::now_utc())) {
        spdlog::warn("{} runs left running by a process that ended are recorded as died", dead);
    }
    for (const auto& endpoint : m_config.endpoints) {
        if (!scheduled(endpoint)) {
            spdlog::info("{}: no schedule, so only `oaiharvest harvest` runs it", endpoint.name);
        }
    }
    m_loop.reload(plan_of(m_config));
}

Daemon::~Daemon() = default;  // a child still running is killed and reaped by its destructor

void Daemon::run(const std::atomic<bool>& stop, std::atomic<bool>& reload) {
    spdlog::info("daemon started: {} scheduled endpoints, {} at once, database {}", m_loop.jobs(),
                 m_config.daemon.parallel, store::database_name(m_db_path));
    m_loop.run(stop, [&] {
        if (reload.exchange(false)) {
            this->reload();
        }
    });
    spdlog::info("daemon stopped");
}

bool Daemon::run_once(const std::atomic<bool>& stop) {
    spdlog::info("daemon --once: {} of {} scheduled endpoints due, {} at once, database {}",
                 m_loop.due_now(), m_loop.jobs(), m_config.daemon.parallel,
                 store::database_name(m_db_path));
    const bool all_ok = m_loop.run_once(stop);
    spdlog::info("daemon --once finished{}", all_ok ? "" : ", not everything succeeded");
    return all_ok;
}

void Daemon::reload() {
    config::Config fresh;
    try {
        fresh = config::load_config(m_config_file);
    } catch (const std::exception& e) {
        spdlog::error("SIGHUP: {} not reloaded, the running config stays:\n{}", m_config_file,
                      e.what());
        return;
    }
    if (fresh.database != m_config.database) {
        spdlog::warn("SIGHUP: a new database takes effect when the daemon restarts");
    }
    if (fresh.log != m_config.log) {
        spdlog::warn("SIGHUP: new [log] settings take effect when the daemon restarts");
    }
    m_config = std::move(fresh);
    m_launcher.config_changed();
    auto changes = m_loop.reload(plan_of(m_config));
    spdlog::info("reloaded {}: {} scheduled endpoints ({} added, {} removed, {} changed)",
                 m_config_file, m_loop.jobs(), changes.added, changes.removed, changes.changed);
}

}  // namespace oaiharvest::cli
