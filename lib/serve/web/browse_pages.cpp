// An endpoint's records a page at a time: "/endpoint" (all, A-Z by identifier), "/set", "/year"
// and "/author" (store/browse.hpp's lists, resumed with `after`).

#include <limits>

#include "serve/web/fragments.hpp"
#include "serve/web/layout.hpp"
#include "serve/web/pages.hpp"
#include "store/browse.hpp"

namespace oaiharvest::serve::web {
namespace {

// Highest year a record can have: items' year is the first four digits of date_issued.
constexpr std::int64_t k_max_year = 9999;

// What a list page needs besides its records: the heading's words, and its link with the
// filter but not the cursor.
// (Filled in member by member: g++ 12 warns of an uninitialized string in the aggregate's
// brace initialization, wrongly.)
struct ListPage {
    ListPage(std::string name, Link link) : endpoint(std::move(name)), self(std::move(link)) {}
    std::string endpoint;
    store::RecordFilter filter;
    store::RecordCursor after;
    std::string title;  // the endpoint's name, "Set types=book" ...
    Link self;
};

// The endpoint the page is of, or the reply that says why there is none.
std::expected<store::EndpointSummary, WebReply> endpoint_of(store::Store& store,
                                                            const Params& params) {
    const auto name = params.required("endpoint");
    if (!name) {
        return std::unexpected(error_reply(400, name.error()));
    }
    auto e = store::endpoint_summary(store, std::string(*name));
    if (!e) {
        return std::unexpected(
            error_reply(404, "The mirror has no repository named " + std::string(*name) + "."));
    }
    return *e;
}

// The links to what an endpoint can be browsed by.
void browse_nav(Html& h, const std::string& endpoint) {
    h.markup("<p>Browse: ")
        .link(endpoint_link("/endpoint", endpoint), "all records")
        .markup(" · ")
        .link(endpoint_link("/sets", endpoint), "by set")
        .markup(" · ")
        .link(endpoint_link("/years", endpoint), "by year")
        .markup(" · ")
        .link(endpoint_link("/authors", endpoint), "by author")
        .markup("</p>\n");
}

WebReply list_reply(store::Store& store, const ListPage& page, Html& h) {
    const auto list =
        store::browse_records(store, page.endpoint, page.filter, page.after, k_records_per_page);
    const bool resumed = page.after.identifier || page.after.key;
    if (list.records.empty()) {
        if (page.filter.by == store::RecordFilter::By::all && !resumed) {
            h.markup("<p>No live records.</p>\n");
            return page_reply(page.title, h.str());
        }
        return error_reply(404, resumed ? "No more records after this point."
                                        : "No live records of " + page.endpoint + " are here.");
    }
    record_list(h, page.endpoint, list.records);
    std::optional<Link> next;
    if (list.more) {
        const auto& last = list.records.back();
        next = page.self;
        const bool by_identifier = page.filter.by == store::RecordFilter::By::all ||
                                   page.filter.by == store::RecordFilter::By::set;
        next->with("after", by_identifier ? last.identifier : std::to_string(last.key));
    }
    pager(h, resumed ? std::optional(page.self) : std::nullopt, next);
    return page_reply(page.title, h.str());
}

// The cursor of a list by key, or the reply that says what is wrong with it.
std::expected<store::RecordCursor, WebReply> key_cursor(const Params& params) {
    const auto after = params.number("after", 0, std::numeric_limits<std::int64_t>::max());
    if (!after) {
        return std::unexpected(error_reply(400, after.error()));
    }
    return store::RecordCursor{std::nullopt, *after};
}

store::RecordCursor identifier_cursor(const Params& params) {
    const auto after = params.get("after");
    return {after ? std::optional<std::string>(*after) : std::nullopt, std::nullopt};
}

}  // namespace

WebReply endpoint_page(store::Store& store, const Params& params) {
    const auto e = endpoint_of(store, params);
    if (!e) {
        return e.error();
    }
    Html h;
    h.element("h1", e->name).markup("\n");
    if (e->repository_name) {
        h.markup("<p>").text(*e->repository_name).markup("</p>\n");
    }
    h.markup("<p class=\"meta\">")
        .text(count_of(e->records, "record", "records") +
              ", deleted ones included. Harvested from ")
        .external_link(e->base_url, e->base_url)
        .markup("</p>\n");
    browse_nav(h, e->name);
    h.markup("<h2>Records by identifier</h2>\n");
    ListPage page(e->name, endpoint_link("/endpoint", e->name));
    page.after = identifier_cursor(params);
    page.title = e->name;
    return list_reply(store, page, h);
}

WebReply set_page(store::Store& store, const Params& params) {
    const auto e = endpoint_of(store, params);
    if (!e) {
        return e.error();
    }
    const auto spec = params.required("set");
    if (!spec) {
        return error_reply(400, spec.error());
    }
    const std::string label = set_label(*spec);
    Html h;
    h.markup("<h1>Set ").text(label).markup("</h1>\n<p class=\"meta\">");
    if (label != *spec) {
        h.text("setSpec " + std::string(*spec) + " · ");
    }
    h.markup("in ").link(endpoint_link("/endpoint", e->name), e->name).markup("</p>\n");
    browse_nav(h, e->name);
    ListPage page(e->name, endpoint_link("/set", e->name).with("set", *spec));
    page.filter.by = store::RecordFilter::By::set;
    page.filter.value = *spec;
    page.after = identifier_cursor(params);
    page.title = "Set " + label;
    return list_reply(store, page, h);
}

WebReply year_page(store::Store& store, const Params& params) {
    const auto e = endpoint_of(store, params);
    if (!e) {
        return e.error();
    }
    const auto value = params.required("year");
    if (!value) {
        return error_reply(400, value.error());
    }
    std::optional<std::int64_t> year;
    if (*value != "unknown") {
        const auto number = params.number("year", 0, k_max_year);
        if (!number) {
            return error_reply(400, number.error() + " Or \"unknown\".");
        }
        year = *number;
    }
    const auto after = key_cursor(params);
    if (!after) {
        return after.error();
    }
    const std::string title = year ? "Issued in " + std::to_string(*year) : "Year unknown";
    Html h;
    h.element("h1", title).markup("\n<p class=\"meta\">in ");
    h.link(endpoint_link("/endpoint", e->name), e->name).markup(", in the order harvested</p>\n");
    browse_nav(h, e->name);
    ListPage page(e->name, endpoint_link("/year", e->name).with("year", *value));
    page.filter.by = store::RecordFilter::By::year;
    page.filter.year = year;
    page.after = *after;
    page.title = title;
    return list_reply(store, page, h);
}

WebReply author_page(store::Store& store, const Params& params) {
    const auto e = endpoint_of(store, params);
    if (!e) {
        return e.error();
    }
    const auto name = params.required("name");
    if (!name) {
        return error_reply(400, name.error());
    }
    const auto after = key_cursor(params);
    if (!after) {
        return after.error();
    }
    Html h;
    h.element("h1", *name).markup("\n<p class=\"meta\">Author in ");
    h.link(endpoint_link("/endpoint", e->name), e->name).markup(", in the order harvested</p>\n");
    browse_nav(h, e->name);
    ListPage page(e->name, endpoint_link("/author", e->name).with("name", *name));
    page.filter.by = store::RecordFilter::By::author;
    page.filter.value = *name;
    page.after = *after;
    page.title = *name;
    return list_reply(store, page, h);
}

}  // namespace oaiharvest::serve::web
