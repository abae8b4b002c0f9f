#include <array>
#include <cstdio>
#include <fstream>
#include <iostream>

#include "cli.hpp"
#include "context.hpp"
#include "export_formats.hpp"

namespace oaiharvest::cli {
namespace {

struct ExportOptions {
    std::string format = "jsonl";
    std::optional<std::string> endpoint;
    std::optional<std::string> since;
    bool include_deleted = false;
    std::optional<std::string> output;
};

int run_export(const GlobalOptions& global, const ExportOptions& o) {
    store::ExportFilter filter{o.endpoint, std::nullopt, o.include_deleted, o.format == "xml"};
    if (o.since) {
        auto t = util::parse_utc(*o.since);
        if (!t) {
            throw UsageError("--since \"" + *o.since +
                             "\" is not a date: use YYYY-MM-DD or YYYY-MM-DDThh:mm:ssZ");
        }
        filter.since = util::format_utc_seconds(*t);
    }
    auto store = open_existing_store(global);
    if (o.endpoint && !store->find_endpoint(*o.endpoint)) {
        throw UsageError("no endpoint named \"" + *o.endpoint + "\" in " + database_path(global));
    }
    // Whole 64 KiB blocks per write(2): stdout's default 4 KiB to a pipe costs a system call,
    // and a wake-up of the reader, every other record. 64 KiB is what a pipe holds; more made
    // the writer wait for the reader. Static: stdout may still use it at exit.
    static std::array<char, std::size_t{1} << 16> buffer;
    std::ofstream file;
    if (o.output) {
        file.rdbuf()->pubsetbuf(buffer.data(), static_cast<std::streamsize>(buffer.size()));
        file.open(*o.output, std::ios::binary | std::ios::trunc);
        if (!file) {
            throw UsageError("cannot write --output " + *o.output);
        }
    } else {
        std::setvbuf(stdout, buffer.data(), _IOFBF, buffer.size());
    }
    std::ostream& out = o.output ? static_cast<std::ostream&>(file) : std::cout;
    auto writer = make_export_writer(o.format, out);
    writer->begin();
    store::for_each_record(*store, filter, [&](const store::StoredRecord& r) { writer->write(r); });
    writer->end();
    out.flush();
    if (!out) {
        throw std::runtime_error("writing the export failed");
    }
    return k_ok;
}

}  // namespace

Runner add_export(CLI::App& app, const GlobalOptions& global) {
    auto options = std::make_shared<ExportOptions>();
    auto* cmd = app.add_subcommand("export", "the mirror, or what changed since a time");
    cmd->add_option("--format", options->format, "jsonl (default), csv or xml")
        ->check(CLI::IsMember({"jsonl", "csv", "xml"}));
    cmd->add_option("--endpoint", options->endpoint, "only this endpoint");
    cmd->add_option("--since", options->since, "only records changed at or after this time");
    cmd->add_flag("--include-deleted", options->include_deleted, "include deleted records");
    cmd->add_option("--output", options->output, "write to this file instead of stdout");
    return [&global, options] { return run_export(global, *options); };
}

}  // namespace oaiharvest::cli
