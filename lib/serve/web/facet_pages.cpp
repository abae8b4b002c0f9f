// What an endpoint can be browsed by: "/sets", "/years", "/authors", each value linking to its
// list of records, 100 values a page.

#include "serve/web/fragments.hpp"
#include "serve/web/layout.hpp"
#include "serve/web/pages.hpp"
#include "store/browse.hpp"

namespace oaiharvest::serve::web {
namespace {

std::expected<std::string, WebReply> endpoint_name(store::Store& store, const Params& params) {
    const auto name = params.required("endpoint");
    if (!name) {
        return std::unexpected(error_reply(400, name.error()));
    }
    if (!store::endpoint_summary(store, std::string(*name))) {
        return std::unexpected(
            error_reply(404, "The mirror has no repository named " + std::string(*name) + "."));
    }
    return std::string(*name);
}

// The page: a heading, the values as links (`link` of a value, `label` its words), a pager.
template <typename LinkOf, typename LabelOf>
WebReply facet_reply(const std::string& endpoint, const std::string& title,
                     const store::FacetList& list, bool resumed, const Link& self,
                     std::string_view cursor_name, LinkOf link, LabelOf label,
                     const std::string& extra_html = {}) {
    Html h;
    h.element("h1", title).markup("\n<p class=\"meta\">in ");
    h.link(endpoint_link("/endpoint", endpoint), endpoint).markup("</p>\n");
    if (list.facets.empty() && extra_html.empty()) {
        h.markup(resumed ? "<p>No more.</p>\n" : "<p>None.</p>\n");
    } else {
        h.markup("<ul class=\"facets\">\n");
        for (const auto& f : list.facets) {
            h.markup("<li>").link(link(f.value), label(f.value));
            if (f.records) {
                h.markup(" <span class=\"meta\">")
                    .text(count_of(*f.records, "record", "records"))
                    .markup("</span>");
            }
            h.markup("</li>\n");
        }
        h.markup(extra_html).markup("</ul>\n");
    }
    std::optional<Link> next;
    if (list.more) {
        next = self;
        next->with(cursor_name, list.facets.back().value);
    }
    pager(h, resumed ? std::optional(self) : std::nullopt, next);
    return page_reply(title, h.str());
}

}  // namespace

WebReply sets_page(store::Store& store, const Params& params) {
    const auto e = endpoint_name(store, params);
    if (!e) {
        return e.error();
    }
    const auto after = params.get("after");
    const auto list = store::sets(store, *e, std::string(after.value_or("")), k_facets_per_page);
    return facet_reply(
        *e, "Sets", list, after.has_value(), endpoint_link("/sets", *e), "after",
        [&](const std::string& spec) { return endpoint_link("/set", *e).with("set", spec); },
        [](const std::string& spec) { return set_label(spec); });
}

WebReply years_page(store::Store& store, const Params& params) {
    const auto e = endpoint_name(store, params);
    if (!e) {
        return e.error();
    }
    // One past the highest year, so that the year itself is on the page.
    const auto before = params.number("before", 0, 10000);
    if (!before) {
        return error_reply(400, before.error());
    }
    const auto list = store::years(store, *e, *before, k_facets_per_page);
    // The records without a year after the last year, on the page that ends the list.
    std::string extra;
    if (!list.more && store::has_undated(store, *e)) {
        Html h;
        h.markup("<li>")
            .link(endpoint_link("/year", *e).with("year", "unknown"), "Year unknown")
            .markup("</li>\n");
        extra = h.take();
    }
    return facet_reply(
        *e, "Years", list, before->has_value(), endpoint_link("/years", *e), "before",
        [&](const std::string& year) { return endpoint_link("/year", *e).with("year", year); },
        [](const std::string& year) { return year; }, extra);
}

WebReply authors_page(store::Store& store, const Params& params) {
    const auto e = endpoint_name(store, params);
    if (!e) {
        return e.error();
    }
    const auto after = params.get("after");
    const auto list = store::authors(store, *e, std::string(after.value_or("")), k_facets_per_page);
    return facet_reply(
        *e, "Authors", list, after.has_value(), endpoint_link("/authors", *e), "after",
        [&](const std::string& key) { return endpoint_link("/author", *e).with("name", key); },
        [](const std::string& key) { return key; });
}

}  // namespace oaiharvest::serve::web
