#include "serve/web/record_fields.hpp"

#include <array>
#include <cstdio>

#include "serve/web/fragments.hpp"

namespace oaiharvest::serve::web {
namespace {

using nlohmann::json;

std::optional<std::string> text_of(const json& object, const char* key) {
    if (!object.is_object()) {
        return std::nullopt;
    }
    const auto it = object.find(key);
    if (it == object.end() || !it->is_string() || it->get_ref<const std::string&>().empty()) {
        return std::nullopt;
    }
    return it->get<std::string>();
}

const json& array_of(const json& object, const char* key) {
    static const json empty = json::array();
    const auto it = object.find(key);
    return it != object.end() && it->is_array() ? *it : empty;
}

// A field's <dt> and <dd> with its text, when it has one.
void field(Html& h, std::string_view label, const std::optional<std::string>& value) {
    if (value) {
        h.element("dt", label).element("dd", *value).markup("\n");
    }
}

// Paragraphs of a text whose lines the mapping separated by one newline (abstract, rights).
void paragraphs(Html& h, std::string_view label, const std::optional<std::string>& value) {
    if (!value) {
        return;
    }
    h.element("dt", label).markup("<dd>");
    std::string_view rest = *value;
    while (!rest.empty()) {
        const auto end = rest.find('\n');
        h.element("p", rest.substr(0, end));
        rest = end == std::string_view::npos ? std::string_view() : rest.substr(end + 1);
    }
    h.markup("</dd>\n");
}

void names(Html& h, const json& record, const std::string& endpoint) {
    const auto& list = array_of(record, "names");
    if (list.empty()) {
        return;
    }
    h.markup("<dt>Names</dt><dd><ul>\n");
    for (const auto& name : list) {
        const auto family = text_of(name, "family");
        const auto given = text_of(name, "given");
        auto display = text_of(name, "display");
        if (!display) {
            display = family && given ? *family + ", " + *given : family ? family : given;
        }
        h.markup("<li>");
        if (const auto key = author_key(family, display)) {
            h.link(Link("/author").with("endpoint", endpoint).with("name", *key),
                   display.value_or(*key));
        }
        if (const auto role = text_of(name, "role")) {
            h.markup(" <span class=\"meta\">").text(*role).markup("</span>");
        }
        h.markup("</li>\n");
    }
    h.markup("</ul></dd>\n");
}

void issued(Html& h, const json& record, const std::string& endpoint) {
    const auto date = text_of(record, "date_issued");
    if (!date) {
        return;
    }
    h.markup("<dt>Issued</dt><dd>").text(*date);
    // The year the store indexes: the first four digits of date_issued.
    if (date->size() >= 4 && std::all_of(date->begin(), date->begin() + 4,
                                         [](char c) { return c >= '0' && c <= '9'; })) {
        const std::string year = date->substr(0, 4);
        h.markup(" <span class=\"meta\">(")
            .link(Link("/year").with("endpoint", endpoint).with("year", year), "more of " + year)
            .markup(")</span>");
    }
    h.markup("</dd>\n");
}

void host(Html& h, const json& record) {
    const auto it = record.find("host");
    if (it == record.end() || !it->is_object()) {
        return;
    }
    std::string details;
    for (const auto& [key, label] : std::array<std::pair<const char*, const char*>, 4>{
             {{"issn", "ISSN "}, {"volume", "vol. "}, {"issue", "no. "}, {"pages", "pp. "}}}) {
        if (const auto value = text_of(*it, key)) {
            details += (details.empty() ? "" : " · ") + std::string(label) + *value;
        }
    }
    const auto title = text_of(*it, "title");
    if (!title && details.empty()) {
        return;
    }
    h.markup("<dt>Published in</dt><dd>").text(title.value_or(""));
    if (!details.empty()) {
        h.markup(title ? "<br>" : "")
            .markup("<span class=\"meta\">")
            .text(details)
            .markup("</span>");
    }
    h.markup("</dd>\n");
}

void identifiers(Html& h, const json& record) {
    const auto& list = array_of(record, "identifiers");
    if (list.empty()) {
        return;
    }
    h.markup("<dt>Identifiers</dt><dd><ul>\n");
    for (const auto& id : list) {
        const auto value = text_of(id, "value");
        if (!value) {
            continue;
        }
        h.markup("<li>");
        if (const auto type = text_of(id, "type")) {
            h.markup("<span class=\"meta\">").text(*type).markup("</span> ");
        }
        h.external_link(*value, *value).markup("</li>\n");
    }
    h.markup("</ul></dd>\n");
}

void urls(Html& h, const json& record) {
    const auto& list = array_of(record, "urls");
    if (list.empty()) {
        return;
    }
    h.markup("<dt>Links</dt><dd><ul>\n");
    for (const auto& url : list) {
        if (url.is_string()) {
            const auto& text = url.get_ref<const std::string&>();
            h.markup("<li>").external_link(text, text).markup("</li>\n");
        }
    }
    h.markup("</ul></dd>\n");
}

void files(Html& h, const json& record) {
    const auto& list = array_of(record, "files");
    if (list.empty()) {
        return;
    }
    h.markup("<dt>Files</dt><dd><ul>\n");
    for (const auto& file : list) {
        const auto href = text_of(file, "href");
        if (!href) {
            continue;
        }
        std::string details;
        if (const auto mimetype = text_of(file, "mimetype")) {
            details = *mimetype;
        }
        if (const auto size = file.find("size"); size != file.end() && size->is_number_integer()) {
            details += (details.empty() ? "" : " · ") + size_text(size->get<std::int64_t>());
        }
        if (const auto use = text_of(file, "use")) {
            details += (details.empty() ? "" : " · ") + *use;
        }
        h.markup("<li>").external_link(*href, *href);
        if (!details.empty()) {
            h.markup(" <span class=\"meta\">").text(details).markup("</span>");
        }
        h.markup("</li>\n");
    }
    h.markup("</ul></dd>\n");
}

void subjects(Html& h, const json& record) {
    const auto& list = array_of(record, "subjects");
    if (list.empty()) {
        return;
    }
    h.markup("<dt>Subjects</dt><dd><ul>\n");
    for (const auto& s : list) {
        if (s.is_string()) {
            h.element("li", s.get_ref<const std::string&>()).markup("\n");
        }
    }
    h.markup("</ul></dd>\n");
}

void sets(Html& h, const json& record, const std::string& endpoint) {
    const auto& list = array_of(record, "sets");
    if (list.empty()) {
        return;
    }
    h.markup("<dt>Sets</dt><dd><ul>\n");
    for (const auto& s : list) {
        if (s.is_string()) {
            const auto& spec = s.get_ref<const std::string&>();
            h.markup("<li>")
                .link(Link("/set").with("endpoint", endpoint).with("set", spec), set_label(spec))
                .markup("</li>\n");
        }
    }
    h.markup("</ul></dd>\n");
}

void mets(Html& h, const json& record) {
    const auto it = record.find("mets");
    if (it == record.end() || !it->is_object()) {
        return;
    }
    field(h, "METS OBJID", text_of(*it, "objid"));
    field(h, "METS created", text_of(*it, "created"));
    field(h, "Custodian", text_of(*it, "custodian"));
}

}  // namespace

std::string size_text(std::int64_t bytes) {
    if (bytes < 1024) {
        return count_of(bytes, "byte", "bytes");
    }
    constexpr std::array<const char*, 4> k_units{"KiB", "MiB", "GiB", "TiB"};
    double value = static_cast<double>(bytes) / 1024;
    std::size_t unit = 0;
    while (value >= 1024 && unit + 1 < k_units.size()) {
        value /= 1024;
        ++unit;
    }
    char text[32];
    const int n = std::snprintf(text, sizeof text, "%.1f %s", value, k_units[unit]);
    return n > 0 ? std::string(text, static_cast<std::size_t>(n)) : std::to_string(bytes);
}

std::optional<std::string> language_tag(std::string_view language) {
    // The ISO 639-2 codes records of the region use, and their ISO 639-1 forms; a two-letter
    // code is one already. Anything else ("Uzbek", "rus; eng") says nothing a browser can use.
    static constexpr std::array<std::pair<std::string_view, std::string_view>, 10> k_codes{{
        {"uzb", "uz"},
        {"rus", "ru"},
        {"eng", "en"},
        {"kaz", "kk"},
        {"kir", "ky"},
        {"tgk", "tg"},
        {"tuk", "tk"},
        {"tat", "tt"},
        {"kaa", "kaa"},
        {"deu", "de"},
    }};
    for (const auto& [code, tag] : k_codes) {
        if (language == code) {
            return std::string(tag);
        }
    }
    if (language.size() == 2 && std::all_of(language.begin(), language.end(),
                                            [](char c) { return c >= 'a' && c <= 'z'; })) {
        return std::string(language);
    }
    return std::nullopt;
}

void record_fields(Html& h, const nlohmann::json& record, const store::StoredRecord& copy) {
    const std::string& endpoint = copy.endpoint;
    const auto language = text_of(record, "language");
    const auto tag = language ? language_tag(*language) : std::nullopt;
    h.markup("<article");
    if (tag) {
        h.markup(" lang=\"").text(*tag).markup("\"");
    }
    h.markup(">\n");
    h.element("h1", text_of(record, "title").value_or("(no title)")).markup("\n");
    if (const auto subtitle = text_of(record, "subtitle")) {
        h.element("p", *subtitle).markup("\n");
    }
    if (copy.deleted) {
        h.markup("<p class=\"notice\">")
            .text("The repository deleted this record (" + copy.datestamp + "). " +
                  (copy.metadata ? "What follows is what the mirror last held of it."
                                 : "The mirror never held its metadata."))
            .markup("</p>\n");
    }
    if (const auto error = text_of(record, "parse_error")) {
        h.markup("<p class=\"notice\">")
            .text("Its metadata could not be read: " + *error)
            .markup("</p>\n");
    }
    h.markup("<dl>\n");
    names(h, record, endpoint);
    paragraphs(h, "Abstract", text_of(record, "abstract"));
    subjects(h, record);
    field(h, "Genre", text_of(record, "genre"));
    field(h, "Type", text_of(record, "type"));
    field(h, "Language", language);
    issued(h, record, endpoint);
    field(h, "Publisher", text_of(record, "publisher"));
    host(h, record);
    identifiers(h, record);
    urls(h, record);
    files(h, record);
    paragraphs(h, "Rights", text_of(record, "rights"));
    sets(h, record, endpoint);
    h.markup("<dt>Repository</dt><dd>")
        .link(endpoint_link("/endpoint", endpoint), endpoint)
        .markup("</dd>\n");
    field(h, "OAI identifier", copy.identifier);
    field(h, "Datestamp", text_of(record, "datestamp").value_or(copy.datestamp));
    field(h, "Format", copy.metadata_prefix);
    field(h, "Status", copy.deleted ? "deleted" : "live");
    field(h, "Changed in the mirror", copy.last_changed);
    mets(h, record);
    h.markup("</dl>\n</article>\n");
}

}  // namespace oaiharvest::serve::web
