#include "daemon_loop.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <thread>

#include "http/polite.hpp"
#include "scheduler/due.hpp"
#include "store/reconcile.hpp"
#include "util/clock.hpp"

namespace oaiharvest::cli {
namespace {

using std::chrono::steady_clock;
using std::chrono::system_clock;

// Signals only set flags (signals.hpp) and children are reaped by polling, so the daemon looks
// at both this often.
constexpr std::chrono::milliseconds k_poll{100};
// How long a stopping daemon waits for a child to end its page in flight before SIGKILL.
constexpr std::chrono::seconds k_stop_grace{10};

util::UtcTime utc_seconds(scheduler::TimePoint t) {
    return std::chrono::ceil<std::chrono::seconds>(t);
}

constexpr scheduler::TimePoint k_never = scheduler::TimePoint::max();

bool scheduled(const config::EndpointConfig& endpoint) {
    return endpoint.schedule.has_value() || endpoint.reconcile.has_value();
}

}  // namespace

Daemon::Daemon(config::Config config, std::string config_file, std::string db_path,
               std::vector<std::string> child_args, int lock_fd)
    : m_config(std::move(config)),
      m_config_text(config::describe_effective(m_config)),
      m_config_file(std::move(config_file)),
      m_db_path(std::move(db_path)),
      m_child_args(std::move(child_args)),
      m_lock_fd(lock_fd),
      m_store(store::Store::open(m_db_path)) {
    // The caller holds the harvest lock: a run still marked running is a dead process's.
    if (int dead = m_store->mark_runs_died(
            std::nullopt, 0, false, "the process ended before the run finished", util::now_utc())) {
        spdlog::warn("{} runs left running by a process that ended are recorded as died", dead);
    }
    for (const auto& endpoint : m_config.endpoints) {
        if (!scheduled(endpoint)) {
            spdlog::info("{}: no schedule, so only `oaiharvest harvest` runs it", endpoint.name);
            continue;
        }
        Entry& entry = m_entries[endpoint.name];
        entry.endpoint = endpoint;
        plan(entry);
    }
}

Daemon::~Daemon() = default;  // a child still running is killed and reaped by its destructor

// From the last run in the database: an endpoint that never ran, or whose time passed while
// the daemon was down, is due at once; so is one with a list left unfinished (the daemon was
// stopped mid-list), which resumes from its saved token, and one whose last run died (a crash
// or kill -9), which is not left waiting a whole interval.
void Daemon::plan(Entry& entry) {
    const auto& endpoint = entry.endpoint;
    auto facts = m_store->endpoint(endpoint.name, endpoint.url);
    entry.id = facts.id;
    entry.host = http::politeness_host(endpoint.url);
    entry.failures = 0;
    entry.reconcile_failures = 0;
    entry.due = k_never;
    entry.reconcile_due = k_never;
    if (endpoint.schedule) {
        std::optional<scheduler::TimePoint> last;
        if (auto started = store::last_harvest_started(*m_store, facts.id);
            started && !m_store->has_unfinished_list(facts.id) &&
            !m_store->last_run_died(facts.id)) {
            last = *started;
        }
        entry.due = scheduler::next_due(*endpoint.schedule, last, system_clock::now());
        m_store->save_next_due(facts.id, utc_seconds(entry.due));
        spdlog::info("{}: next harvest {} (schedule \"{}\")", endpoint.name,
                     util::format_utc_seconds(utc_seconds(entry.due)), endpoint.schedule->text());
    } else {
        m_store->save_next_due(facts.id, std::nullopt);
    }
    if (endpoint.reconcile) {
        std::optional<scheduler::TimePoint> last;
        if (auto started = store::last_reconcile_started(*m_store, facts.id)) {
            last = *started;
        }
        entry.reconcile_due = scheduler::next_due(*endpoint.reconcile, last, system_clock::now());
        spdlog::info("{}: next reconcile {} (reconcile \"{}\")", endpoint.name,
                     util::format_utc_seconds(utc_seconds(entry.reconcile_due)),
                     endpoint.reconcile->text());
    }
}

void Daemon::plan_next(Entry& entry, bool ok) {
    const auto now = system_clock::now();
    if (entry.replan) {
        // The config changed while the child ran: the other kind of run (a reconcile schedule
        // added during a harvest, say) is planned afresh; this kind's follows below.
        entry.replan = false;
        plan(entry);
    }
    // A reload may have taken the schedule away while the child ran.
    if (entry.reconciling && !entry.endpoint.reconcile) {
        entry.reconcile_due = k_never;
        return;
    }
    if (!entry.reconciling && !entry.endpoint.schedule) {
        entry.due = k_never;
        m_store->save_next_due(entry.id, std::nullopt);
        return;
    }
    if (entry.reconciling) {
        const auto& schedule = *entry.endpoint.reconcile;
        entry.reconcile_failures = ok ? 0 : entry.reconcile_failures + 1;
        entry.reconcile_due =
            ok ? scheduler::next_due(schedule, entry.started, now)
               : scheduler::retry_due(schedule, entry.started, now, entry.reconcile_failures);
        spdlog::debug("{}: next reconcile {}", entry.endpoint.name,
                      util::format_utc_seconds(utc_seconds(entry.reconcile_due)));
        return;
    }
    const auto& schedule = *entry.endpoint.schedule;
    entry.failures = ok ? 0 : entry.failures + 1;
    entry.due = ok ? scheduler::next_due(schedule, entry.started, now)
                   : scheduler::retry_due(schedule, entry.started, now, entry.failures);
    m_store->save_next_due(entry.id, utc_seconds(entry.due));
    spdlog::debug("{}: next harvest {}", entry.endpoint.name,
                  util::format_utc_seconds(utc_seconds(entry.due)));
}

void Daemon::run(const std::atomic<bool>& stop, std::atomic<bool>& reload) {
    spdlog::info("daemon started: {} scheduled endpoints, {} at once, database {}",
                 m_entries.size(), m_config.daemon.parallel, m_db_path);
    while (!stop.load()) {
        if (reload.exchange(false)) {
            this->reload();
        }
        reap();
        start_due(stop, false);
        std::this_thread::sleep_until(std::min(next_wake(), system_clock::now() + k_poll));
    }
    stop_all();
    spdlog::info("daemon stopped");
}

// Asks every child to stop, waits for them, and plans nothing more. Returns false when a
// harvest reaped here failed.
bool Daemon::stop_all() {
    auto now = steady_clock::now();
    for (auto& [name, entry] : m_entries) {
        if (entry.child) {
            entry.child->stop(now, k_stop_grace);
        }
    }
    if (m_running > 0) {  // logged once they have been told
        spdlog::info("stopping: {} harvests end their page in flight", m_running);
    }
    bool ok = true;
    while (m_running > 0) {
        ok = reap() && ok;  // SIGKILL to a child that outstays k_stop_grace
        if (m_running > 0) {
            std::this_thread::sleep_for(k_poll);
        }
    }
    for (const auto& [name, entry] : m_entries) {
        m_store->save_next_due(entry.id, std::nullopt);
    }
    return ok;
}

bool Daemon::run_once(const std::atomic<bool>& stop) {
    auto now = system_clock::now();
    std::size_t due = 0;
    for (auto& [name, entry] : m_entries) {
        entry.once = entry.due <= now;
        entry.once_reconcile = entry.reconcile_due <= now;
        due += entry.once || entry.once_reconcile ? 1 : 0;
    }
    spdlog::info("daemon --once: {} of {} scheduled endpoints due, {} at once, database {}", due,
                 m_entries.size(), m_config.daemon.parallel, m_db_path);
    auto waiting = [&] {
        return std::any_of(m_entries.begin(), m_entries.end(),
                           [](const auto& e) { return e.second.once || e.second.once_reconcile; });
    };
    bool all_ok = true;
    while (!stop.load() && (m_running > 0 || waiting())) {
        all_ok = reap() && all_ok;
        start_due(stop, true);
        std::this_thread::sleep_for(k_poll);
    }
    const bool left = waiting();  // stopped before they started
    all_ok = stop_all() && all_ok && !left;
    spdlog::info("daemon --once finished{}", all_ok ? "" : ", not everything succeeded");
    return all_ok;
}

scheduler::TimePoint Daemon::next_wake() const {
    auto wake = system_clock::now() + std::chrono::hours{1};
    for (const auto& [name, entry] : m_entries) {
        if (!entry.child) {
            wake = std::min({wake, entry.due, entry.reconcile_due});
        }
    }
    return wake;
}

void Daemon::start_due(const std::atomic<bool>& stop, bool once) {
    std::vector<Entry*> due;
    auto now = system_clock::now();
    // A harvest due goes first; the reconcile due with it starts once the harvest has ended.
    auto harvest_due = [&](const Entry& e) { return once ? e.once : e.due <= now; };
    auto reconcile_due = [&](const Entry& e) {
        return once ? e.once_reconcile : e.reconcile_due <= now;
    };
    auto due_at = [&](const Entry& e) { return harvest_due(e) ? e.due : e.reconcile_due; };
    for (auto& [name, entry] : m_entries) {
        if (!entry.child && (harvest_due(entry) || reconcile_due(entry))) {
            due.push_back(&entry);
        }
    }
    // The longest overdue first, so that a full house delays everyone fairly.
    std::sort(due.begin(), due.end(),
              [&](const Entry* a, const Entry* b) { return due_at(*a) < due_at(*b); });
    for (Entry* entry : due) {
        if (m_running >= m_config.daemon.parallel || stop.load()) {
            break;
        }
        const bool reconcile = !harvest_due(*entry);
        (reconcile ? entry->once_reconcile : entry->once) = false;
        if (!start(*entry, reconcile)) {
            entry->started = system_clock::now();
            plan_next(*entry, false);
        }
    }
}

bool Daemon::start(Entry& entry, bool reconcile) {
    entry.reconciling = reconcile;
    try {
        entry.runs_before = m_store->last_run_id();
        entry.started = system_clock::now();
        HarvestChild::Inherited inherited{m_lock_fd, m_gate.fd(), m_gate.slot_for(entry.host)};
        entry.child =
            std::make_unique<HarvestChild>(m_child_args, m_config_text, entry.endpoint.name,
                                           inherited, ChildLimits::of(m_config.daemon), reconcile);
    } catch (const std::exception& e) {
        spdlog::error("{}: {}", entry.endpoint.name, e.what());
        return false;
    }
    ++m_running;
    spdlog::debug("{}: {} starts (pid {})", entry.endpoint.name,
                  reconcile ? "reconcile" : "harvest", entry.child->pid());
    return true;
}

// Reaps the children that ended and plans their endpoints' next harvest. Returns false when
// one of them failed or died.
bool Daemon::reap() {
    bool all_ok = true;
    for (auto it = m_entries.begin(); it != m_entries.end();) {
        Entry& entry = it->second;
        auto now = steady_clock::now();
        auto end = entry.child ? entry.child->poll(now) : std::nullopt;
        if (!end) {
            ++it;
            continue;
        }
        entry.child.reset();
        --m_running;
        bool ok = record(entry, *end);
        all_ok = all_ok && ok;
        if (entry.removed) {
            it = m_entries.erase(it);
            continue;
        }
        plan_next(entry, ok);
        ++it;
    }
    return all_ok;
}

// What the child's end means for its runs: a child that died could not record its run, so
// the daemon does, with the cause. Returns true when the harvest succeeded.
bool Daemon::record(Entry& entry, const ChildEnd& end) {
    const auto& name = entry.endpoint.name;
    const std::string what = entry.reconciling ? "reconcile" : "harvest";
    auto now = util::now_utc();
    try {
        if (end.kind == ChildEnd::Kind::died) {
            spdlog::error("{}: the {} died: {}", name, what, end.cause);
            // A stop at the deadline may have let the child record its run as interrupted.
            m_store->mark_runs_died(entry.id, entry.runs_before, true, end.cause, now);
            m_store->save_endpoint_error(name, "the " + what + " died: " + end.cause, now);
        } else {
            if (end.kind == ChildEnd::Kind::failed && end.cause != "exited with status 1") {
                spdlog::error("{}: the {} process {}", name, what, end.cause);
            }
            // Normally none: the child finishes every run it begins.
            m_store->mark_runs_died(
                entry.id, entry.runs_before, false,
                "the " + what + " process " + end.cause + " before the run finished", now);
        }
    } catch (const std::exception& e) {
        spdlog::error("{}: cannot record how its {} ended: {}", name, what, e.what());
    }
    return end.kind == ChildEnd::Kind::ok;
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

    int added = 0;
    int removed = 0;
    int changed = 0;
    for (auto it = m_entries.begin(); it != m_entries.end();) {
        const auto* kept = config::find_endpoint(fresh, it->first);
        if (kept && scheduled(*kept)) {
            ++it;
            continue;
        }
        ++removed;
        m_store->save_next_due(it->second.id, std::nullopt);
        if (it->second.child) {
            it->second.removed = true;  // reaped when its harvest ends
            ++it;
        } else {
            it = m_entries.erase(it);
        }
    }
    for (const auto& endpoint : fresh.endpoints) {
        if (!scheduled(endpoint)) {
            continue;
        }
        auto [it, is_new] = m_entries.try_emplace(endpoint.name);
        Entry& entry = it->second;
        if (!is_new && entry.endpoint == endpoint && !entry.removed) {
            continue;
        }
        is_new ? ++added : ++changed;
        entry.endpoint = endpoint;
        entry.removed = false;
        if (!entry.child) {
            plan(entry);
        } else {
            entry.replan = true;  // both kinds of run, once the child has ended
        }
    }
    m_config = std::move(fresh);
    m_config_text = config::describe_effective(m_config);
    spdlog::info("reloaded {}: {} scheduled endpoints ({} added, {} removed, {} changed)",
                 m_config_file, m_entries.size(), added, removed, changed);
}

}  // namespace oaiharvest::cli
