// "/search?q=...&page=N": store::search, the same full-text search as `oaiharvest search`,
// 20 hits a page.

#include "serve/web/fragments.hpp"
#include "serve/web/layout.hpp"
#include "serve/web/pages.hpp"
#include "store/queries.hpp"

namespace oaiharvest::serve::web {
namespace {

// store::search ranks every match and returns the best `limit`: page N asks for N pages' hits
// and shows the last. The cap bounds what one request holds and ranks again (1,000 small hits);
// a search with more results wants narrowing, not paging.
constexpr int k_max_page = 50;
// Longer text is no search anyone typed, and FTS5 parses and plans every word of it.
constexpr std::size_t k_max_query_bytes = 1000;

bool blank(std::string_view text) {
    return text.find_first_not_of(" \t\n\r\f") == std::string_view::npos;
}

}  // namespace

WebReply search_page(store::Store& store, const Params& params) {
    const std::string query(params.get("q").value_or(""));
    const auto page = params.number("page", 1, k_max_page);
    if (!page) {
        return error_reply(400, page.error() + " Only the first " +
                                    std::to_string(k_max_page * k_records_per_page) +
                                    " results of a search are shown; add words to narrow it.");
    }
    Html h;
    if (blank(query)) {
        h.markup("<h1>Search</h1>\n<p>Type words to look for in the box above.</p>\n");
        return page_reply("Search", h.str());
    }
    if (query.size() > k_max_query_bytes) {
        return error_reply(
            400, "The search is longer than " + std::to_string(k_max_query_bytes) + " bytes.");
    }
    const int n = static_cast<int>(page->value_or(1));
    const int limit = n * k_records_per_page + 1;
    // Plain words, as `oaiharvest search` reads them by default: punctuation is never an error.
    auto hits = store::search(store, query, limit);
    if (!hits) {
        h.element("h1", "Search")
            .markup("\n<p class=\"notice\">")
            .text("The search could not be read: " + hits.error() + ".");
        h.markup("</p>\n");
        return page_reply("Search", h.str(), {.query = query, .status = 400});
    }
    const int first = (n - 1) * k_records_per_page;
    const int total = static_cast<int>(hits->size());
    if (first >= total && n > 1) {
        return error_reply(404, "Page " + std::to_string(n) + " of this search is past its " +
                                    count_of(total, "result", "results") + ".");
    }
    h.markup("<h1>Search: ").text(query).markup("</h1>\n");
    if (total == 0) {
        h.markup("<p>No live record matches.</p>\n");
        return page_reply("Search: " + query, h.str(), {.query = query});
    }
    const int last = std::min(total, n * k_records_per_page);
    h.markup("<p class=\"meta\">Results ")
        .text(grouped(first + 1) + "–" + grouped(last))
        .markup(total > last ? ", best first.</p>\n" : " of " + grouped(total) + ".</p>\n");
    h.markup("<ol class=\"records\" start=\"").text(std::to_string(first + 1)).markup("\">\n");
    for (int i = first; i < last; ++i) {
        const auto& hit = (*hits)[static_cast<std::size_t>(i)];
        // As `oaiharvest search` marks it: the words are in a document's body, not the record.
        record_item(h, hit.endpoint, hit.identifier, hit.title, hit.names, hit.year, true,
                    hit.in_full_text ? "found in the full text" : "");
    }
    h.markup("</ol>\n");
    auto at = [&](int p) {
        return Link("/search").with("q", query).with("page", std::to_string(p));
    };
    std::optional<Link> next;
    if (total > last && n < k_max_page) {
        next = at(n + 1);
    }
    pager(h, n > 1 ? std::optional(at(1)) : std::nullopt, next);
    return page_reply("Search: " + query, h.str(), {.query = query});
}

}  // namespace oaiharvest::serve::web
