// Issue 18's figures: the same harvest, re-harvest, export and searches into a PostgreSQL
// mirror as run_mirror_scenarios into SQLite, in the same run, and `copy` of the SQLite mirror
// into PostgreSQL. The server is a private PostgreSQL 15 on a Unix socket of this machine
// (tests/support/postgres_server.hpp: fsync off), so the figures are the client's and the
// protocol's cost, not a disk's; its CPU is not in the harvest's CPU figures.
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

}  // namespace

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
