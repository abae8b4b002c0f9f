// The big single page (memory must not grow with the page) and the concurrency scenario
// (`oaiharvest daemon` over many slow endpoints).

#include <unistd.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>

#include "harvest_run.hpp"
#include "scenarios.hpp"

namespace oaiharvest::bench {
namespace {

namespace fs = std::filesystem;

std::string fresh_dir(const BenchOptions& options, const std::string& name, int run) {
    const std::string dir = options.workdir + "/" + name + std::to_string(run);
    fs::remove_all(dir);
    fs::create_directories(dir);
    return dir;
}

// Scopes whose last run finished, with the records each holds; -1 when status fails.
long finished_scopes(const BenchOptions& options, const std::string& config, const std::string& db,
                     std::size_t records_each) {
    auto status = run_child({options.binary, "-c", config, "--db", db, "status", "--json"});
    if (status.exit_code != 0) {
        return -1;
    }
    auto json = nlohmann::json::parse(status.out, nullptr, false);
    if (json.is_discarded() || !json.is_array()) {
        return -1;
    }
    long finished = 0;
    for (const auto& scope : json) {
        const auto& run = scope.value("last_run", nlohmann::json());
        if (run.is_object() && !run.value("finished_at", nlohmann::json()).is_null() &&
            scope.value("records", std::int64_t{0}) == static_cast<std::int64_t>(records_each)) {
            ++finished;
        }
    }
    return finished;
}

}  // namespace

void run_big_page(const BenchOptions& options, const ServerProcess& server, int run,
                  Figures& figures) {
    const std::string dir = fresh_dir(options, "bigpage", run);
    write_config(dir + "/bench.toml");
    auto harvest =
        run_harvest(options, dir + "/bench.toml", dir + "/big.db", server.oai_url(), "big");
    if (harvest.child.exit_code != 0) {
        figures.fail("big-page harvest exited " + std::to_string(harvest.child.exit_code) + ": " +
                     harvest.child.err.substr(0, 2000));
        return;
    }
    const std::string label = "one " + std::to_string(server.bytes / 1'000'000) + " MB page";
    add_harvest_figures(label, harvest, static_cast<double>(server.records),
                        static_cast<double>(server.bytes), figures);
    check_scope(read_status(options, dir + "/big.db"), server.records, "big page", figures);
    fs::remove_all(dir);
}

void run_concurrency(const BenchOptions& options, const ServerProcess& server, int run,
                     Figures& figures) {
    auto help = run_child({options.binary, "daemon", "--help"});
    if (help.exit_code != 0) {
        figures.note("concurrency: skipped: `oaiharvest daemon --help` failed (exit " +
                     std::to_string(help.exit_code) + "): the daemon is not available");
        return;
    }
    const std::string dir = fresh_dir(options, "concurrency", run);
    std::string endpoints = "[daemon]\nparallel = " + std::to_string(options.parallel) + "\n";
    for (std::size_t i = 0; i < options.endpoints; ++i) {
        endpoints += "\n[[endpoint]]\nname = \"e" + std::to_string(i) + "\"\nurl = \"" +
                     server.oai_url(i) + "\"\nprefixes = [\"mets\"]\nschedule = \"@every 1d\"\n";
    }
    const std::string config = dir + "/bench.toml";
    const std::string db = dir + "/daemon.db";
    write_config(config, endpoints);
    const std::size_t requests_before = server.counter("requests");
    const bool once = help.out.find("--once") != std::string::npos;
    double wall = 0;
    if (once) {
        auto daemon = run_child({options.binary, "-c", config, "--db", db, "daemon", "--once"});
        if (daemon.exit_code != 0) {
            figures.fail("daemon --once exited " + std::to_string(daemon.exit_code) + ": " +
                         daemon.err.substr(0, 2000));
            return;
        }
        wall = daemon.wall_s;
    } else {
        // No --once: every endpoint is due at start (never harvested); poll status until each
        // scope's run has finished, then stop the daemon.
        const double started = now_s();
        Background daemon({options.binary, "-c", config, "--db", db, "-q", "daemon"});
        long finished = 0;
        while (finished < static_cast<long>(options.endpoints) && now_s() - started < 120) {
            usleep(50'000);
            finished = finished_scopes(options, config, db, server.records);
        }
        wall = now_s() - started;
        auto stopped = daemon.stop();
        if (finished < static_cast<long>(options.endpoints)) {
            figures.fail("concurrency: " + std::to_string(finished) + " of " +
                         std::to_string(options.endpoints) +
                         " endpoints finished within 120 s (daemon exit " +
                         std::to_string(stopped.exit_code) + ")");
            return;
        }
        figures.note(
            "concurrency: the daemon has no --once; its wall time is measured by "
            "polling `status --json` every 50 ms (resolution ~0.1 s)");
    }
    if (finished_scopes(options, config, db, server.records) !=
        static_cast<long>(options.endpoints)) {
        figures.fail("concurrency: not every endpoint holds its records");
    }
    figures.add("concurrency wall (daemon)", "s", wall);
    figures.add("concurrency requests", "",
                static_cast<double>(server.counter("requests") - requests_before));
    fs::remove_all(dir);
}

}  // namespace oaiharvest::bench
