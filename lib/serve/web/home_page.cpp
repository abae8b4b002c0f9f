// "/": the search box and the mirror's endpoints.

#include "serve/web/fragments.hpp"
#include "serve/web/layout.hpp"
#include "serve/web/pages.hpp"
#include "store/browse.hpp"

namespace oaiharvest::serve::web {

WebReply home_page(store::Store& store, const Params& /*params*/) {
    Html h;
    h.markup(
        "<h1>Search the mirror</h1>\n"
        "<form action=\"/search\" method=\"get\" role=\"search\">"
        "<input type=\"search\" name=\"q\" aria-label=\"Words to search for\" "
        "placeholder=\"Words in titles, abstracts, names, subjects\">"
        "<button type=\"submit\">Search</button></form>\n"
        "<p class=\"meta\">Words, \"a phrase\", AND, OR, NOT, prefix*.</p>\n"
        "<h2>Repositories</h2>\n");
    const auto endpoints = store::endpoint_summaries(store);
    if (endpoints.empty()) {
        h.markup("<p>Nothing has been harvested yet.</p>\n");
        return page_reply("Search", h.str(), {.header_search = false});
    }
    h.markup(
        "<table>\n<thead><tr><th>Repository</th><th class=\"n\">Records</th></tr></thead>\n"
        "<tbody>\n");
    for (const auto& e : endpoints) {
        h.markup("<tr><td>").link(endpoint_link("/endpoint", e.name), e.name);
        if (e.repository_name && *e.repository_name != e.name) {
            h.markup("<br><span class=\"meta\">").text(*e.repository_name).markup("</span>");
        }
        h.markup("</td><td class=\"n\">").text(grouped(e.records)).markup("</td></tr>\n");
    }
    h.markup(
        "</tbody>\n</table>\n<p class=\"meta\">Records are counted with the deleted "
        "ones.</p>\n");
    return page_reply("Search", h.str(), {.header_search = false});
}

}  // namespace oaiharvest::serve::web
