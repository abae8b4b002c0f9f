// Dublin Core: oai_dc, and the dc/dcterms elements of qualified DC (CONTENTdm's oai_qdc).

#include "metadata/detail/readers.hpp"
#include "metadata/detail/values.hpp"
#include "metadata/detail/xml.hpp"

namespace oaiharvest::metadata::detail {
namespace {

void set_once(std::optional<std::string>& field, std::string value) {
    if (!field) {
        field = std::move(value);
    }
}

void add_name(Description& d, std::string_view value, const char* role) {
    Name name = split_name(value);
    if (name.display) {
        name.role = role;
        d.names.push_back(std::move(name));
    }
}

// dc:identifier: a URL goes to urls and identifiers (uri, or doi for a doi.org URL); a DOI,
// URN, ISBN ... to identifiers; a citation (text with spaces) nowhere.
void add_dc_identifier(Description& d, const std::string& value) {
    if (auto id = classify_identifier(value)) {
        add_identifier(d, std::move(id->type), std::move(id->value));
    }
    if (is_url(value)) {
        add_unique(d.urls, value);  // a doi.org URL too
    }
}

// dc:source names what the item appeared in: an ISSN, or the journal as OJS writes it,
// "Journal; Vol 3, No 2 (2014): Issue title; 1-7", of which the part before ';' is the title.
void add_source(Description& d, std::string_view value) {
    if (is_url(value)) {
        return;
    }
    Host host = d.host.value_or(Host{});
    if (const auto id = classify_identifier(value); id && id->type == "issn") {
        set_once(host.issn, id->value);
    } else {
        const auto title = trim(value.substr(0, value.find(';')));
        if (!title.empty()) {
            set_once(host.title, std::string(title));
        }
    }
    if (host.title || host.issn) {
        d.host = std::move(host);
    }
}

}  // namespace

void read_dc(const xmlNode* root, Description& d) {
    std::optional<std::string> issued;  // dcterms:issued, before dc:date
    std::optional<std::string> date;
    for (const xmlNode* c : Elements(root)) {
        const Ns ns = ns_of(c);
        if (ns != Ns::dc && ns != Ns::dcterms) {
            continue;
        }
        auto value = text(c);
        if (!value) {
            continue;
        }
        const auto local = local_name(c);
        if (local == "title") {
            set_once(d.title, std::move(*value));
        } else if (local == "creator") {
            add_name(d, *value, "author");
        } else if (local == "contributor") {
            add_name(d, *value, "contributor");
        } else if (local == "subject" || local == "coverage" || local == "spatial" ||
                   local == "temporal") {
            add_unique(d.subjects, std::move(*value));
        } else if (local == "description" || local == "abstract") {
            set_once(d.abstract, std::move(*value));
        } else if (local == "publisher") {
            set_once(d.publisher, std::move(*value));
        } else if (local == "date") {
            set_once(date, normalize_date(*value));
        } else if (local == "issued") {
            set_once(issued, normalize_date(*value));
        } else if (local == "type") {
            set_once(d.type, std::move(*value));
        } else if (local == "identifier") {
            add_dc_identifier(d, *value);
        } else if (local == "source") {
            add_source(d, *value);
        } else if (local == "language") {
            set_once(d.language, std::move(*value));
        } else if (local == "relation") {
            if (is_url(*value)) {
                add_unique(d.urls, std::move(*value));
            }
        } else if (local == "rights" || local == "accessRights" || local == "license") {
            set_once(d.rights, std::move(*value));
        }
        // format (a MIME type or "text" for no file in particular) has no field.
    }
    if (!d.date_issued) {
        d.date_issued = issued ? std::move(issued) : std::move(date);
    }
}

}  // namespace oaiharvest::metadata::detail
