#pragma once
// The scheduling loop: keeps each job's next harvest and reconcile due time, starts due runs
// while fewer than `parallel` run, one run per job at a time (a harvest due with a reconcile goes
// first), retries a failed run with backoff (retry_due), and adopts a reloaded plan without
// stopping what runs. A job is one scheduled endpoint; what a run is, the loop does not know.
//
// It talks to the world through two interfaces that its owner implements (daemon/: harvest child
// processes, and the store): a Launcher starts runs and reports their ends, a History says when
// a job last ran and is told each due time the loop plans. It reads time only through
// util::Clock and waits only through Clock::sleep_for, so tests step a fake clock.
//
// Single-threaded: a Loop, and the Launcher and History it calls, are used by the one thread
// that calls it (the daemon's main thread). It borrows the clock, launcher and history, which
// must outlive it. It throws nothing of its own; what its Launcher or History throws comes out.

#include <atomic>
#include <chrono>
#include <cstddef>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "scheduler/schedule.hpp"
#include "util/clock.hpp"

namespace oaiharvest::scheduler {

enum class RunKind { harvest, reconcile };

struct Job {
    std::string name;                   // unique among a plan's jobs
    std::optional<Schedule> harvest;    // absent: never harvested by the loop
    std::optional<Schedule> reconcile;  // absent: never reconciled by the loop
    // Whatever else of the job its runs depend on (daemon/: the endpoint's config as text),
    // opaque here: a reload replans a job whose settings changed, as one whose schedules did.
    std::string settings;

    friend bool operator==(const Job&, const Job&) = default;
};

struct Plan {
    std::vector<Job> jobs;  // a job with neither schedule is left out
    int parallel = 1;       // runs at once; below 1 counts as 1
    // How long a job that another harvester holds waits before its history is looked at again.
    std::chrono::milliseconds lease_recheck{30'000};
};

struct RunEnd {
    std::string name;  // the job's
    bool succeeded = false;
    // The run did not happen: another harvester (another daemon sharing the mirror) holds the
    // job. Neither a success nor a failure: after the plan's lease_recheck the job is planned
    // again from its history, which then tells what that harvester did.
    bool held_elsewhere = false;
};

class Launcher {
public:
    virtual ~Launcher() = default;
    // Starts the job's run of that kind. Returns false when it could not be started (the
    // launcher reports why): the loop counts that as a failed run.
    virtual bool start(const Job& job, RunKind kind) = 0;
    // The runs that ended since the last call. Must not block: the loop calls it every poll.
    virtual std::vector<RunEnd> reap() = 0;
    // Asks every running run to stop; each is still reported by reap() when it has ended.
    virtual void stop_all() = 0;
};

// Why a due time was planned.
enum class Why {
    from_history,    // (re)planned from History::last_started: at start, or after a reload
    after_success,   // the schedule's next time after a run that succeeded
    after_failure,   // retry_due after a run that failed or could not start
    held_elsewhere,  // lease_recheck after a run that another harvester held
    none,            // nothing is planned: the schedule, or the job, was removed, or the loop ended
};

class History {
public:
    virtual ~History() = default;
    // When the job's last run of that kind started, for planning: nullopt when it never ran or
    // must run at once (a list left unfinished, a run that died).
    virtual std::optional<TimePoint> last_started(const Job& job, RunKind kind) = 0;
    // Told each due time the loop plans for the job's runs of that kind (nullopt: none).
    virtual void planned(const Job& job, RunKind kind, std::optional<TimePoint> due, Why why) = 0;
};

// What a reload changed, in jobs.
struct Changes {
    int added = 0;
    int removed = 0;
    int changed = 0;
};

class Loop {
public:
    // poll: the longest wait between two looks at the launcher's runs and the stop flag.
    Loop(util::Clock& clock, Launcher& launcher, History& history, std::chrono::milliseconds poll);

    // Adopts the plan: a new job is planned from its history; a job gone from the plan is
    // dropped, a running one once its run ends (it is not stopped); a changed job is replanned,
    // a running one once its run ends; an unchanged job keeps its due times and backoff. The
    // first call plans every job.
    Changes reload(Plan next);

    std::size_t jobs() const { return m_entries.size(); }
    int running() const { return m_running; }
    // How many jobs have a harvest or reconcile due now: what run_once would run.
    std::size_t due_now();

    // Starts due runs until *stop is set, calling `each_turn` (when given) at the start of each
    // turn: it may call reload(). Then stops every run and returns once all have ended.
    void run(const std::atomic<bool>& stop, const std::function<void()>& each_turn = {});

    // Runs once each harvest and reconcile due now, `parallel` at a time, and returns when they
    // have ended, or when *stop is set (after stopping them). Returns false when one failed or
    // could not start, or was left unstarted by a stop.
    bool run_once(const std::atomic<bool>& stop);

private:
    struct Entry {
        Job job;
        TimePoint due = TimePoint::max();            // of its harvest
        TimePoint reconcile_due = TimePoint::max();  // of its reconcile
        std::optional<RunKind> running;              // the kind of its run in progress
        TimePoint started;                           // of that run
        int failures = 0;                            // harvests in a row that failed
        int reconcile_failures = 0;                  // reconciles in a row that failed
        bool removed = false;                        // gone from the plan while it ran
        bool replan = false;                         // changed by a reload while it ran
        bool once = false;                           // run_once: its harvest is still to run
        bool once_reconcile = false;                 // run_once: its reconcile is still to run
        bool recheck = false;  // held elsewhere: replanned from history when due
    };

    TimePoint now();
    void plan(Entry& entry);
    void plan_next(Entry& entry, bool succeeded);
    void plan_recheck(Entry& entry);
    bool start_due(const std::atomic<bool>& stop, bool once);
    bool reap();
    bool stop_all();
    void wait();
    bool once_waiting() const;

    util::Clock& m_clock;
    Launcher& m_launcher;
    History& m_history;
    std::chrono::milliseconds m_poll;
    int m_parallel = 1;
    std::chrono::milliseconds m_lease_recheck{30'000};
    int m_running = 0;
    std::map<std::string, Entry> m_entries;
};

}  // namespace oaiharvest::scheduler
