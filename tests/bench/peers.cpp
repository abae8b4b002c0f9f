// Debian-packaged peers on the same pages: Catmandu::OAI (libcatmandu-oai-perl) and HTTP::OAI
// (libhttp-oai-perl). Each is run only when its Perl module loads.

#include <filesystem>
#include <string>

#include "harvest_run.hpp"
#include "scenarios.hpp"

#ifndef OAIHARVEST_BENCH_DIR
#error "OAIHARVEST_BENCH_DIR must name tests/bench"
#endif

namespace oaiharvest::bench {
namespace {

bool perl_module_loads(const std::string& module) {
    return run_child({"perl", "-M" + module, "-e", "1"}).exit_code == 0;
}

void add_peer(const std::string& label, const ChildResult& child, std::size_t records,
              const ServerProcess& server, Figures& figures) {
    if (child.exit_code != 0) {
        figures.fail(label + " exited " + std::to_string(child.exit_code) + ": " +
                     child.err.substr(0, 2000));
        return;
    }
    // Catmandu's OAI importer skips deleted records; HTTP::OAI's callback sees them all.
    if (records + records / 20 < server.records || records > server.records) {
        figures.fail(label + " returned " + std::to_string(records) + " records of " +
                     std::to_string(server.records));
    }
    figures.add(label + " records/s", "rec/s", static_cast<double>(server.records) / child.wall_s);
    figures.add(label + " MB/s", "MB/s", mb(static_cast<double>(server.bytes)) / child.wall_s);
    figures.add(label + " CPU user+sys", "s", child.user_s + child.sys_s);
    figures.add(label + " records per CPU second", "rec/s",
                static_cast<double>(server.records) / (child.user_s + child.sys_s));
    figures.add(label + " ru_maxrss", "MiB", mib_of_kib(static_cast<double>(child.maxrss_kib)));
}

}  // namespace

void run_peers(const BenchOptions& options, const ServerProcess& server, int run,
               Figures& figures) {
    const std::string url = server.oai_url();
    // oaiharvest on the same pages, for the ratios.
    const std::string dir = options.workdir + "/peers" + std::to_string(run);
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    write_config(dir + "/bench.toml");
    auto ours = run_harvest(options, dir + "/bench.toml", dir + "/peer.db", url, "peer");
    std::filesystem::remove_all(dir);
    if (ours.child.exit_code != 0) {
        figures.fail("harvest of the peer corpus exited " + std::to_string(ours.child.exit_code));
    } else {
        figures.add("oaiharvest (peer corpus) records/s", "rec/s",
                    static_cast<double>(server.records) / ours.child.wall_s);
        figures.add("oaiharvest (peer corpus) records per CPU second", "rec/s",
                    static_cast<double>(server.records) / (ours.child.user_s + ours.child.sys_s));
    }
    if (perl_module_loads("Catmandu::Importer::OAI")) {
        // The default handler for a prefix other than oai_dc/mods/marcxml is "struct": the
        // metadata as a Perl structure, then JSON, one record a line.
        auto child = run_child({"catmandu", "convert", "OAI", "--url", url, "--metadataPrefix",
                                "mets", "to", "JSON", "--line_delimited", "1"},
                               Stdout::count_only);
        add_peer("Catmandu::OAI", child, child.out_lines, server, figures);
    } else {
        figures.note("Catmandu::OAI: not installed (apt-get install libcatmandu-oai-perl)");
    }
    if (perl_module_loads("HTTP::OAI")) {
        auto child = run_child(
            {"perl", std::string(OAIHARVEST_BENCH_DIR) + "/http_oai_harvest.pl", url, "mets"});
        std::size_t records = child.exit_code == 0 ? std::stoul("0" + child.out) : 0;
        add_peer("HTTP::OAI", child, records, server, figures);
    } else {
        figures.note("HTTP::OAI: not installed (apt-get install libhttp-oai-perl)");
    }
}

}  // namespace oaiharvest::bench
