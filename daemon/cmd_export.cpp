#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <array>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <span>

#include "cli.hpp"
#include "context.hpp"
#include "document_json.hpp"
#include "documents/body_copy.hpp"
#include "documents/layout.hpp"
#include "export_formats.hpp"
#include "store/documents.hpp"
#include "util/safe_text.hpp"

namespace oaiharvest::cli {
namespace {

struct ExportOptions {
    std::string format = "jsonl";
    std::optional<std::string> endpoint;
    std::optional<std::string> since;
    bool include_deleted = false;
    std::optional<std::string> output;
    std::optional<std::string> documents_dir;
};

// The documents of each exported record, with the path of each stored body: the mirror's own,
// or with --documents-dir the copy made there.
class ExportedDocuments {
public:
    ExportedDocuments(store::Store& store, std::string database,
                      std::optional<std::string> documents_dir)
        : m_store(store),
          m_database(std::move(database)),
          m_dir(std::move(documents_dir)),
          m_any(store::lists_documents(store)) {}

    nlohmann::ordered_json of(const store::StoredRecord& record) {
        nlohmann::ordered_json out = nlohmann::ordered_json::array();
        if (!m_any) {
            return out;
        }
        // JSONL and CSV read the record's JSON alone (ExportFilter::raw): its key is in there.
        std::string endpoint = record.endpoint;
        std::string identifier = record.identifier;
        bool deleted = record.deleted;
        if (identifier.empty()) {
            const auto json = nlohmann::json::parse(util::valid_utf8(record.json), nullptr, false);
            if (!json.is_object() || !json.value("identifier", nlohmann::json()).is_string()) {
                return out;
            }
            endpoint = json.value("endpoint", "");
            identifier = json["identifier"].get<std::string>();
            deleted = json.value("deleted", false);
        }
        if (deleted) {
            return out;
        }
        for (const auto& d : store::listed_documents(m_store, endpoint, identifier)) {
            std::optional<std::string> path;
            if (d.state == "stored" && d.sha256) {
                path = body(d);
            }
            out.push_back(document_json(m_store, d, path));
        }
        return out;
    }

private:
    std::optional<std::string> body(const store::ListedDocument& d) {
        if (!m_dir) {
            return documents::body_path(m_database, *d.sha256).string();
        }
        try {
            return documents::copy_body(m_database, *d.sha256, *m_dir).string();
        } catch (const std::filesystem::filesystem_error& e) {
            // A body the mirror lost (a document deleted as another endpoint stored it): the
            // export goes on without it, and says so.
            if (e.code() != std::errc::no_such_file_or_directory || e.path1().empty() ||
                e.path1() != documents::body_path(m_database, *d.sha256)) {
                output_failed(*m_dir, e.code().value());
            }
            std::cerr << "oaiharvest: export: the body of " << util::printable(d.url)
                      << " is missing from the mirror (" << e.path1().string()
                      << "); exported without a path\n";
            return std::nullopt;
        } catch (const std::system_error& e) {
            output_failed(*m_dir, e.code().value());
        }
    }

    store::Store& m_store;
    std::string m_database;
    std::optional<std::string> m_dir;
    bool m_any;
};

// The --output file. A regular file (or a new one) is written under a temporary name in its
// folder and renamed over the target only once complete and on disk: a reader never sees half
// an export, and a failed one leaves the old file as it was. A device or FIFO is written in
// place (renaming over /dev/full would be no export at all).
class OutputFile {
public:
    OutputFile(std::string target, std::span<char> buffer) : m_target(std::move(target)) {
        struct stat st {};
        bool in_place = ::stat(m_target.c_str(), &st) == 0 && !S_ISREG(st.st_mode);
        std::string open_as = m_target;
        if (!in_place) {
            std::string pattern = m_target + ".tmp-XXXXXX";
            int fd = ::mkstemp(pattern.data());
            if (fd < 0) {
                cannot_create(errno);
            }
            m_temporary = pattern;
            // mkstemp makes it 0600; the export gets the mode a new file would have.
            mode_t mask = ::umask(0);
            ::umask(mask);
            int chmod_rc = ::fchmod(fd, 0666 & ~mask);
            int error = errno;
            ::close(fd);
            if (chmod_rc != 0) {
                ::unlink(
                    m_temporary.c_str());  // the destructor of a throwing constructor never runs
                output_failed(m_temporary, error);
            }
            open_as = m_temporary;
        }
        m_file.rdbuf()->pubsetbuf(buffer.data(), static_cast<std::streamsize>(buffer.size()));
        m_file.open(open_as, std::ios::binary | std::ios::trunc);
        if (!m_file) {
            int error = errno;
            if (!m_temporary.empty()) {
                ::unlink(m_temporary.c_str());
            }
            cannot_create(error);
        }
    }
    ~OutputFile() {
        if (!m_temporary.empty()) {
            ::unlink(m_temporary.c_str());
        }
    }
    OutputFile(const OutputFile&) = delete;
    OutputFile& operator=(const OutputFile&) = delete;
    OutputFile(OutputFile&&) = delete;
    OutputFile& operator=(OutputFile&&) = delete;

