#include "scenarios.hpp"

#include <sqlite3.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <sstream>
#include <stdexcept>

#include "harvest_run.hpp"
#include "limits.hpp"

namespace oaiharvest::bench {
namespace {

// The bytes of the records' full-text index: the blocks and sizes of its FTS5 shadow tables,
// plain tables any SQLite reads (issue 17's "index at most 30% larger"). -1 when the file cannot be
// read.
double search_index_bytes(const std::string& db) {
    sqlite3* handle = nullptr;
    const int opened = sqlite3_open_v2(db.c_str(), &handle, SQLITE_OPEN_READONLY, nullptr);
    std::unique_ptr<sqlite3, int (*)(sqlite3*)> owned(handle, sqlite3_close);
    if (opened != SQLITE_OK) {
        return -1;
    }
    sqlite3_stmt* stmt = nullptr;
    const char* sql =
        "SELECT (SELECT coalesce(sum(length(block)), 0) FROM search_data) + "
        "(SELECT coalesce(sum(length(sz)), 0) FROM search_docsize)";
    if (sqlite3_prepare_v2(handle, sql, -1, &stmt, nullptr) != SQLITE_OK) {
        sqlite3_finalize(stmt);
        return -1;
    }
    std::unique_ptr<sqlite3_stmt, int (*)(sqlite3_stmt*)> statement(stmt, sqlite3_finalize);
    return sqlite3_step(stmt) == SQLITE_ROW ? sqlite3_column_double(stmt, 0) : -1;
}

// Latin and Cyrillic words and phrases of the corpus (sample/detail/corpus.cpp), a name, and
// words that match nothing.
const std::vector<std::string> k_queries = {
    "diplomacy",
    "Central Asia",
    "Fergana",
    "education",
    "Kazakhstan",
    "Nazarova",
    "cooperation",
    "migration",
    "Узбекистан",
    "сотрудничества",
    "образования",
    "Кыргызстандагы",
    "ҳамкорлик",
    "Тоҷикистон",
    "hamkorlik",
    "Markaziy Osiyo",
    "Digital transformation",
    "water",
    "qualitative analysis",
    "xylophone",
};

}  // namespace

std::string ServerProcess::oai_url(std::size_t endpoint) const {
    return "http://127.0.0." + std::to_string(endpoint + 1) + ":" +
           std::to_string(ports.at(endpoint)) + "/cgi/oai2";
}

std::size_t ServerProcess::counter(const std::string& name) const {
    std::istringstream in(http_get(base + "/stats"));
    std::string key;
    std::size_t value = 0;
    while (in >> key >> value) {
        if (key == name) {
            return value;
        }
    }
    return 0;
}

std::unique_ptr<ServerProcess> start_server(const BenchOptions& options, std::size_t records,
                                            std::size_t page_size, int delay_ms, std::size_t hosts,
                                            bool documents) {
    auto server = std::make_unique<ServerProcess>();
    std::vector<std::string> argv = {options.self,       "serve",
                                     "--records",        std::to_string(records),
                                     "--page-size",      std::to_string(page_size),
                                     "--abstract-bytes", std::to_string(options.abstract_bytes),
                                     "--delay-ms",       std::to_string(delay_ms),
                                     "--hosts",          std::to_string(hosts)};
    if (documents) {
        argv.insert(argv.end(), {"--documents", "--document-bytes",
                                 std::to_string(options.document_kb * 1024)});
    }
    server->process = std::make_unique<Background>(argv);
    // "ports P1,P2 pages N bytes B records R documents D document_bytes M pdfs K"
    std::istringstream line(server->process->read_line(900));
    std::string key;
    while (line >> key) {
        if (key == "ports") {
            std::string list;
            line >> list;
            std::istringstream ports(list);
            for (std::string port; std::getline(ports, port, ',');) {
                server->ports.push_back(std::stoi(port));
            }
        } else if (key == "pages") {
            line >> server->pages;
        } else if (key == "bytes") {
            line >> server->bytes;
        } else if (key == "records") {
            line >> server->records;
        } else if (key == "documents") {
            line >> server->documents;
        } else if (key == "document_bytes") {
            line >> server->document_bytes;
        } else if (key == "pdfs") {
            line >> server->pdfs;
        }
    }
    if (server->ports.size() != std::max<std::size_t>(hosts, 1)) {
        throw std::runtime_error("the bench server did not start");
    }
    server->base = "http://127.0.0.1:" + std::to_string(server->ports[0]);
    return server;
}

void write_config(const std::string& path, const std::string& extra) {
    std::ofstream out(path, std::ios::trunc);
    out << "# Written by oaiharvest-bench.\n[http]\nrequest_interval = \"0s\"\n\n" << extra;
}

std::optional<Mirror> run_mirror_scenarios(const BenchOptions& options, const ServerProcess& server,
                                           int run, Figures& figures) {
    namespace fs = std::filesystem;
    const std::string dir = options.workdir + "/run" + std::to_string(run);
    fs::remove_all(dir);
    fs::create_directories(dir);
    const std::string config = dir + "/bench.toml";
    write_config(config);
    const std::string db = dir + "/mirror.db";
    const std::string url = server.oai_url();

    // The full harvest.
    auto harvest = run_harvest(options, config, db, url, "bench");
    const double harvested_at = now_s();
    const double records = static_cast<double>(server.records);
    if (harvest.child.exit_code != 0) {
        figures.fail("harvest exited " + std::to_string(harvest.child.exit_code) + ": " +
                     harvest.child.err.substr(0, 2000));
        fs::remove_all(dir);
        return std::nullopt;
    }
    add_harvest_figures("harvest", harvest, records, static_cast<double>(server.bytes), figures);
    auto status = read_status(options, db);
    check_scope(status, server.records, "harvest", figures);
    // The mirror's size once the harvest has ended (its WAL checkpointed and removed by then;
    // counted if not), against the XML it was made of (issue 13).
    std::uintmax_t db_bytes = fs::file_size(db);
    if (std::error_code ec; fs::exists(db + "-wal", ec)) {
        db_bytes += fs::file_size(db + "-wal");
    }
    figures.add("database size", "MB", mb(static_cast<double>(db_bytes)));
    figures.add("database bytes per record", "B", static_cast<double>(db_bytes) / records);
    figures.add("database / harvested XML", "",
                static_cast<double>(db_bytes) / static_cast<double>(server.bytes));
    if (const double index = search_index_bytes(db); index >= 0) {
        figures.add("search index size", "MB", mb(index));
        figures.add("search index bytes per record", "B", index / records);
    } else {
        figures.fail("cannot read the search index's size from " + db);
    }

    // The no-change re-harvest: one empty from-list, nothing written.
    const std::size_t pages_before = server.counter("pages");
    auto again = run_harvest(options, config, db, url, "bench");
    if (again.child.exit_code != 0) {
        figures.fail("re-harvest exited " + std::to_string(again.child.exit_code));
    }
    figures.add("incremental re-harvest wall", "s", again.child.wall_s);
    if (server.counter("pages") != pages_before) {
        figures.fail("the no-change re-harvest fetched pre-rendered pages again");
    }
    auto status_again = read_status(options, db);
    if (status_again.last_new != 0 || status_again.last_updated != 0 ||
        status_again.records != status.records) {
        figures.fail("the no-change re-harvest changed records");
    }

    // Export of the mirror as JSON lines.
    auto exported =
        run_child({options.binary, "--db", db, "export", "--format", "jsonl"}, Stdout::count_only);
    const auto live = static_cast<std::size_t>(status.records - status.deleted);
    if (exported.exit_code != 0 || exported.out_lines != live) {
        figures.fail("export: exit " + std::to_string(exported.exit_code) + ", " +
                     std::to_string(exported.out_lines) + " lines, expected " +
                     std::to_string(live));
    } else {
        figures.add("export jsonl records/s", "rec/s", static_cast<double>(live) / exported.wall_s);
        figures.add("export jsonl MB/s", "MB/s",
                    mb(static_cast<double>(exported.out_bytes)) / exported.wall_s);
    }

    // What the mirror says it holds (checked above against the corpus): what serving it must give.
    Mirror mirror{.dir = dir,
                  .db = db,
                  .records = status.records < 0 ? 0 : static_cast<std::size_t>(status.records),
                  .changed_at = harvested_at};

    // Search: one process per query, as a user or a script runs it; the queries that find
    // something are kept for the serving scenario's web searches.
    std::vector<double> latencies_ms;
    std::size_t with_hits = 0;
    for (int round = 0; round < options.search_rounds; ++round) {
        for (const auto& query : k_queries) {
            auto found = run_child({options.binary, "--db", db, "search", query, "--limit", "20"});
            if (found.exit_code != 0) {
                figures.fail("search \"" + query + "\" exited " + std::to_string(found.exit_code) +
                             ": " + found.err);
                continue;
            }
            latencies_ms.push_back(found.wall_s * 1000);
            with_hits += found.out_lines > 0 ? 1 : 0;
            if (round == 0 && found.out_lines > 0) {
                mirror.queries_with_hits.push_back(query);
            }
        }
    }
    if (with_hits == 0) {
        figures.fail("no search query found anything");
    }
    figures.add("search latency p50", "ms", percentile_of(latencies_ms, 50));
    figures.add("search latency p95", "ms", percentile_of(latencies_ms, 95));
    // What any command costs before it does anything: the floor of the search latency.
    std::vector<double> starts_ms;
    for (std::size_t i = 0; i < k_queries.size(); ++i) {
        starts_ms.push_back(run_child({options.binary, "--version"}).wall_s * 1000);
    }
    figures.add("process start (oaiharvest --version) p50", "ms", percentile_of(starts_ms, 50));
    return mirror;
}

void run_limits(const ServerProcess& server, Figures& figures) {
    auto limits = measure_limits(server.oai_url());
    if (!limits.ok) {
        figures.fail("bare libcurl/libxml2 loop: " + limits.error);
        return;
    }
    if (limits.records != server.records) {
        figures.fail("bare loop counted " + std::to_string(limits.records) + " records, expected " +
                     std::to_string(server.records));
    }
    const auto records = static_cast<double>(limits.records);
    const auto bytes = static_cast<double>(limits.bytes);
    figures.add("bare libcurl loop records/s", "rec/s", records / limits.network_s);
    figures.add("bare libcurl loop MB/s", "MB/s", mb(bytes) / limits.network_s);
    figures.add("bare xmlTextReader records/s", "rec/s", records / limits.parse_s);
    figures.add("bare xmlTextReader MB/s", "MB/s", mb(bytes) / limits.parse_s);
}

}  // namespace oaiharvest::bench
