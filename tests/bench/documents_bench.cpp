// The documents stage (issue 15): what `harvest` with documents = true adds to a harvest, in
// documents/s and MB/s over loopback, against the same metadata harvest with documents off and
// a bare libcurl loop over the same files. See docs/performance.md.

#include <filesystem>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "harvest_run.hpp"
#include "limits.hpp"
#include "scenarios.hpp"

namespace oaiharvest::bench {
namespace {

namespace fs = std::filesystem;

struct DocumentCounts {
    std::int64_t stored = -1;
    std::int64_t pending = -1;
    std::int64_t failed = -1;
    std::int64_t refused = -1;
    std::string last_error;
};

// The first scope's `documents` object of `status --json`; -1s when unreadable.
DocumentCounts read_documents(const BenchOptions& options, const std::string& config,
                              const std::string& db) {
    DocumentCounts counts;
    auto status = run_child({options.binary, "-c", config, "--db", db, "status", "--json"});
    auto json = nlohmann::json::parse(status.out, nullptr, false);
    if (status.exit_code != 0 || json.is_discarded() || !json.is_array() || json.empty() ||
        !json[0].contains("documents") || !json[0]["documents"].is_object()) {
        return counts;
    }
    const auto& documents = json[0]["documents"];
    counts.stored = documents.value("stored", std::int64_t{-1});
    counts.pending = documents.value("pending", std::int64_t{-1});
    counts.failed = documents.value("failed", std::int64_t{-1});
    counts.refused = documents.value("refused", std::int64_t{-1});
    if (documents.contains("last_error") && documents["last_error"].is_string()) {
        counts.last_error = documents["last_error"].get<std::string>();
    }
    return counts;
}

// The body files under the mirror's documents folder: how many, and their bytes.
std::pair<std::size_t, std::size_t> stored_bodies(const std::string& db) {
    std::size_t files = 0;
    std::size_t bytes = 0;
    std::error_code error;
    for (fs::recursive_directory_iterator it(db + ".documents/sha256", error), end;
         !error && it != end; it.increment(error)) {
        if (it->is_regular_file()) {
            ++files;
            bytes += it->file_size();
        }
    }
    return {files, bytes};
}

ChildResult harvest(const BenchOptions& options, const std::string& config, const std::string& db) {
    return run_child({options.binary, "-c", config, "--db", db, "-v", "harvest", "docs"});
}

bool succeeded(const ChildResult& child, const std::string& what, Figures& figures) {
    if (child.exit_code != 0) {
        figures.fail(what + " exited " + std::to_string(child.exit_code) + ": " +
                     child.err.substr(0, 2000));
    }
    return child.exit_code == 0;
}

// Every file listed stored once, nothing failed, pending or refused, and the bytes on disk
// those the server sent.
void check_stored(const DocumentCounts& counts, const std::string& db, const ServerProcess& server,
                  Figures& figures) {
    const auto expected = static_cast<std::int64_t>(server.documents);
    if (counts.stored != expected || counts.pending != 0 || counts.failed != 0 ||
        counts.refused != 0) {
        figures.fail("documents stage: status says " + std::to_string(counts.stored) + " stored, " +
                     std::to_string(counts.pending) + " pending, " + std::to_string(counts.failed) +
                     " failed, " + std::to_string(counts.refused) + " refused; expected " +
                     std::to_string(expected) + " stored" +
                     (counts.last_error.empty() ? "" : " (last error: " + counts.last_error + ")"));
    }
    const auto [files, bytes] = stored_bodies(db);
    if (files != server.documents || bytes != server.document_bytes) {
        figures.fail("documents stage: " + std::to_string(files) + " bodies of " +
                     std::to_string(bytes) + " bytes in the folder, expected " +
                     std::to_string(server.documents) + " of " +
                     std::to_string(server.document_bytes));
    }
}

void run_bare_loop(const ServerProcess& server, const std::string& dir, Figures& figures) {
    std::vector<std::string> urls;
    std::istringstream list(http_get(server.base + "/documents"));
    for (std::string url; std::getline(list, url);) {
        urls.push_back(url);
    }
    fs::create_directories(dir);
    const auto bare = measure_document_limits(urls, dir);
    if (!bare.ok) {
        figures.fail("bare documents loop: " + bare.error);
        return;
    }
    if (bare.documents != server.documents || bare.bytes != server.document_bytes) {
        figures.fail("bare documents loop: " + std::to_string(bare.documents) + " documents of " +
                     std::to_string(bare.bytes) + " bytes, expected " +
                     std::to_string(server.documents) + " of " +
                     std::to_string(server.document_bytes));
        return;
    }
    const auto documents = static_cast<double>(bare.documents);
    const auto megabytes = mb(static_cast<double>(bare.bytes));
    figures.add("bare libcurl loop (documents) documents/s", "doc/s", documents / bare.network_s);
    figures.add("bare libcurl loop (documents) MB/s", "MB/s", megabytes / bare.network_s);
    figures.add("bare write + fsync (documents) documents/s", "doc/s", documents / bare.store_s);
    const double both = bare.network_s + bare.store_s;
    figures.add("bare download + write + fsync documents/s", "doc/s", documents / both);
    figures.add("bare download + write + fsync MB/s", "MB/s", megabytes / both);
}

}  // namespace

void run_documents(const BenchOptions& options, const ServerProcess& server, int run,
                   Figures& figures) {
    const std::string dir = options.workdir + "/documents" + std::to_string(run);
    fs::remove_all(dir);
    fs::create_directories(dir);
    const auto endpoint = [&server](bool documents) {
        return "[[endpoint]]\nname = \"docs\"\nurl = \"" + server.oai_url() +
               "\"\nprefixes = [\"mets\"]\ndocuments = " + (documents ? "true" : "false") + "\n";
    };
    const std::string off = dir + "/off.toml";
    const std::string on = dir + "/on.toml";
    write_config(off, endpoint(false));
    write_config(on, endpoint(true));
    const std::string db = dir + "/mirror.db";

    // The baseline: the metadata alone.
    auto metadata = harvest(options, off, db);
    if (!succeeded(metadata, "documents corpus: metadata harvest", figures)) {
        fs::remove_all(dir);
        return;
    }
    check_scope(read_status(options, db), server.records, "documents corpus", figures);
    figures.add("documents corpus: metadata harvest wall", "s", metadata.wall_s);

    // The same mirror with documents on: a no-change metadata harvest, then the whole stage
    // (sync, downloads, text extraction and indexing).
    const std::size_t served_before = server.counter("documents");
    auto stage = harvest(options, on, db);
    if (succeeded(stage, "documents stage harvest", figures)) {
        const auto documents = static_cast<double>(server.documents);
        const auto megabytes = mb(static_cast<double>(server.document_bytes));
        figures.add("documents stage wall", "s", stage.wall_s);
        figures.add("documents stage documents/s", "doc/s", documents / stage.wall_s);
        figures.add("documents stage MB/s", "MB/s", megabytes / stage.wall_s);
        figures.add("documents stage CPU user+sys (workers included)", "s",
                    stage.user_s + stage.sys_s);
        figures.add("documents stage peak RSS (ru_maxrss)", "MiB",
                    mib_of_kib(static_cast<double>(stage.maxrss_kib)));
        check_stored(read_documents(options, on, db), db, server, figures);
        if (server.counter("documents") - served_before != server.documents) {
            figures.fail("documents stage: the server sent " +
                         std::to_string(server.counter("documents") - served_before) +
                         " documents, expected each of the " + std::to_string(server.documents) +
                         " once");
        }
        // The PDFs' text went through the worker and into the index.
        auto found = run_child(
            {options.binary, "--db", db, "search", "\"a PDF of the documents scenario\""});
        if (server.pdfs > 0 && (found.exit_code != 0 || found.out_lines == 0)) {
            figures.fail("documents stage: search found no PDF's text (exit " +
                         std::to_string(found.exit_code) + ")");
        }
    }

    // Nothing changed: no document is asked for again.
    const std::size_t served_again = server.counter("documents");
    auto again = harvest(options, on, db);
    if (succeeded(again, "documents no-change re-harvest", figures)) {
        figures.add("documents no-change re-harvest wall", "s", again.wall_s);
        if (server.counter("documents") != served_again) {
            figures.fail("documents no-change re-harvest asked for documents again");
        }
    }

    run_bare_loop(server, dir + "/bare", figures);
    fs::remove_all(dir);
}

}  // namespace oaiharvest::bench
