#include "scheduler/loop.hpp"

#include <algorithm>

#include "scheduler/due.hpp"

namespace oaiharvest::scheduler {
namespace {

constexpr TimePoint k_never = TimePoint::max();

bool scheduled(const Job& job) {
    return job.harvest.has_value() || job.reconcile.has_value();
}

}  // namespace

Loop::Loop(util::Clock& clock, Launcher& launcher, History& history, std::chrono::milliseconds poll)
    : m_clock(clock), m_launcher(launcher), m_history(history), m_poll(poll) {}

TimePoint Loop::now() {
    return m_clock.now();
}

// From the job's history: one that never ran, or whose time passed while nothing ran it, is due
// at once (next_due), and so is one whose history says it must run at once.
void Loop::plan(Entry& entry) {
    const auto& job = entry.job;
    entry.recheck = false;
    entry.failures = 0;
    entry.reconcile_failures = 0;
    entry.due = k_never;
    entry.reconcile_due = k_never;
    if (job.harvest) {
        auto last = m_history.last_started(job, RunKind::harvest);
        entry.due = next_due(*job.harvest, last, now());
        m_history.planned(job, RunKind::harvest, entry.due, Why::from_history);
    } else {
        m_history.planned(job, RunKind::harvest, std::nullopt, Why::none);
    }
    if (job.reconcile) {
        auto last = m_history.last_started(job, RunKind::reconcile);
        entry.reconcile_due = next_due(*job.reconcile, last, now());
        m_history.planned(job, RunKind::reconcile, entry.reconcile_due, Why::from_history);
    } else {
        m_history.planned(job, RunKind::reconcile, std::nullopt, Why::none);
    }
}

// After a run of entry.running's kind ended: when that kind runs next.
void Loop::plan_next(Entry& entry, bool succeeded) {
    const RunKind kind = *entry.running;
    entry.running.reset();
    if (entry.replan) {
        // A reload changed the job while it ran: the other kind of run (a reconcile schedule
        // added during a harvest, say) is planned afresh; this kind's follows below.
        entry.replan = false;
        plan(entry);
    }
    const bool reconcile = kind == RunKind::reconcile;
    const auto& schedule = reconcile ? entry.job.reconcile : entry.job.harvest;
    auto& due = reconcile ? entry.reconcile_due : entry.due;
    if (!schedule) {  // a reload took it away while the run went on
        due = k_never;
        m_history.planned(entry.job, kind, std::nullopt, Why::none);
        return;
    }
    int& failures = reconcile ? entry.reconcile_failures : entry.failures;
    failures = succeeded ? 0 : failures + 1;
    due = succeeded ? next_due(*schedule, entry.started, now())
                    : retry_due(*schedule, entry.started, now(), failures);
    m_history.planned(entry.job, kind, due, succeeded ? Why::after_success : Why::after_failure);
}

// After a run that another harvester held: that kind of run is looked at again after
// lease_recheck, from the history that harvester leaves (plan()); failures are not counted.
void Loop::plan_recheck(Entry& entry) {
    const RunKind kind = *entry.running;
    entry.running.reset();
    entry.replan = false;  // plan() at the recheck reads the job as it is now
    entry.recheck = true;
    auto& due = kind == RunKind::reconcile ? entry.reconcile_due : entry.due;
    due = now() + m_lease_recheck;
    m_history.planned(entry.job, kind, due, Why::held_elsewhere);
}

Changes Loop::reload(Plan next) {
    m_parallel = std::max(next.parallel, 1);
    m_lease_recheck = next.lease_recheck;
    Changes changes;
    auto in_plan = [&](const std::string& name) {
        return std::any_of(next.jobs.begin(), next.jobs.end(),
                           [&](const Job& job) { return job.name == name && scheduled(job); });
    };
    for (auto it = m_entries.begin(); it != m_entries.end();) {
        if (in_plan(it->first)) {
            ++it;
            continue;
        }
        ++changes.removed;
        m_history.planned(it->second.job, RunKind::harvest, std::nullopt, Why::none);
        m_history.planned(it->second.job, RunKind::reconcile, std::nullopt, Why::none);
        if (it->second.running) {
            it->second.removed = true;  // dropped when its run ends
            ++it;
        } else {
            it = m_entries.erase(it);
        }
    }
    for (auto& job : next.jobs) {
        if (!scheduled(job)) {
            continue;
        }
        auto [it, is_new] = m_entries.try_emplace(job.name);
        Entry& entry = it->second;
        if (!is_new && entry.job == job && !entry.removed) {
            continue;
        }
        ++(is_new ? changes.added : changes.changed);
        entry.job = std::move(job);
        entry.removed = false;
        if (entry.running) {
            entry.replan = true;  // both kinds of run, once it has ended
        } else {
            plan(entry);
        }
    }
    return changes;
}

std::size_t Loop::due_now() {
    const auto t = now();
    return static_cast<std::size_t>(std::count_if(
        m_entries.begin(), m_entries.end(),
        [&](const auto& e) { return e.second.due <= t || e.second.reconcile_due <= t; }));
}

// Starts the due runs that fit; returns false when one of them could not start.
bool Loop::start_due(const std::atomic<bool>& stop, bool once) {
    const auto t = now();
    auto harvest_due = [&](const Entry& e) { return once ? e.once : e.due <= t; };
    auto reconcile_due = [&](const Entry& e) {
        return once ? e.once_reconcile : e.reconcile_due <= t;
    };
    // A harvest due goes first; the reconcile due with it starts once the harvest has ended.
    auto due_at = [&](const Entry& e) { return harvest_due(e) ? e.due : e.reconcile_due; };
    for (auto& [name, entry] : m_entries) {
        if (!once && entry.recheck && !entry.running &&
            (entry.due <= t || entry.reconcile_due <= t)) {
            plan(entry);  // the other harvester may have run it meanwhile
        }
    }
    std::vector<Entry*> due;
    for (auto& [name, entry] : m_entries) {
        if (!entry.running && !entry.removed && (harvest_due(entry) || reconcile_due(entry))) {
            due.push_back(&entry);
        }
    }
    // The longest overdue first, so that a full house delays everyone fairly.
    std::stable_sort(due.begin(), due.end(),
                     [&](const Entry* a, const Entry* b) { return due_at(*a) < due_at(*b); });
    bool all_started = true;
    for (Entry* entry : due) {
        if (m_running >= m_parallel || stop.load()) {
            break;
        }
        const RunKind kind = harvest_due(*entry) ? RunKind::harvest : RunKind::reconcile;
        (kind == RunKind::reconcile ? entry->once_reconcile : entry->once) = false;
        entry->running = kind;
        entry->started = now();
        if (m_launcher.start(entry->job, kind)) {
            ++m_running;
        } else {
            all_started = false;
            plan_next(*entry, false);
        }
    }
    return all_started;
}

// Takes in the runs that ended and plans their jobs' next runs. Returns false when one of them
// failed.
bool Loop::reap() {
    bool all_succeeded = true;
    for (const auto& end : m_launcher.reap()) {
        auto it = m_entries.find(end.name);
        if (it == m_entries.end() || !it->second.running) {
            continue;  // not a run of ours: nothing to plan
        }
        --m_running;
        if (it->second.removed) {
            all_succeeded = all_succeeded && (end.succeeded || end.held_elsewhere);
            m_entries.erase(it);
            continue;
        }
        if (end.held_elsewhere) {
            plan_recheck(it->second);
            continue;
        }
        all_succeeded = all_succeeded && end.succeeded;
        plan_next(it->second, end.succeeded);
    }
    return all_succeeded;
}

// Until the first due time to come, or a poll, whichever is sooner. A job that is due but
// waits for a free place counts as the poll: its turn comes when a run ends, which only a
// poll can tell (waiting for its past due time would spin).
void Loop::wait() {
    const auto t = now();
    auto wake = t + m_poll;
    for (const auto& [name, entry] : m_entries) {
        if (entry.running) {
            continue;
        }
        for (auto due : {entry.due, entry.reconcile_due}) {
            if (due > t) {
                wake = std::min(wake, due);
            }
        }
    }
    m_clock.sleep_for(std::chrono::ceil<std::chrono::milliseconds>(wake - t));
}

void Loop::run(const std::atomic<bool>& stop, const std::function<void()>& each_turn) {
    while (!stop.load()) {
        if (each_turn) {
            each_turn();
        }
        reap();
        start_due(stop, false);
        if (!stop.load()) {
            wait();
        }
    }
    stop_all();
}

bool Loop::once_waiting() const {
    return std::any_of(m_entries.begin(), m_entries.end(),
                       [](const auto& e) { return e.second.once || e.second.once_reconcile; });
}

bool Loop::run_once(const std::atomic<bool>& stop) {
    const auto t = now();
    for (auto& [name, entry] : m_entries) {
        entry.once = entry.due <= t;
        entry.once_reconcile = entry.reconcile_due <= t;
    }
    bool all_ok = true;
    while (!stop.load() && (m_running > 0 || once_waiting())) {
        all_ok = reap() && all_ok;
        all_ok = start_due(stop, true) && all_ok;
        if (m_running > 0) {
            m_clock.sleep_for(m_poll);
        }
    }
    const bool left = once_waiting();  // a stop came before they started
    all_ok = stop_all() && all_ok && !left;
    return all_ok;
}

// Asks every run to stop, waits for their ends, and plans nothing more. Returns false when a
// run reaped here failed.
bool Loop::stop_all() {
    if (m_running > 0) {
        m_launcher.stop_all();
    }
    bool all_succeeded = true;
    while (m_running > 0) {
        all_succeeded = reap() && all_succeeded;
        if (m_running > 0) {
            m_clock.sleep_for(m_poll);
        }
    }
    for (auto& [name, entry] : m_entries) {
        entry.due = entry.reconcile_due = k_never;
        m_history.planned(entry.job, RunKind::harvest, std::nullopt, Why::none);
        m_history.planned(entry.job, RunKind::reconcile, std::nullopt, Why::none);
    }
    return all_succeeded;
}

}  // namespace oaiharvest::scheduler
