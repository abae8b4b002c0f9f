// "/record?endpoint=E&id=IDENTIFIER[&format=PREFIX]": one record, every field of its normalized
// JSON (the contract's record JSON, as `show` prints it), its links and files.

#include <algorithm>
#include <nlohmann/json.hpp>

#include "serve/web/fragments.hpp"
#include "serve/web/layout.hpp"
#include "serve/web/pages.hpp"
#include "serve/web/record_fields.hpp"
#include "store/queries.hpp"
#include "util/time.hpp"

namespace oaiharvest::serve::web {
namespace {

// The copies a page may show: the current ones (no other format of the record has a later
// datestamp; one that is no date is never later), as show and search pick them.
std::vector<const store::StoredRecord*> current(const std::vector<store::StoredRecord>& copies) {
    std::optional<util::UtcTime> newest;
    for (const auto& c : copies) {
        if (const auto t = util::parse_utc(c.datestamp); t && (!newest || *t > *newest)) {
            newest = t;
        }
    }
    std::vector<const store::StoredRecord*> out;
    for (const auto& c : copies) {
        const auto t = util::parse_utc(c.datestamp);
        if (!t || *t == *newest) {
            out.push_back(&c);
        }
    }
    return out;
}

// The copy to show: the format asked for, else a live current copy, else a current one; the
// first by prefix among equals.
const store::StoredRecord* chosen(const std::vector<store::StoredRecord>& copies,
                                  const std::optional<std::string_view>& format) {
    if (format) {
        const auto it = std::find_if(copies.begin(), copies.end(),
                                     [&](const auto& c) { return c.metadata_prefix == *format; });
        return it == copies.end() ? nullptr : &*it;
    }
    const auto now = current(copies);
    const auto live =
        std::find_if(now.begin(), now.end(), [](const auto* c) { return !c->deleted; });
    return live != now.end() ? *live : now.empty() ? nullptr : now.front();
}

// The formats the record was harvested in, each linking to its copy.
void formats(Html& h, const std::vector<store::StoredRecord>& copies,
             const store::StoredRecord& shown) {
    if (copies.size() < 2) {
        return;
    }
    const auto now = current(copies);
    h.markup("<p class=\"meta\">Harvested as: ");
    bool first = true;
    for (const auto& c : copies) {
        h.markup(first ? "" : " · ");
        first = false;
        std::string words = c.metadata_prefix;
        if (std::find(now.begin(), now.end(), &c) == now.end()) {
            words += " (older copy)";
        } else if (c.deleted) {
            words += " (deleted)";
        }
        if (&c == &shown) {
            h.markup("<strong>").text(words).markup("</strong>");
        } else {
            h.link(record_link(c.endpoint, c.identifier).with("format", c.metadata_prefix), words);
        }
    }
    h.markup("</p>\n");
}

}  // namespace

WebReply record_page(store::Store& store, const Params& params) {
    const auto endpoint = params.required("endpoint");
    if (!endpoint) {
        return error_reply(400, endpoint.error());
    }
    const auto id = params.required("id");
    if (!id) {
        return error_reply(400, id.error());
    }
    auto copies = store::find_records(store, std::string(*id));
    std::erase_if(copies, [&](const auto& c) { return c.endpoint != *endpoint; });
    if (copies.empty()) {
        return error_reply(404, "The mirror holds no record " + std::string(*id) + " of " +
                                    std::string(*endpoint) + ".");
    }
    const auto format = params.get("format");
    const auto* shown = chosen(copies, format);
    if (!shown) {
        return error_reply(404, "The record " + std::string(*id) + " was not harvested as " +
                                    std::string(format.value_or("")) + ".");
    }
    const auto json = nlohmann::json::parse(shown->json, nullptr, false);
    if (!json.is_object()) {
        return error_reply(500, "The stored JSON of " + std::string(*id) + " is damaged.");
    }
    Html h;
    record_fields(h, json, *shown);
    formats(h, copies, *shown);
    const auto title = json.value("title", nlohmann::json());
    return page_reply(title.is_string() ? title.get<std::string>() : std::string(*id), h.str());
}

}  // namespace oaiharvest::serve::web
