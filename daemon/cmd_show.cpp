#include <CLI/CLI.hpp>
#include <algorithm>
#include <iostream>
#include <map>

#include "cli.hpp"
#include "context.hpp"
#include "document_json.hpp"
#include "documents/layout.hpp"
#include "record_json.hpp"
#include "store/documents.hpp"
#include "util/safe_text.hpp"
#include "util/time.hpp"

namespace oaiharvest::cli {
namespace {

struct ShowOptions {
    std::string identifier;
    bool raw = false;
    std::optional<std::string> endpoint;
    std::optional<std::string> prefix;
};

int preference(const std::string& prefix) {
    if (prefix == "mets") {
        return 0;
    }
    if (prefix == "mods") {
        return 1;
    }
    return prefix == "oai_dc" ? 2 : 3;
}

// Each document the record lists, its body where the mirror keeps it.
nlohmann::ordered_json documents_json(store::Store& store, const std::string& db_path,
                                      const store::StoredRecord& record) {
    nlohmann::ordered_json out = nlohmann::ordered_json::array();
    for (const auto& d : store::listed_documents(store, record.endpoint, record.identifier)) {
        std::optional<std::string> path;
        if (d.state == "stored" && d.sha256) {
            path = documents::body_path(db_path, *d.sha256).string();
        }
        out.push_back(document_json(store, d, path));
    }
    return out;
}

int run_show(const GlobalOptions& global, const ShowOptions& o) {
    auto store = open_existing_store(global);
    auto found = store::find_records(*store, o.identifier);
    std::erase_if(found, [&](const store::StoredRecord& r) {
        return (o.endpoint && r.endpoint != *o.endpoint) ||
               (o.prefix && r.metadata_prefix != *o.prefix);
    });
    if (found.empty()) {
        std::cerr << "oaiharvest: no record " << util::printable(o.identifier) << " in "
                  << util::printable(store::database_name(database_path(global))) << "\n";
        return k_work_failed;
    }
    // One truth per record: a format's copy older than another's (a change or a deletion
    // harvested there first) is never the one shown unless it was asked for by --prefix.
    // Datestamps compare as times, as the harvest compares them; one that is not a date is
    // never newer.
    std::map<std::string, util::UtcTime> newest;  // endpoint -> the record's newest datestamp
    for (const auto& r : found) {
        if (auto t = util::parse_utc(r.datestamp)) {
            auto [at, added] = newest.emplace(r.endpoint, *t);
            if (!added && *t > at->second) {
                at->second = *t;
            }
        }
    }
    auto outdated = [&newest](const store::StoredRecord& r) {
        auto t = util::parse_utc(r.datestamp);
        auto n = newest.find(r.endpoint);
        return t && n != newest.end() && *t < n->second;
    };
    std::stable_sort(found.begin(), found.end(), [&](const auto& a, const auto& b) {
        const bool a_old = outdated(a), b_old = outdated(b);
        if (a_old != b_old) {
            return b_old;
        }
        return preference(a.metadata_prefix) < preference(b.metadata_prefix);
    });
    const auto& record = found.front();
    if (outdated(record)) {
        std::cerr << "oaiharvest: note: " << util::printable(o.identifier) << " has a newer copy "
                  << "in another format than " << util::printable(record.metadata_prefix) << "\n";
    }
    if (o.raw) {
        if (!record.metadata) {
            std::cerr << "oaiharvest: " << util::printable(o.identifier)
                      << " is deleted and was never harvested with metadata\n";
            return k_work_failed;
        }
        std::cout << *record.metadata;
        finish_stdout();
        return k_ok;
    }
    // The record's texts are the server's (an older version may have stored bytes that are not
    // UTF-8): C1 and bidirectional controls in them are escaped
    // (the same JSON value) so that printing a record cannot drive the terminal.
    auto json = record_json(record);
    // Only when there are any: the record JSON is the contract's, every key fixed, and a mirror
    // without documents prints it unchanged.
    if (auto documents = documents_json(*store, database_path(global), record);
        !documents.empty()) {
        json["documents"] = std::move(documents);
    }
    std::cout << util::json_terminal_safe(
                     json.dump(2, ' ', false, nlohmann::json::error_handler_t::replace))
              << "\n";
    finish_stdout();
    return k_ok;
}

}  // namespace

Runner add_show(CLI::App& app, const GlobalOptions& global) {
    auto options = std::make_shared<ShowOptions>();
    auto* cmd = app.add_subcommand("show", "one stored record as JSON, or its raw metadata XML");
    cmd->add_option("identifier", options->identifier, "the OAI identifier")->required();
    cmd->add_flag("--raw", options->raw, "print the metadata XML exactly as harvested");
    cmd->add_option("--endpoint", options->endpoint, "only from this endpoint");
    cmd->add_option("--prefix", options->prefix,
                    "this metadata format (default: mets, mods, oai_dc in that order)");
    return [&global, options] { return run_show(global, *options); };
}

}  // namespace oaiharvest::cli
