#include "metadata/detail/values.hpp"

#include <algorithm>
#include <array>
#include <utility>

#include "metadata/detail/xml.hpp"
#include "util/ascii.hpp"

namespace oaiharvest::metadata::detail {
namespace {

bool starts_with_icase(std::string_view text, std::string_view prefix) {
    return text.size() >= prefix.size() && iequals(text.substr(0, prefix.size()), prefix);
}

bool has_space(std::string_view text) {
    return std::ranges::any_of(text, [](char c) { return c == ' ' || c == '\n'; });
}

// An ISBN-10 or ISBN-13 shape: 10 or 13 digits (a final X allowed), hyphens between.
bool is_isbn(std::string_view text) {
    std::size_t n = 0;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (util::is_ascii_digit(c) || ((c == 'X' || c == 'x') && i + 1 == text.size())) {
            ++n;
        } else if (c != '-') {
            return false;
        }
    }
    return n == 10 || n == 13;
}

bool is_issn(std::string_view text) {
    if (text.size() != 9 || text[4] != '-' ||
        !(util::is_ascii_digit(text[8]) || text[8] == 'X' || text[8] == 'x')) {
        return false;
    }
    return std::ranges::all_of(text.substr(0, 4), util::is_ascii_digit) &&
           std::ranges::all_of(text.substr(5, 3), util::is_ascii_digit);
}

}  // namespace

std::string_view trim(std::string_view text) {
    while (!text.empty() && text.front() == ' ') {
        text.remove_prefix(1);
    }
    while (!text.empty() && text.back() == ' ') {
        text.remove_suffix(1);
    }
    return text;
}

std::optional<std::string> doi_of(std::string_view text) {
    std::string_view s = trim(text);
    for (const std::string_view prefix :
         {"https://doi.org/", "http://doi.org/", "https://dx.doi.org/", "http://dx.doi.org/",
          "info:doi/", "urn:doi:", "doi:"}) {
        if (starts_with_icase(s, prefix)) {
            s = trim(s.substr(prefix.size()));
            break;
        }
    }
    // "10." then a registrant code of digits (and dots), '/', a suffix without spaces.
    if (s.size() < 6 || s.substr(0, 3) != "10." || has_space(s)) {
        return std::nullopt;
    }
    const auto slash = s.find('/');
    if (slash == std::string_view::npos || slash < 7 || slash + 1 == s.size() ||
        !std::ranges::all_of(s.substr(3, slash - 3),
                             [](char c) { return util::is_ascii_digit(c) || c == '.'; })) {
        return std::nullopt;
    }
    return std::string(s);
}

bool is_url(std::string_view text) {
    for (const std::string_view scheme : {"http://", "https://", "ftp://"}) {
        if (starts_with_icase(text, scheme)) {
            return text.size() > scheme.size() && !has_space(text);
        }
    }
    return false;
}

std::optional<Identifier> classify_identifier(std::string_view text) {
    const std::string_view s = trim(text);
    if (s.empty()) {
        return std::nullopt;
    }
    if (auto doi = doi_of(s)) {
        return Identifier{"doi", std::move(*doi)};
    }
    if (is_url(s)) {
        return Identifier{"uri", std::string(s)};
    }
    for (const std::string_view label : {"ISBN:", "ISBN", "ISSN:", "ISSN"}) {
        if (starts_with_icase(s, label)) {
            const auto rest = trim(s.substr(label.size()));
            if (label.starts_with("ISBN") ? is_isbn(rest) : is_issn(rest)) {
                return Identifier{label.starts_with("ISBN") ? "isbn" : "issn", std::string(rest)};
            }
        }
    }
    if (has_space(s)) {
        return std::nullopt;  // a citation, as EPrints puts in dc:identifier
    }
    static constexpr std::array<std::pair<std::string_view, std::string_view>, 5> k_schemes = {
        {{"urn:", "urn"}, {"hdl:", "handle"}, {"ark:", "ark"}, {"oai:", "oai"}, {"info:", "info"}}};
    for (const auto& [prefix, type] : k_schemes) {
        if (starts_with_icase(s, prefix)) {
            return Identifier{std::string(type), std::string(s)};
        }
    }
    if (is_issn(s)) {
        return Identifier{"issn", std::string(s)};
    }
    if (is_isbn(s)) {
        return Identifier{"isbn", std::string(s)};
    }
    return Identifier{"local", std::string(s)};
}

void add_unique(std::vector<std::string>& list, std::string value) {
    if (std::ranges::find(list, value) == list.end()) {
        list.push_back(std::move(value));
    }
}

void add_identifier(Description& d, std::string type, std::string value) {
    std::ranges::transform(type, type.begin(), [](char c) {
        return c >= 'A' && c <= 'Z' ? static_cast<char>(c | 0x20) : c;
    });
    if (is_url(value)) {
        add_unique(d.urls, value);
    }
    if (type == "doi") {
        if (auto bare = doi_of(value)) {
            value = std::move(*bare);
        }
    }
    const bool seen = std::ranges::any_of(
        d.identifiers, [&](const Identifier& i) { return i.type == type && i.value == value; });
    if (!seen) {
        d.identifiers.push_back({std::move(type), std::move(value)});
    }
}

Name split_name(std::string_view text) {
    Name name;
    std::string_view s = trim(text);
    if (const auto semi = s.find(';'); semi != std::string_view::npos) {
        if (const auto rest = trim(s.substr(semi + 1)); !rest.empty()) {
            name.affiliation = std::string(rest);
        }
        s = trim(s.substr(0, semi));
    }
    if (s.empty()) {
        return name;
    }
    const auto comma = s.find(',');
    if (comma == std::string_view::npos) {
        name.display = std::string(s);
        return name;
    }
    const auto family = trim(s.substr(0, comma));
    const auto given = trim(s.substr(comma + 1));
    if (!family.empty()) {
        name.family = std::string(family);
    }
    if (!given.empty()) {
        name.given = std::string(given);
    }
    // Written again from its parts: "Smith,John" and "Smith, " read "Smith, John" and "Smith".
    name.display = display_of(name.family, name.given);
    return name;
}

std::optional<std::string> display_of(const std::optional<std::string>& family,
                                      const std::optional<std::string>& given) {
    if (family && given) {
        return *family + ", " + *given;
    }
    return family ? family : given;
}

}  // namespace oaiharvest::metadata::detail
