#include <CLI/CLI.hpp>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>

#include "cli.hpp"
#include "context.hpp"
#include "store/documents.hpp"
#include "store/lock_probe.hpp"
#include "store/queries.hpp"
#include "util/safe_text.hpp"
#include "util/url.hpp"

namespace oaiharvest::cli {
namespace {

// What the status shows was sent by servers, or stored by an older version that kept it raw
// (invalid UTF-8, terminal escapes, a base URL's password): made safe on the way out.
std::string safe(const std::string& text) {
    return util::printable(text);
}
std::optional<std::string> safe(const std::optional<std::string>& text) {
    return text ? std::optional(safe(*text)) : std::nullopt;
}
nlohmann::json json_of(const std::optional<std::string>& text) {
    return text ? nlohmann::json(safe(*text)) : nlohmann::json(nullptr);
}
std::string shown_url(const std::string& url) {
    return safe(util::redact_credentials(url));
}

using DocumentCounts = std::map<std::string, store::DocumentCounts>;

nlohmann::ordered_json to_json(const store::DocumentCounts& d) {
    return {{"stored", d.stored},
            {"pending", d.pending},
            {"failed", d.failed},
            {"refused", d.refused},
            {"last_error", json_of(d.last_error)},
            {"last_error_at", json_of(d.last_error_at)}};
}

// "  documents: 3 stored, 1 pending, 0 failed, 0 refused" and the last failure; nothing for an
// endpoint without documents.
void print_documents(const store::DocumentCounts& d) {
    if (d.stored + d.pending + d.failed + d.refused == 0) {
        return;
    }
    std::cout << "  documents: " << d.stored << " stored, " << d.pending << " pending, " << d.failed
              << " failed, " << d.refused << " refused\n";
    if (d.last_error) {
        std::cout << "  last document error " << safe(d.last_error_at).value_or("?") << ": "
                  << safe(*d.last_error) << "\n";
    }
}

nlohmann::ordered_json to_json(const store::ScopeStatus& s, const DocumentCounts& documents) {
    nlohmann::ordered_json j;
    j["endpoint"] = safe(s.endpoint);
    j["base_url"] = shown_url(s.base_url);
    j["repository_name"] = json_of(s.repository_name);
    j["granularity"] = json_of(s.granularity);
    j["deleted_record"] = json_of(s.deleted_record);
    j["endpoint_error"] = json_of(s.endpoint_error);
    j["endpoint_error_at"] = json_of(s.endpoint_error_at);
    j["metadata_prefix"] = s.metadata_prefix.empty() ? nlohmann::json(nullptr)
                                                     : nlohmann::json(safe(s.metadata_prefix));
    j["set"] = s.set_spec.empty() ? nlohmann::json(nullptr) : nlohmann::json(safe(s.set_spec));
    j["records"] = s.records;
    j["deleted"] = s.deleted;
    j["gone"] = s.gone;
    j["next_from"] = json_of(s.next_from);
    j["pending_token"] = json_of(s.pending_token);
    j["pending_cursor"] = s.pending_cursor ? nlohmann::json(*s.pending_cursor) : nullptr;
    j["complete_list_size"] =
        s.complete_list_size ? nlohmann::json(*s.complete_list_size) : nullptr;
    j["next_due"] = s.next_due ? nlohmann::json(*s.next_due) : nullptr;
    j["documents"] = to_json(documents.at(s.endpoint));
    auto run_json = [](const store::LastRun& r) {
        nlohmann::ordered_json run = {
            {"started_at", r.started_at},
            {"finished_at", r.finished_at ? nlohmann::json(*r.finished_at) : nullptr},
            {"outcome", r.outcome},
            {"pages", r.pages},
            {"new", r.records_new},
            {"updated", r.records_updated},
            {"unchanged", r.records_unchanged},
            {"deleted", r.records_deleted},
            {"stale", r.records_stale},
            {"kept_metadata", r.records_kept_metadata}};
        if (r.kind == "reconcile") {
            run["gone"] = r.records_gone;
            run["sets_corrected"] = r.sets_corrected;
        }
        run["retries"] = r.retries;
        run["token_restarts"] = r.token_restarts;
        run["repaired_characters"] = r.repaired_characters;
        run["error"] = json_of(r.error);
        return run;
    };
    j["last_run"] = s.last_run ? run_json(*s.last_run) : nlohmann::ordered_json(nullptr);
    j["last_reconcile"] =
        s.last_reconcile ? run_json(*s.last_reconcile) : nlohmann::ordered_json(nullptr);
    return j;
}

void print_run(const char* what, const store::LastRun& r) {
    std::cout << "    " << what << ": " << r.started_at << " .. "
              << r.finished_at.value_or("(running)") << " " << r.outcome << ", " << r.pages
              << " pages, " << r.records_new << " new, " << r.records_updated << " updated, "
              << r.records_deleted << " deleted";
    if (r.kind == "reconcile") {
        std::cout << ", " << r.records_gone << " gone, " << r.sets_corrected
                  << " set memberships corrected";
    }
    if (r.records_stale > 0) {
        std::cout << ", " << r.records_stale << " older copies ignored";
    }
    if (r.records_kept_metadata > 0) {
        std::cout << ", " << r.records_kept_metadata << " headers without metadata";
    }
    if (r.retries > 0) {
        std::cout << ", " << r.retries << " retries";
    }
    if (r.token_restarts > 0) {
        std::cout << ", " << r.token_restarts << " token restarts";
    }
    if (r.repaired_characters > 0) {
        std::cout << ", " << r.repaired_characters << " characters repaired";
    }
    std::cout << "\n";
    if (r.error) {
        std::cout << "    error: " << safe(*r.error) << "\n";
    }
}

void print_text(const std::vector<store::ScopeStatus>& scopes, const DocumentCounts& documents) {
    std::string endpoint;
    for (const auto& s : scopes) {
        if (s.endpoint != endpoint) {
            endpoint = s.endpoint;
            std::cout << safe(s.endpoint) << "  " << shown_url(s.base_url) << "\n";
            std::cout << "  repository: " << safe(s.repository_name).value_or("?")
                      << "; granularity " << safe(s.granularity).value_or("?") << "; deletedRecord "
                      << safe(s.deleted_record).value_or("?") << "\n";
            if (s.next_due) {
                std::cout << "  next run (daemon): " << *s.next_due << "\n";
            }
            if (s.endpoint_error) {
                std::cout << "  failed " << safe(s.endpoint_error_at).value_or("?") << ": "
                          << safe(*s.endpoint_error) << "\n";
            }
            print_documents(documents.at(s.endpoint));
        }
        if (s.metadata_prefix.empty()) {
            std::cout << "  no scope harvested yet\n";
            continue;
        }
        std::cout << "  " << safe(s.metadata_prefix)
                  << (s.set_spec.empty() ? std::string(" (all sets)") : " set " + safe(s.set_spec))
                  << ": " << s.records << " records, " << s.deleted << " deleted";
        if (s.gone > 0) {
            std::cout << " (" << s.gone << " gone from the server's list)";
        }
        std::cout << "\n";
        if (s.last_run) {
            print_run("last run", *s.last_run);
        }
        if (s.last_reconcile) {
            print_run("last reconcile", *s.last_reconcile);
        }
        if (s.pending_token) {
            std::cout << "    pending token: " << safe(*s.pending_token);
            if (s.complete_list_size) {
                std::cout << " (" << s.list_records << " of " << *s.complete_list_size
                          << " records)";
            }
            std::cout << "\n";
        }
        std::cout << "    next from: "
                  << safe(s.next_from).value_or("(none: the next harvest is full)") << "\n";
    }
}

int run_status(const GlobalOptions& global, const std::vector<std::string>& names, bool json) {
    auto store = open_existing_store(global);
    auto scopes = store::scope_status(*store, names);
    // A run marked running while nobody holds the harvest lock (on PostgreSQL: its endpoint's
    // lease) is a killed process's.
    const auto leased = store::leased_endpoints(database_path(global));
    const bool lock_held = !leased && store::harvest_lock_held(database_path(global));
    for (auto& s : scopes) {
        if (leased ? leased->contains(s.endpoint) : lock_held) {
            continue;
        }
        for (auto* run : {&s.last_run, &s.last_reconcile}) {
            if (*run && (*run)->outcome == "running") {
                (*run)->outcome = "died";
                (*run)->error = "the process ended before the run finished";
            }
        }
    }
    for (const auto& name : names) {
        if (std::none_of(scopes.begin(), scopes.end(),
                         [&](const auto& s) { return s.endpoint == name; })) {
            throw UsageError("no endpoint named \"" + name + "\" in " +
                             store::database_name(database_path(global)));
        }
    }
    DocumentCounts documents;
    for (const auto& s : scopes) {
        if (!documents.contains(s.endpoint)) {
            documents[s.endpoint] = store::document_counts(*store, s.endpoint);
        }
    }
    if (json) {
        nlohmann::ordered_json out = nlohmann::ordered_json::array();
        for (const auto& s : scopes) {
            out.push_back(to_json(s, documents));
        }
        // Replace, not throw: one bad byte must not hide the status of the whole mirror.
        std::cout << util::json_terminal_safe(
                         out.dump(2, ' ', false, nlohmann::json::error_handler_t::replace))
                  << "\n";
    } else {
        print_text(scopes, documents);
    }
    finish_stdout();
    return k_ok;
}

}  // namespace

Runner add_status(CLI::App& app, const GlobalOptions& global) {
    struct Options {
        std::vector<std::string> names;
        bool json = false;
    };
    auto options = std::make_shared<Options>();
    auto* cmd = app.add_subcommand("status", "per endpoint and scope: records, last run, window");
    cmd->add_option("names", options->names, "endpoints to show (default: all)");
    cmd->add_flag("--json", options->json, "print JSON");
    return [&global, options] { return run_status(global, options->names, options->json); };
}

}  // namespace oaiharvest::cli
