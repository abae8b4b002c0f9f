// mods:name and its role.

#include <algorithm>
#include <array>
#include <utility>

#include "metadata/detail/readers.hpp"
#include "metadata/detail/values.hpp"
#include "metadata/detail/xml.hpp"

namespace oaiharvest::metadata::detail {
namespace {

using Relator = std::pair<std::string_view, std::string_view>;

// MARC relator codes (id.loc.gov/vocabulary/relators) met in repository MODS, sorted by code.
constexpr auto k_relators = std::to_array<Relator>({
    {"act", "actor"},
    {"adp", "adapter"},
    {"aft", "author of afterword"},
    {"ann", "annotator"},
    {"arr", "arranger"},
    {"art", "artist"},
    {"aud", "author of dialog"},
    {"aui", "author of introduction"},
    {"aut", "author"},
    {"chr", "choreographer"},
    {"cmp", "composer"},
    {"col", "collector"},
    {"com", "compiler"},
    {"cph", "copyright holder"},
    {"cre", "creator"},
    {"ctb", "contributor"},
    {"ctg", "cartographer"},
    {"cur", "curator"},
    {"cwt", "commentator for written text"},
    {"dgc", "degree committee member"},
    {"dgg", "degree granting institution"},
    {"dgs", "degree supervisor"},
    {"dis", "dissertant"},
    {"drt", "director"},
    {"dst", "distributor"},
    {"dtc", "data contributor"},
    {"dtm", "data manager"},
    {"edc", "editor of compilation"},
    {"edt", "editor"},
    {"exp", "expert"},
    {"fnd", "funder"},
    {"his", "host institution"},
    {"ill", "illustrator"},
    {"inv", "inventor"},
    {"isb", "issuing body"},
    {"ive", "interviewee"},
    {"ivr", "interviewer"},
    {"lbt", "librettist"},
    {"lyr", "lyricist"},
    {"mdc", "metadata contact"},
    {"mus", "musician"},
    {"nrt", "narrator"},
    {"opn", "opponent"},
    {"org", "originator"},
    {"oth", "other"},
    {"own", "owner"},
    {"pbl", "publisher"},
    {"pdr", "project director"},
    {"pht", "photographer"},
    {"prf", "performer"},
    {"prg", "programmer"},
    {"pro", "producer"},
    {"pta", "patent applicant"},
    {"res", "researcher"},
    {"rev", "reviewer"},
    {"rth", "research team head"},
    {"rtm", "research team member"},
    {"sad", "scientific advisor"},
    {"sng", "singer"},
    {"spk", "speaker"},
    {"spn", "sponsor"},
    {"ths", "thesis advisor"},
    {"trl", "translator"},
    {"wam", "writer of accompanying material"},
    {"win", "writer of introduction"},
});
static_assert(std::ranges::is_sorted(k_relators, {}, &Relator::first));

// The relator a code stands for (any case); nullopt for an unknown code.
std::optional<std::string> relator(std::string_view code) {
    if (code.size() != 3) {
        return std::nullopt;
    }
    std::array<char, 3> lower{};
    std::ranges::transform(code, lower.begin(), [](char c) {
        return c >= 'A' && c <= 'Z' ? static_cast<char>(c | 0x20) : c;
    });
    const std::string_view key(lower.data(), lower.size());
    const auto* it = std::ranges::lower_bound(k_relators, key, {}, &Relator::first);
    if (it == k_relators.end() || it->first != key) {
        return std::nullopt;
    }
    return std::string(it->second);
}

// A role's term: the text one (as written) before a code (spelled out; an unknown code as is).
// An untyped term that is a known code counts as a code.
std::optional<std::string> read_role(const xmlNode* role) {
    std::optional<std::string> text_term;
    std::optional<std::string> code_term;
    for (const xmlNode* term : Elements(role)) {
        if (!is(term, Ns::mods, "roleTerm")) {
            continue;
        }
        auto value = text(term);
        if (!value) {
            continue;
        }
        const auto type = attribute(term, "type").value_or("");
        auto spelled = relator(*value);
        if (iequals(type, "code") || (type.empty() && spelled)) {
            if (!code_term) {
                code_term = spelled ? std::move(spelled) : std::move(value);
            }
        } else if (!text_term) {
            text_term = std::move(value);
        }
    }
    return text_term ? text_term : code_term;
}

// "0000-0002-1825-0097" from an ORCID given bare or as an orcid.org URL.
std::string bare_orcid(std::string value) {
    for (const std::string_view prefix : {"https://orcid.org/", "http://orcid.org/"}) {
        if (value.starts_with(prefix)) {
            return value.substr(prefix.size());
        }
    }
    return value;
}

void append_part(std::optional<std::string>& part, std::string value) {
    if (part) {
        *part += ' ';
        *part += value;
    } else {
        part = std::move(value);
    }
}

}  // namespace

std::optional<Name> read_mods_name(const xmlNode* node) {
    Name name;
    std::vector<std::string> untyped;  // parts without a type: the whole name, or its pieces
    for (const xmlNode* c : Elements(node)) {
        if (ns_of(c) != Ns::mods) {
            continue;
        }
        const auto local = local_name(c);
        if (local == "namePart") {
            auto value = text(c);
            const auto type = attribute(c, "type").value_or("");
            if (!value || iequals(type, "date") || iequals(type, "termsOfAddress")) {
                continue;  // neither is part of display
            }
            if (iequals(type, "given")) {
                append_part(name.given, std::move(*value));
            } else if (iequals(type, "family")) {
                append_part(name.family, std::move(*value));
            } else {
                untyped.push_back(std::move(*value));
            }
        } else if (local == "displayForm" && !name.display) {
            name.display = text(c);
        } else if (local == "role" && !name.role) {
            name.role = read_role(c);
        } else if (local == "affiliation" && !name.affiliation) {
            name.affiliation = text(c);
        } else if (local == "nameIdentifier" && !name.orcid && attribute_is(c, "type", "orcid")) {
            if (auto value = text(c)) {
                name.orcid = bare_orcid(std::move(*value));
            }
        }
    }
    const auto type = attribute(node, "type").value_or("personal");
    // A personal name written whole, "Family, Given", in one untyped part.
    if (!name.given && !name.family && untyped.size() == 1 && iequals(type, "personal") &&
        untyped.front().find(';') == std::string::npos) {
        const Name split = split_name(untyped.front());
        name.given = split.given;
        name.family = split.family;
    }
    if (!name.display) {
        name.display = display_of(name.family, name.given);
    }
    if (!name.display && !untyped.empty()) {
        std::string whole = untyped.front();
        for (std::size_t i = 1; i < untyped.size(); ++i) {
            whole += ", " + untyped[i];
        }
        name.display = std::move(whole);
    }
    if (!name.display) {
        return std::nullopt;
    }
    return name;
}

}  // namespace oaiharvest::metadata::detail
