// MODS titleInfo, and the host an item appeared in (relatedItem type="host", part).

#include "metadata/detail/readers.hpp"
#include "metadata/detail/xml.hpp"

namespace oaiharvest::metadata::detail {
namespace {

// nonSort before the title: "The" + "Title", but "L'" + "amour" without a space.
std::string join_non_sort(std::string non_sort, const std::string& title) {
    if (!non_sort.ends_with('\'') && !non_sort.ends_with("\u2019") && !non_sort.ends_with('-')) {
        non_sort += ' ';
    }
    return non_sort + title;
}

ModsTitle read_title_info(const xmlNode* info) {
    std::optional<std::string> non_sort;
    ModsTitle t;
    for (const xmlNode* c : Elements(info)) {
        if (is(c, Ns::mods, "title")) {
            set_once(t.title, c);
        } else if (is(c, Ns::mods, "subTitle")) {
            set_once(t.subtitle, c);
        } else if (is(c, Ns::mods, "nonSort")) {
            set_once(non_sort, c);
        }
    }
    if (t.title && non_sort) {
        t.title = join_non_sort(std::move(*non_sort), *t.title);
    }
    return t;
}

}  // namespace

ModsTitle read_mods_title(const xmlNode* container) {
    ModsTitle first;
    for (const xmlNode* c : Elements(container)) {
        if (!is(c, Ns::mods, "titleInfo")) {
            continue;
        }
        ModsTitle t = read_title_info(c);
        if (!t.title) {
            continue;
        }
        if (attribute(c, "type").value_or("").empty()) {
            return t;
        }
        if (!first.title) {
            first = std::move(t);
        }
    }
    return first;
}

void read_mods_part(const xmlNode* part, Host& host) {
    for (const xmlNode* c : Elements(part)) {
        if (is(c, Ns::mods, "detail")) {
            const auto type = attribute(c, "type").value_or("");
            const xmlNode* number = child(c, Ns::mods, "number");
            const xmlNode* value = number != nullptr ? number : c;
            if (iequals(type, "volume")) {
                set_once(host.volume, value);
            } else if (iequals(type, "issue") || iequals(type, "number")) {
                set_once(host.issue, value);
            } else if (iequals(type, "page") || iequals(type, "pages")) {
                set_once(host.pages, value);
            }
        } else if (is(c, Ns::mods, "extent") && !host.pages) {
            const auto unit = attribute(c, "unit").value_or("page");
            if (!iequals(unit, "page") && !iequals(unit, "pages") && !iequals(unit, "pp")) {
                continue;
            }
            std::optional<std::string> start, end, list;
            for (const xmlNode* e : Elements(c)) {
                if (is(e, Ns::mods, "start")) {
                    set_once(start, e);
                } else if (is(e, Ns::mods, "end")) {
                    set_once(end, e);
                } else if (is(e, Ns::mods, "list")) {
                    set_once(list, e);
                }
            }
            host.pages = start && end ? *start + "-" + *end : start ? start : list;
        }
    }
}

Host read_mods_host(const xmlNode* item) {
    Host host;
    host.title = read_mods_title(item).title;
    for (const xmlNode* c : Elements(item)) {
        if (is(c, Ns::mods, "identifier") && !host.issn) {
            const auto type = attribute(c, "type").value_or("");
            if (iequals(type, "issn") || iequals(type, "eissn") || iequals(type, "issn-l")) {
                host.issn = text(c);
            }
        } else if (is(c, Ns::mods, "part")) {
            read_mods_part(c, host);
        }
    }
    return host;
}

bool is_empty(const Host& h) {
    return !h.title && !h.issn && !h.volume && !h.issue && !h.pages;
}

}  // namespace oaiharvest::metadata::detail
