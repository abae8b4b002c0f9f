// Issue 18's figures: the same harvest, re-harvest, export and searches into a PostgreSQL
// mirror as run_mirror_scenarios into SQLite, in the same run, and `copy` of the SQLite mirror
// into PostgreSQL. The server is a private PostgreSQL 15 on a Unix socket of this machine
// (tests/support/postgres_server.hpp: fsync off), so the figures are the client's and the
// protocol's cost, not a disk's; its CPU is not in the harvest's CPU figures.
#include <unistd.h>

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "harvest_run.hpp"
#include "process.hpp"
#include "scenarios.hpp"
#include "store/postgres/pq.hpp"
#include "support/postgres_server.hpp"

namespace oaiharvest::bench {
namespace {

double database_megabytes(const std::string& url) {
    auto conn = store::pq::Connection::open(url);
    auto r = conn.exec("SELECT pg_database_size(current_database())");
    return static_cast<double>(r.int64(0, 0)) / 1e6;
}

// Each daemon's harvests at once in the several-daemons scenario: few, so that a second and a
// third daemon have endpoints left to take.
constexpr int k_daemon_parallel = 2;

}  // namespace

void run_postgres_daemons(const BenchOptions& options, const ServerProcess& server,
                          Figures& figures) {
    namespace fs = std::filesystem;
    const std::string dir = options.workdir + "/postgres-daemons";
    fs::remove_all(dir);
    fs::create_directories(dir);
    std::string endpoints = "[daemon]\nparallel = " + std::to_string(k_daemon_parallel) + "\n";
    for (std::size_t i = 0; i < options.endpoints; ++i) {
        endpoints += "\n[[endpoint]]\nname = \"e" + std::to_string(i) + "\"\nurl = \"" +
                     server.oai_url(i) + "\"\nprefixes = [\"mets\"]\nschedule = \"@every 1d\"\n";
    }
    const std::string config = dir + "/bench.toml";
    write_config(config, endpoints);
    const double records = static_cast<double>(server.records * options.endpoints);
    for (int daemons = 1; daemons <= 3; ++daemons) {
        const std::string db = test::postgres().new_database();
        const double started = now_s();
        std::vector<std::unique_ptr<Background>> running;
        for (int i = 0; i < daemons; ++i) {
            running.push_back(std::make_unique<Background>(std::vector<std::string>{
                options.binary, "-c", config, "--db", db, "-q", "daemon", "--once"}));
        }
        for (const auto& daemon : running) {
            while (!daemon->exited()) {
                usleep(10'000);
            }
        }
        const double wall = now_s() - started;
        bool all_ok = true;
        for (const auto& daemon : running) {
            all_ok = daemon->stop().exit_code == 0 && all_ok;
        }
        auto conn = store::pq::Connection::open(db);
        const auto stored = conn.exec("SELECT count(*) FROM records").int64(0, 0);
        const auto distinct =
            conn.exec(
                    "SELECT count(DISTINCT (endpoint_id, identifier, metadata_prefix)) "
                    "FROM records")
                .int64(0, 0);
        const std::string label = "postgresql " + std::to_string(daemons) + " daemon" +
                                  (daemons > 1 ? "s" : "") + " (parallel " +
                                  std::to_string(k_daemon_parallel) + " each)";
        if (!all_ok || static_cast<double>(stored) != records || distinct != stored) {
            figures.fail(label + ": exit codes " + (all_ok ? "0" : "not all 0") + ", " +
                         std::to_string(stored) + " record rows (" + std::to_string(distinct) +
                         " distinct), expected " + std::to_string(static_cast<long>(records)));
            continue;
        }
        figures.add(label + " wall", "s", wall);
        figures.add(label + " records/s", "rec/s", records / wall);
    }
    fs::remove_all(dir);
}

void run_postgres(const BenchOptions& options, const ServerProcess& server, const Mirror& mirror,
                  Figures& figures) {
    const std::string config = mirror.dir + "/bench.toml";
    const std::string db = test::postgres().new_database();
    const double records = static_cast<double>(server.records);

    auto harvest = run_harvest(options, config, db, server.oai_url(), "bench");
    if (harvest.child.exit_code != 0) {
        figures.fail("postgresql harvest exited " + std::to_string(harvest.child.exit_code) + ": " +
                     harvest.child.err.substr(0, 2000));
        return;
    }
    add_harvest_figures("postgresql harvest", harvest, records, static_cast<double>(server.bytes),
                        figures);
    auto status = read_status(options, db);
    check_scope(status, server.records, "postgresql harvest", figures);
    figures.add("postgresql database size", "MB", database_megabytes(db));

    auto again = run_harvest(options, config, db, server.oai_url(), "bench");
    if (again.child.exit_code != 0) {
        figures.fail("postgresql re-harvest exited " + std::to_string(again.child.exit_code));
    }
    figures.add("postgresql incremental re-harvest wall", "s", again.child.wall_s);

    auto exported =
        run_child({options.binary, "--db", db, "export", "--format", "jsonl"}, Stdout::count_only);
    const auto live = static_cast<std::size_t>(status.records - status.deleted);
    if (exported.exit_code != 0 || exported.out_lines != live) {
        figures.fail("postgresql export: exit " + std::to_string(exported.exit_code) + ", " +
                     std::to_string(exported.out_lines) + " lines, expected " +
                     std::to_string(live));
    } else {
        figures.add("postgresql export jsonl records/s", "rec/s",
                    static_cast<double>(live) / exported.wall_s);
    }

    std::vector<double> latencies_ms;
    for (int round = 0; round < options.search_rounds; ++round) {
        for (const auto& query : mirror.queries_with_hits) {
            auto found = run_child({options.binary, "--db", db, "search", query, "--limit", "20"});
            if (found.exit_code != 0 || found.out_lines == 0) {
                figures.fail("postgresql search \"" + query + "\": exit " +
                             std::to_string(found.exit_code) + ", " +
                             std::to_string(found.out_lines) + " hits (SQLite found some)");
                continue;
            }
            latencies_ms.push_back(found.wall_s * 1000);
        }
    }
    if (!latencies_ms.empty()) {
        figures.add("postgresql search latency p50", "ms", percentile_of(latencies_ms, 50));
        figures.add("postgresql search latency p95", "ms", percentile_of(latencies_ms, 95));
    }

    const std::string copy_db = test::postgres().new_database();
    auto copied = run_child({options.binary, "copy", "--from", mirror.db, "--to", copy_db});
    if (copied.exit_code != 0) {
        figures.fail("copy into postgresql exited " + std::to_string(copied.exit_code) + ": " +
                     copied.err.substr(0, 2000));
    } else {
        figures.add("copy sqlite to postgresql wall", "s", copied.wall_s);
        figures.add("copy sqlite to postgresql records/s", "rec/s",
                    static_cast<double>(mirror.records) / copied.wall_s);
    }
}

}  // namespace oaiharvest::bench
