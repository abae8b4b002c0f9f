// MODS 3.x, as EPrints and others write it.

#include <optional>
#include <string>

#include "metadata/detail/readers.hpp"
#include "metadata/detail/values.hpp"
#include "metadata/detail/xml.hpp"

namespace oaiharvest::metadata::detail {
namespace {

// Of several dates the best: keyDate="yes", then one with an encoding (EPrints writes
// "iso8061" as often as "iso8601"), then the first; the end of a range only when alone.
struct DateChoice {
    std::optional<std::string> value;
    int score = -1;

    void consider(const xmlNode* date) {
        int s = 1;
        if (attribute_is(date, "point", "end")) {
            s = 0;
        } else if (attribute_is(date, "keyDate", "yes")) {
            s = 3;
        } else if (attribute(date, "encoding")) {
            s = 2;
        }
        if (s > score) {
            if (auto v = text(date)) {
                value = normalize_date(*v);
                score = s;
            }
        }
    }
};

struct Origin {
    DateChoice issued;
    DateChoice created;
    DateChoice copyright;
};

// One originInfo; several are merged (EPrints puts the date in one and the publisher in another).
void read_origin(const xmlNode* origin, Origin& dates, Description& d) {
    for (const xmlNode* c : Elements(origin)) {
        if (ns_of(c) != Ns::mods) {
            continue;
        }
        const auto local = local_name(c);
        if (local == "dateIssued") {
            dates.issued.consider(c);
        } else if (local == "dateCreated") {
            dates.created.consider(c);
        } else if (local == "copyrightDate") {
            dates.copyright.consider(c);
        } else if (local == "publisher") {
            set_once(d.publisher, c);
        } else if (local == "place" && !d.place) {
            // placeTerm type="text" before a code.
            for (const xmlNode* term : Elements(c)) {
                if (is(term, Ns::mods, "placeTerm") && !attribute_is(term, "type", "code")) {
                    set_once(d.place, term);
                }
            }
        }
    }
}

void read_identifier(const xmlNode* node, Description& d) {
    if (attribute_is(node, "invalid", "yes")) {
        return;
    }
    auto value = text(node);
    if (!value) {
        return;
    }
    const auto type = attribute(node, "type").value_or("");
    if (!type.empty()) {
        add_identifier(d, std::string(type), std::move(*value));
    } else if (auto guessed = classify_identifier(*value)) {
        add_identifier(d, std::move(guessed->type), std::move(guessed->value));
    }
}

// The language: its code term (as oai_dc gives it) before a text term.
std::optional<std::string> read_language(const xmlNode* language) {
    std::optional<std::string> text_term;
    for (const xmlNode* term : Elements(language)) {
        if (!is(term, Ns::mods, "languageTerm")) {
            continue;
        }
        if (attribute_is(term, "type", "code")) {
            if (auto code = text(term)) {
                return code;
            }
        } else {
            set_once(text_term, term);
        }
    }
    return text_term;
}

// Each part of a subject (topic, geographic, temporal, name ...) is one subject; a subject
// with text only is one too.
void read_subject(const xmlNode* subject, Description& d) {
    bool has_parts = false;
    for (const xmlNode* c : Elements(subject)) {
        has_parts = true;
        if (ns_of(c) == Ns::mods && local_name(c) != "cartographics" &&
            local_name(c) != "geographicCode") {
            if (auto value = text(c)) {
                add_unique(d.subjects, std::move(*value));
            }
        }
    }
    if (!has_parts) {
        if (auto value = text(subject)) {
            add_unique(d.subjects, std::move(*value));
        }
    }
}

bool is_empty(const Host& h) {
    return !h.title && !h.issn && !h.volume && !h.issue && !h.pages;
}

}  // namespace

void read_mods(const xmlNode* container, Description& d) {
    if (const xmlNode* wrapped = child(container, Ns::mods, "mods")) {
        container = wrapped;
    }
    if (!d.title) {
        ModsTitle t = read_mods_title(container);
        d.title = std::move(t.title);
        d.subtitle = std::move(t.subtitle);
    }
    Origin dates;
    const xmlNode* root_part = nullptr;
    for (const xmlNode* c : Elements(container)) {
        if (ns_of(c) != Ns::mods) {
            continue;
        }
        const auto local = local_name(c);
        if (local == "name") {
            if (auto name = read_mods_name(c)) {
                d.names.push_back(std::move(*name));
            }
        } else if (local == "abstract") {
            set_once(d.abstract, c);
        } else if (local == "subject") {
            read_subject(c, d);
        } else if (local == "classification") {
            if (auto value = text(c)) {
                add_unique(d.subjects, std::move(*value));
            }
        } else if (local == "genre") {
            set_once(d.genre, c);
        } else if (local == "typeOfResource") {
            set_once(d.type, c);
        } else if (local == "language" && !d.language) {
            d.language = read_language(c);
        } else if (local == "originInfo") {
            read_origin(c, dates, d);
        } else if (local == "relatedItem" && !d.host && attribute_is(c, "type", "host")) {
            if (Host host = read_mods_host(c); !is_empty(host)) {
                d.host = std::move(host);
            }
        } else if (local == "part" && root_part == nullptr) {
            root_part = c;
        } else if (local == "identifier") {
            read_identifier(c, d);
        } else if (local == "location") {
            for (const xmlNode* url : Elements(c)) {
                if (auto value = is(url, Ns::mods, "url") ? text(url) : std::nullopt) {
                    add_unique(d.urls, std::move(*value));
                }
            }
        } else if (local == "accessCondition" || local == "useAndReproduction") {
            set_once(d.rights, c);
        }
    }
    if (!d.date_issued) {
        d.date_issued = dates.issued.value    ? std::move(dates.issued.value)
                        : dates.created.value ? std::move(dates.created.value)
                                              : std::move(dates.copyright.value);
    }
    // Volume, issue and pages given at the top level belong to the host.
    if (root_part != nullptr) {
        Host host = d.host.value_or(Host{});
        read_mods_part(root_part, host);
        if (!is_empty(host)) {
            d.host = std::move(host);
        }
    }
}

}  // namespace oaiharvest::metadata::detail
