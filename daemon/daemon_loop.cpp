#include "daemon_loop.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <thread>

#include "scheduler/due.hpp"
#include "scheduler/host_gate.hpp"
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
        if (!endpoint.schedule) {
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
    entry.host = scheduler::politeness_host(endpoint.url);
    entry.failures = 0;
    std::optional<scheduler::TimePoint> last;
    if (auto started = m_store->last_run_started(facts.id);
        started && !m_store->has_unfinished_list(facts.id) && !m_store->last_run_died(facts.id)) {
        last = *started;
    }
    entry.due = scheduler::next_due(*endpoint.schedule, last, system_clock::now());
    m_store->save_next_due(facts.id, utc_seconds(entry.due));
    spdlog::info("{}: next harvest {} (schedule \"{}\")", endpoint.name,
                 util::format_utc_seconds(utc_seconds(entry.due)), endpoint.schedule->text());
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
        due += entry.once ? 1 : 0;
    }
    spdlog::info("daemon --once: {} of {} scheduled endpoints due, {} at once, database {}", due,
                 m_entries.size(), m_config.daemon.parallel, m_db_path);
    auto waiting = [&] {
        return std::any_of(m_entries.begin(), m_entries.end(),
                           [](const auto& e) { return e.second.once; });
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
            wake = std::min(wake, entry.due);
        }
    }
    return wake;
}

void Daemon::start_due(const std::atomic<bool>& stop, bool once) {
    std::vector<Entry*> due;
    auto now = system_clock::now();
    for (auto& [name, entry] : m_entries) {
        if (!entry.child && (once ? entry.once : entry.due <= now)) {
            due.push_back(&entry);
        }
    }
    // The longest overdue first, so that a full house delays everyone fairly.
    std::sort(due.begin(), due.end(),
              [](const Entry* a, const Entry* b) { return a->due < b->due; });
    for (Entry* entry : due) {
        if (m_running >= m_config.daemon.parallel || stop.load()) {
            break;
        }
        entry->once = false;
        if (!start(*entry)) {
            ++entry->failures;
            entry->due = scheduler::retry_due(*entry->endpoint.schedule, system_clock::now(),
                                              system_clock::now(), entry->failures);
        }
    }
}

bool Daemon::start(Entry& entry) {
    try {
        entry.runs_before = m_store->last_run_id();
        entry.started = system_clock::now();
        HarvestChild::Inherited inherited{m_lock_fd, m_gate.fd(), m_gate.slot_for(entry.host)};
        entry.child =
            std::make_unique<HarvestChild>(m_child_args, m_config_text, entry.endpoint.name,
                                           inherited, ChildLimits::of(m_config.daemon));
    } catch (const std::exception& e) {
        spdlog::error("{}: {}", entry.endpoint.name, e.what());
        return false;
    }
    ++m_running;
    spdlog::debug("{}: harvest starts (pid {})", entry.endpoint.name, entry.child->pid());
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
        const auto& schedule = *entry.endpoint.schedule;
        entry.failures = ok ? 0 : entry.failures + 1;
        entry.due =
            ok ? scheduler::next_due(schedule, entry.started, system_clock::now())
               : scheduler::retry_due(schedule, entry.started, system_clock::now(), entry.failures);
        m_store->save_next_due(entry.id, utc_seconds(entry.due));
        spdlog::debug("{}: next harvest {}", entry.endpoint.name,
                      util::format_utc_seconds(utc_seconds(entry.due)));
        ++it;
    }
    return all_ok;
}

// What the child's end means for its runs: a child that died could not record its run, so
// the daemon does, with the cause. Returns true when the harvest succeeded.
bool Daemon::record(Entry& entry, const ChildEnd& end) {
    const auto& name = entry.endpoint.name;
    auto now = util::now_utc();
    try {
        if (end.kind == ChildEnd::Kind::died) {
            spdlog::error("{}: the harvest died: {}", name, end.cause);
            // A stop at the deadline may have let the child record its run as interrupted.
            m_store->mark_runs_died(entry.id, entry.runs_before, true, end.cause, now);
            m_store->save_endpoint_error(name, "the harvest died: " + end.cause, now);
        } else {
            if (end.kind == ChildEnd::Kind::failed && end.cause != "exited with status 1") {
                spdlog::error("{}: the harvest process {}", name, end.cause);
            }
            // Normally none: the child finishes every run it begins.
            m_store->mark_runs_died(entry.id, entry.runs_before, false,
                                    "the harvest process " + end.cause + " before the run finished",
                                    now);
        }
    } catch (const std::exception& e) {
        spdlog::error("{}: cannot record how its harvest ended: {}", name, e.what());
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
        if (kept && kept->schedule) {
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
        if (!endpoint.schedule) {
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
        }
    }
    m_config = std::move(fresh);
    m_config_text = config::describe_effective(m_config);
    spdlog::info("reloaded {}: {} scheduled endpoints ({} added, {} removed, {} changed)",
                 m_config_file, m_entries.size(), added, removed, changed);
}

}  // namespace oaiharvest::cli
