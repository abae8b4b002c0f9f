#pragma once
// What a scheduler::Loop talks to, faked: a launcher whose runs last and end as a test scripts
// them on a FakeClock, and a history that the launcher's runs write as the store would. No
// process, no thread, no sleep: time moves only when the loop waits.

#include <algorithm>
#include <atomic>
#include <chrono>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "scheduler/loop.hpp"
#include "support/fake_clock.hpp"
#include "util/time.hpp"

namespace oaiharvest::scheduler::testing {

using namespace std::chrono_literals;

class FakeHistory final : public History {
public:
    struct Planned {
        std::string name;
        RunKind kind;
        std::optional<TimePoint> due;
        Why why;
    };

    std::optional<TimePoint> last_started(const Job& job, RunKind kind) override {
        auto it = last.find({job.name, kind});
        return it == last.end() ? std::nullopt : std::optional{it->second};
    }
    void planned(const Job& job, RunKind kind, std::optional<TimePoint> due, Why why) override {
        log.push_back({job.name, kind, due, why});
    }
    // What was planned last for the job's runs of that kind; nullopt if nothing ever was.
    std::optional<Planned> latest(const std::string& name, RunKind kind) const {
        for (auto it = log.rbegin(); it != log.rend(); ++it) {
            if (it->name == name && it->kind == kind) {
                return *it;
            }
        }
        return std::nullopt;
    }

    std::map<std::pair<std::string, RunKind>, TimePoint> last;  // as the store keeps runs
    std::vector<Planned> log;
};

class FakeLauncher final : public Launcher {
public:
    struct Outcome {
        std::chrono::milliseconds lasts = 1min;
        bool succeeds = true;
        bool starts = true;  // false: start() refuses it
        bool held = false;   // another harvester holds the job: the run does nothing
    };
    struct Started {
        std::string name;
        RunKind kind;
        TimePoint at;
        friend bool operator==(const Started&, const Started&) = default;
    };

    FakeLauncher(test::FakeClock& clock, FakeHistory& history)
        : m_clock(clock), m_history(history) {}

    // The job's next runs end so, in turn; after them each succeeds after a minute.
    void script(const std::string& name, std::vector<Outcome> outcomes) {
        m_scripts[name].insert(m_scripts[name].end(), outcomes.begin(), outcomes.end());
    }

    bool start(const Job& job, RunKind kind) override {
        Outcome outcome;
        if (auto& script = m_scripts[job.name]; !script.empty()) {
            outcome = script.front();
            script.pop_front();
        }
        const TimePoint now = m_clock.now();
        started.push_back({job.name, kind, now});
        if (m_running.contains(job.name)) {
            ++overlaps;
        }
        if (!outcome.starts) {
            return false;
        }
        if (!outcome.held) {
            m_history.last[{job.name, kind}] = now;
        }
        m_running[job.name] = {now + outcome.lasts, outcome.succeeds && !outcome.held,
                               outcome.held};
        most_at_once = std::max(most_at_once, m_running.size());
        return true;
    }

    std::vector<RunEnd> reap() override {
        // A loop that stops waiting would call this without end on a clock that never moves.
        if (++m_reaps > 1'000'000) {
            throw std::runtime_error("the loop spins: a million reaps");
        }
        std::vector<RunEnd> ended;
        const TimePoint now = m_clock.now();
        for (auto it = m_running.begin(); it != m_running.end();) {
            if (it->second.ends > now) {
                ++it;
                continue;
            }
            ended.push_back({it->first, it->second.succeeds, it->second.held});
            it = m_running.erase(it);
        }
        return ended;
    }

    // A stopped run ends `stop_takes` later, as failed (it was interrupted).
    void stop_all() override {
        ++stop_requests;
        const TimePoint now = m_clock.now();
        for (auto& [name, run] : m_running) {
            run.ends = std::min(run.ends, now + stop_takes);
            run.succeeds = false;
        }
    }

    bool running(const std::string& name) const { return m_running.contains(name); }
    // When the job's runs started, in order.
    std::vector<TimePoint> starts_of(const std::string& name, RunKind kind) const {
        std::vector<TimePoint> times;
        for (const auto& s : started) {
            if (s.name == name && s.kind == kind) {
                times.push_back(s.at);
            }
        }
        return times;
    }

    std::vector<Started> started;
    std::size_t most_at_once = 0;
    int overlaps = 0;  // starts of a job whose run was still going
    int stop_requests = 0;
    std::chrono::milliseconds stop_takes = 5s;

private:
    struct Run {
        TimePoint ends;
        bool succeeds;
        bool held;
    };
    test::FakeClock& m_clock;
    FakeHistory& m_history;
    std::map<std::string, std::deque<Outcome>> m_scripts;
    std::map<std::string, Run> m_running;
    long m_reaps = 0;
};

inline const TimePoint t0 = util::parse_utc("2026-06-03T10:00:00Z").value();

inline Job job(std::string name, std::string_view harvest, std::string_view reconcile = {},
               std::string settings = {}) {
    Job made{std::move(name), std::nullopt, std::nullopt, std::move(settings)};
    if (!harvest.empty()) {
        made.harvest = Schedule::parse(harvest).value();
    }
    if (!reconcile.empty()) {
        made.reconcile = Schedule::parse(reconcile).value();
    }
    return made;
}

// A loop over the fakes, starting at t0 with a poll of one second.
struct World {
    explicit World(std::chrono::milliseconds poll = 1s) : loop(clock, launcher, history, poll) {}

    // Runs the loop until the clock reaches `until` (then stops it), calling `each_turn` at the
    // start of every turn.
    void run_until(TimePoint until, const std::function<void()>& each_turn = {}) {
        loop.run(stop, [&] {
            if (each_turn) {
                each_turn();
            }
            if (clock.now() >= until) {
                stop = true;
            }
        });
    }
    // `action` once, at the first turn at or after `when`.
    static std::function<void()> at(TimePoint when, std::function<void()> action,
                                    test::FakeClock& clock) {
        auto done = std::make_shared<bool>(false);
        return [when, action = std::move(action), &clock, done] {
            if (!*done && clock.now() >= when) {
                *done = true;
                action();
            }
        };
    }

    test::FakeClock clock{std::chrono::floor<std::chrono::seconds>(t0)};
    FakeHistory history;
    FakeLauncher launcher{clock, history};
    Loop loop;
    std::atomic<bool> stop{false};
};

}  // namespace oaiharvest::scheduler::testing
