#include <CLI/CLI.hpp>
#include <iostream>
#include <nlohmann/json.hpp>

#include "cli.hpp"
#include "context.hpp"
#include "store/queries.hpp"

namespace oaiharvest::cli {
namespace {

struct SearchOptions {
    std::string query;
    int limit = 10;
    bool json = false;
    bool fts5 = false;
};

int run_search(const GlobalOptions& global, const SearchOptions& o) {
    if (o.limit < 1) {
        throw UsageError("--limit must be at least 1");
    }
    auto store = open_existing_store(global);
    auto hits = store::search(*store, o.query, o.limit,
                              o.fts5 ? search::QuerySyntax::fts5 : search::QuerySyntax::words);
    if (!hits && o.fts5) {
        throw UsageError("search: \"" + o.query + "\" is not a valid FTS5 query (" + hits.error() +
                         "); put words with punctuation in double quotes, e.g. '\"O'zbekiston\"', "
                         "or leave out --fts5 to search for the words as typed");
    }
    if (!hits) {
        throw UsageError("search: \"" + o.query + "\" cannot be searched: " + hits.error());
    }
    if (o.json) {
        nlohmann::ordered_json out = nlohmann::ordered_json::array();
        for (const auto& h : *hits) {
            out.push_back({{"endpoint", h.endpoint},
                           {"identifier", h.identifier},
                           {"year", h.year ? nlohmann::json(*h.year) : nullptr},
                           {"names", h.names},
                           {"title", h.title ? nlohmann::json(*h.title) : nullptr},
                           {"rank", h.rank},
                           {"in_full_text", h.in_full_text}});
        }
        std::cout << out.dump(2) << "\n";
        finish_stdout();
        return k_ok;
    }
    for (const auto& h : *hits) {
        std::string names;
        for (const auto& n : h.names) {
            names += (names.empty() ? "" : "; ") + n;
        }
        std::cout << h.identifier << "  " << (h.year ? std::to_string(*h.year) : "----") << "  "
                  << (names.empty() ? "(no names)" : names) << "  "
                  << h.title.value_or("(no title)")
                  << (h.in_full_text ? "  (in the full text)" : "") << "\n";
    }
    if (hits->empty()) {
        std::cerr << "no records match " << o.query << "\n";
    }
    finish_stdout();
    return k_ok;
}

}  // namespace

Runner add_search(CLI::App& app, const GlobalOptions& global) {
    auto options = std::make_shared<SearchOptions>();
    auto* cmd =
        app.add_subcommand("search", "full-text search over titles, abstracts, names, subjects");
    cmd->add_option("query", options->query, "words, \"a phrase\", prefix* (in any script)")
        ->required();
    cmd->add_flag("--fts5", options->fts5,
                  "read the query as SQLite FTS5 syntax: AND/OR/NOT, NEAR, column:word");
    cmd->add_option("--limit", options->limit, "at most this many hits (default 10)");
    cmd->add_flag("--json", options->json, "print JSON");
    return [&global, options] { return run_search(global, *options); };
}

}  // namespace oaiharvest::cli
