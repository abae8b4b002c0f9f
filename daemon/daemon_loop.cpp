#include "daemon_loop.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "context.hpp"
#include "harvest/harvest.hpp"
#include "report.hpp"
#include "scheduler/due.hpp"
#include "util/clock.hpp"

namespace oaiharvest::cli {
namespace {

using std::chrono::system_clock;

// Signals only set flags (signals.hpp), so the planner looks at them this often while it waits.
constexpr std::chrono::milliseconds k_signal_poll{200};

util::UtcTime utc_seconds(scheduler::TimePoint t) {
    return std::chrono::ceil<std::chrono::seconds>(t);
}

harvest::EndpointTarget target_of(const config::EndpointConfig& endpoint) {
    return {endpoint.name, endpoint.url, endpoint.prefixes, endpoint.sets};
}

}  // namespace

Daemon::Daemon(config::Config config, std::string config_file, std::string db_path)
    : m_config(std::move(config)),
      m_config_file(std::move(config_file)),
      m_db_path(std::move(db_path)),
      m_store(store::Store::open(m_db_path)),
      m_gate(m_config.http.request_interval) {
    for (const auto& endpoint : m_config.endpoints) {
        if (!endpoint.schedule) {
            spdlog::info("{}: no schedule, so only `oaiharvest harvest` runs it", endpoint.name);
            continue;
        }
        Entry& entry = m_entries[endpoint.name];
        entry.endpoint = endpoint;
        plan(endpoint, entry);
    }
}

Daemon::~Daemon() {
    for (auto& [name, entry] : m_entries) {
        if (entry.worker.joinable()) {
            entry.worker.join();
        }
    }
}

// From the last run in the database: an endpoint that never ran, or whose time passed while
// the daemon was down, is due at once; so is one with a list left unfinished (the daemon was
// stopped mid-list), which resumes from its saved token.
void Daemon::plan(const config::EndpointConfig& endpoint, Entry& entry) {
    auto facts = m_store->endpoint(endpoint.name, endpoint.url);
    entry.id = facts.id;
    std::optional<scheduler::TimePoint> last;
    if (auto started = m_store->last_run_started(facts.id);
        started && !m_store->has_unfinished_list(facts.id)) {
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
        std::unique_lock lock(m_mutex);
        auto wake = std::min(next_wake(), system_clock::now() + k_signal_poll);
        m_wake.wait_until(lock, wake, [&] { return !m_finished.empty(); });
    }
    if (m_running > 0) {
        spdlog::info("stopping: {} harvests end their page in flight", m_running);
    }
    join_all();
    spdlog::info("daemon stopped");
}

// Waits for every worker, and plans nothing more. Returns false when a harvest reaped here
// failed.
bool Daemon::join_all() {
    for (auto& [name, entry] : m_entries) {
        if (entry.worker.joinable()) {
            entry.worker.join();
        }
    }
    bool ok = reap();
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
        std::unique_lock lock(m_mutex);
        m_wake.wait_for(lock, k_signal_poll, [&] { return !m_finished.empty(); });
    }
    if (m_running > 0) {
        spdlog::info("stopping: {} harvests end their page in flight", m_running);
    }
    const bool left = waiting();  // stopped before they started
    all_ok = join_all() && all_ok && !left;
    spdlog::info("daemon --once finished{}", all_ok ? "" : ", not everything succeeded");
    return all_ok;
}

scheduler::TimePoint Daemon::next_wake() const {
    auto wake = system_clock::now() + std::chrono::hours{1};
    for (const auto& [name, entry] : m_entries) {
        if (!entry.running) {
            wake = std::min(wake, entry.due);
        }
    }
    return wake;
}

void Daemon::start_due(const std::atomic<bool>& stop, bool once) {
    std::vector<Entry*> due;
    auto now = system_clock::now();
    for (auto& [name, entry] : m_entries) {
        if (!entry.running && (once ? entry.once : entry.due <= now)) {
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
        entry->running = true;
        entry->once = false;
        ++m_running;
        spdlog::debug("{}: harvest starts", entry->endpoint.name);
        entry->worker = std::thread([this, endpoint = entry->endpoint, http = m_config.http,
                                     &stop] { harvest(endpoint, http, stop); });
    }
}

// On a worker thread.
void Daemon::harvest(const config::EndpointConfig& endpoint, const config::HttpSettings& http,
                     const std::atomic<bool>& stop) {
    auto started = system_clock::now();
    bool ok = false;
    try {
        auto store = store::Store::open(m_db_path);
        auto curl = http::make_curl_fetcher(fetch_options(http));
        scheduler::PoliteFetcher fetcher(*curl, m_gate);
        util::SystemClock clock(&stop);
        auto policy = retry_policy(http);
        policy.request_interval = std::chrono::milliseconds{0};  // the gate keeps the interval
        harvest::EndpointHarvester harvester(fetcher, *store, clock, policy);
        harvester.set_stop_flag(&stop);
        ok = log_report(harvester.run(target_of(endpoint), harvest::Window{}), *store);
    } catch (const std::exception& e) {
        // A local failure (the database): logged, and the endpoint is tried again when due.
        spdlog::error("{}: {}", endpoint.name, e.what());
    }
    {
        std::lock_guard lock(m_mutex);
        m_finished.push_back({endpoint.name, started, ok});
    }
    m_wake.notify_one();
}

bool Daemon::reap() {
    bool all_ok = true;
    std::vector<Finished> finished;
    {
        std::lock_guard lock(m_mutex);
        finished.swap(m_finished);
    }
    for (const auto& done : finished) {
        all_ok = all_ok && done.ok;
        auto it = m_entries.find(done.name);
        if (it == m_entries.end()) {
            continue;
        }
        Entry& entry = it->second;
        if (entry.worker.joinable()) {
            entry.worker.join();
        }
        entry.running = false;
        --m_running;
        if (entry.removed) {
            m_entries.erase(it);
            continue;
        }
        entry.due =
            scheduler::next_due(*entry.endpoint.schedule, done.started, system_clock::now());
        m_store->save_next_due(entry.id, utc_seconds(entry.due));
        spdlog::debug("{}: next harvest {}", done.name,
                      util::format_utc_seconds(utc_seconds(entry.due)));
    }
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
    m_gate.set_interval(fresh.http.request_interval);

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
        if (it->second.running) {
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
        if (!entry.running) {
            plan(endpoint, entry);
        }
    }
    m_config = std::move(fresh);
    spdlog::info("reloaded {}: {} scheduled endpoints ({} added, {} removed, {} changed)",
                 m_config_file, m_entries.size(), added, removed, changed);
}

}  // namespace oaiharvest::cli
