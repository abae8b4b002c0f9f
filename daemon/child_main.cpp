// The harvest child's side (daemon/child.hpp): one endpoint, once, under the daemon's lock.

#include <spdlog/spdlog.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <csignal>
#include <cstdlib>
#include <memory>
#include <new>
#include <optional>
#include <string_view>
#include <vector>

#include "child.hpp"
#include "context.hpp"
#include "documents_run.hpp"
#include "harvest/harvest.hpp"
#include "http/polite.hpp"
#include "http/shared_gate.hpp"
#include "reconcile_report.hpp"
#include "report.hpp"
#include "sharing.hpp"
#include "signals.hpp"
#include "store/lock.hpp"
#include "upgrade_progress.hpp"
#include "util/clock.hpp"

namespace oaiharvest::cli {
namespace {

// Allocation failed: the address-space limit. Nothing that allocates may run now, so the
// status says it (the daemon logs and records it) and the process ends.
[[noreturn]] void out_of_memory() {
    constexpr std::string_view k_message = "oaiharvest: harvest child: out of memory\n";
    [[maybe_unused]] auto n = ::write(STDERR_FILENO, k_message.data(), k_message.size());
    ::_exit(k_exit_out_of_memory);
}

// True when fd 3 is the locked descriptor of this database's harvest lock, inherited from the
// daemon: then the lock is ours too. A descriptor opened by anyone else on the lock file cannot
// take the lock while the daemon holds it, so `--harvest-child` gives no way around the lock.
bool holds_inherited_lock(const store::LockHeld& held) {
    struct stat inherited {};
    struct stat lock_file {};
    if (::fstat(k_lock_fd, &inherited) != 0 || ::stat(held.lock_file.c_str(), &lock_file) != 0) {
        return false;
    }
    return inherited.st_dev == lock_file.st_dev && inherited.st_ino == lock_file.st_ino &&
           ::flock(k_lock_fd, LOCK_EX | LOCK_NB) == 0;
}

// The test hook of child.hpp: a fetcher that faults at the first ListRecords request.
class FaultFetcher final : public http::Fetcher {
public:
    FaultFetcher(http::Fetcher& inner, std::string fault)
        : m_inner(inner), m_fault(std::move(fault)) {}
    using http::Fetcher::get;
    std::expected<http::Completed, http::TransportFailure> get(
        const std::string& url, http::BodySink& sink, const http::Conditions& conditions) override {
        if (url.find("verb=ListRecords") != std::string::npos) {
            fault();
        }
        return m_inner.get(url, sink, conditions);
    }

private:
    void fault() {
        spdlog::warn("test hook OAIHARVEST_TEST_FAULT: {}", m_fault);
        if (m_fault == "segv") {
            std::raise(SIGSEGV);
        } else if (m_fault == "abort") {
            std::abort();
        } else if (m_fault == "alloc") {
            std::vector<std::unique_ptr<char[]>> hoard;
            for (;;) {
                hoard.push_back(std::make_unique_for_overwrite<char[]>(1U << 20));
                static_cast<volatile char*>(hoard.back().get())[0] = 1;  // kept, not elided
            }
        }
    }
    http::Fetcher& m_inner;
    std::string m_fault;
};

// The fault the hook asks of this endpoint, if any.
std::optional<std::string> test_fault(const std::string& endpoint) {
    const char* hook = std::getenv("OAIHARVEST_TEST_FAULT");
    std::string_view value = hook ? hook : "";
    if (value.starts_with(endpoint + ":")) {
        return std::string(value.substr(endpoint.size() + 1));
    }
    return std::nullopt;
}

}  // namespace

int run_harvest_child(const GlobalOptions& global, const std::string& name, int host_slot,
                      bool reconcile) {
    std::set_new_handler(out_of_memory);
    const auto& config = settings(global);
    const auto* endpoint = config::find_endpoint(config, name);
    if (!endpoint) {
        throw UsageError("no [[endpoint]] named \"" + name + "\" in the daemon's config");
    }
    std::string db_path = database_path(global);
    // On PostgreSQL the daemon's session holds the database's lock for its children.
    if (!store::is_postgres_url(db_path)) {
        auto own = store::HarvestLock::acquire(db_path);  // nobody holds it: then it is ours
        if (!own && !holds_inherited_lock(own.error())) {
            return report_locked(own.error(), db_path);
        }
    }
    const auto& stop = install_stop_handlers();
    auto store = store::Store::open(db_path, upgrade_progress(db_path));
    auto fetching = fetch_options(config.http);
    fetching.abort = &stop;  // a stop aborts the download in flight
    auto curl = http::make_curl_fetcher(fetching);
    std::unique_ptr<http::Fetcher> faulty;
    if (auto fault = test_fault(name)) {
        faulty = std::make_unique<FaultFetcher>(*curl, *fault);
    }
    http::Fetcher& fetcher = faulty ? *faulty : *curl;
    harvest::EndpointTarget target{
        endpoint->name, endpoint->url, endpoint->prefixes, endpoint->sets,
        std::chrono::duration_cast<std::chrono::seconds>(endpoint->overlap)};
    // The daemon says it, once, when another harvester keeps the endpoint.
    auto lease = take_lease(*store, target, spdlog::level::debug);
    if (!lease) {
        return k_exit_held_elsewhere;
    }
    // A run still marked running is a dead process's now that the lease is ours.
    store->mark_runs_died(lease->endpoint(), 0, false, "the process ended before the run finished",
                          util::now_utc());
    auto policy = retry_policy(config.http);
    util::SystemClock clock(&stop, stop_wake_fd());
    SharedTurns turns(db_path, &stop);  // on PostgreSQL, across the mirror's harvesters
    std::unique_ptr<http::SharedGateFetcher> polite;
    http::Fetcher* harvest_fetcher = &fetcher;
    if (turns.shared()) {
        harvest_fetcher = &turns.wrap(fetcher, clock, policy);
    } else if (host_slot >= 0) {
        polite = std::make_unique<http::SharedGateFetcher>(fetcher, k_gate_fd, host_slot,
                                                           policy.request_interval);
        harvest_fetcher = polite.get();
        policy.request_interval = std::chrono::milliseconds{0};  // the gate keeps the interval
    }
    harvest::EndpointHarvester harvester(*harvest_fetcher, *store, clock, policy);
    harvester.set_stop_flag(&stop);
    bool ok = reconcile ? log_reconcile_report(harvester.reconcile(target))
                        : log_report(harvester.run(target, harvest::Window{}), *store);
    if (!reconcile) {
        http::HostGate own_gate(config.http.request_interval);  // without the daemon's gate
        run_documents(
            *endpoint, config.text, fetching,
            [&](http::Fetcher& inner) -> std::unique_ptr<http::Fetcher> {
                if (host_slot >= 0) {
                    return std::make_unique<http::SharedGateFetcher>(inner, k_gate_fd, host_slot,
                                                                     config.http.request_interval);
                }
                return std::make_unique<http::PoliteFetcher>(inner, own_gate);
            },
            *store, db_path, clock, &stop);
    }
    return ok ? k_ok : k_work_failed;
}

}  // namespace oaiharvest::cli