    std::ostream& stream() { return m_file; }
    const std::string& target() const { return m_target; }

    // Flushes, syncs and renames; throws OutputError naming the target and why.
    void commit() {
        m_file.close();
        if (!m_file) {
            output_failed(m_target, errno);
        }
        if (m_temporary.empty()) {
            return;
        }
        // On disk before the rename: after a power loss the name holds the old export or the
        // whole new one, never an empty file.
        sync(m_temporary, O_RDONLY);
        if (::rename(m_temporary.c_str(), m_target.c_str()) != 0) {
            output_failed(m_target, errno);
        }
        m_temporary.clear();
        auto folder = std::filesystem::path(m_target).parent_path();
        sync(folder.empty() ? "." : folder.string(), O_RDONLY | O_DIRECTORY);
    }

private:
    // Not a write failure but a bad --output (a missing folder, say): a usage error.
    [[noreturn]] void cannot_create(int error) const {
        throw UsageError("cannot write --output " + m_target + ": " + std::strerror(error));
    }

    void sync(const std::string& path, int flags) const {
        int fd = ::open(path.c_str(), flags | O_CLOEXEC);
        if (fd < 0 || ::fsync(fd) != 0) {
            int error = errno;
            if (fd >= 0) {
                ::close(fd);
            }
            output_failed(m_target, error);
        }
        ::close(fd);
    }

    std::string m_target;
    std::string m_temporary;  // empty: written in place, or renamed already
    std::ofstream m_file;
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
        throw UsageError("no endpoint named \"" + *o.endpoint + "\" in " +
                         store::database_name(database_path(global)));
    }
    if (o.documents_dir) {
        std::error_code error;
        std::filesystem::create_directories(*o.documents_dir, error);
        if (error) {
            throw UsageError("cannot create --documents-dir " + *o.documents_dir + ": " +
                             error.message());
        }
    }
    // Whole 64 KiB blocks per write(2): stdout's default 4 KiB to a pipe costs a system call,
    // and a wake-up of the reader, every other record. 64 KiB is what a pipe holds; more made
    // the writer wait for the reader. Static: stdout may still use it at exit.
    static std::array<char, std::size_t{1} << 16> buffer;
    std::optional<OutputFile> file;
    if (o.output) {
        file.emplace(*o.output, buffer);
    } else {
        std::setvbuf(stdout, buffer.data(), _IOFBF, buffer.size());
    }
    std::ostream& out = file ? file->stream() : std::cout;
    auto failed = [&](int error) { output_failed(file ? file->target() : stdout_name(), error); };
    // Checked after every record: a full disk stops the export at once, with errno still
    // saying why.
    auto check = [&] {
        if (!out) {
            failed(errno);
        }
    };
    ExportedDocuments documents(*store, database_path(global), o.documents_dir);
    auto writer = make_export_writer(o.format, out);
    writer->begin();
    check();
    store::for_each_record(*store, filter, [&](const store::StoredRecord& r) {
        writer->write(r, documents.of(r));
        check();
    });
    writer->end();
    check();
    if (file) {
        file->commit();
    } else {
        finish_stdout();
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
    cmd->add_option("--output", options->output,
                    "write to this file instead of stdout (replaced only once complete)");
    cmd->add_option("--documents-dir", options->documents_dir,
                    "copy the bodies of the exported records' documents into this folder, and "
                    "give their paths there");
    return [&global, options] { return run_export(global, *options); };
}

}  // namespace oaiharvest::cli
