#include "oai/provider_token.hpp"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <vector>

namespace oaiharvest::oai {
namespace {

// Version 1: "1,<verb>,<prefix>,<set>,<from>,<until>,<after_changed>,<after_id>,<cursor>,<size>",
// times as seconds since 1970, absent values empty. ',' is not spec text, so it can part them.
constexpr std::string_view k_version = "1";
constexpr std::size_t k_fields = 10;

std::string_view verb_field(Verb verb) {
    switch (verb) {
        case Verb::list_records:
            return "R";
        case Verb::list_identifiers:
            return "I";
        case Verb::list_sets:
            return "S";
        default:
            return "";
    }
}

std::optional<Verb> verb_of(std::string_view field) {
    for (Verb v : {Verb::list_records, Verb::list_identifiers, Verb::list_sets}) {
        if (field == verb_field(v)) {
            return v;
        }
    }
    return std::nullopt;
}

std::optional<std::int64_t> number(std::string_view field) {
    std::int64_t value = 0;
    const char* end = field.data() + field.size();
    auto [stop, error] = std::from_chars(field.data(), end, value);
    if (field.empty() || error != std::errc{} || stop != end || value < 0) {
        return std::nullopt;
    }
    return value;
}

std::string seconds(util::UtcTime t) {
    return std::to_string(t.time_since_epoch().count());
}

std::optional<util::UtcTime> time_of(std::string_view field) {
    auto n = number(field);
    if (!n) {
        return std::nullopt;
    }
    return util::UtcTime{std::chrono::seconds{*n}};
}

std::vector<std::string_view> split(std::string_view token) {
    std::vector<std::string_view> fields;
    while (fields.size() < k_fields + 1) {
        auto comma = token.find(',');
        fields.push_back(token.substr(0, comma));
        if (comma == std::string_view::npos) {
            break;
        }
        token.remove_prefix(comma + 1);
    }
    return fields;
}

}  // namespace

bool is_spec_text(std::string_view text) {
    static constexpr std::string_view marks = "-_.!~*'()";
    auto part = [](std::string_view p) {
        return !p.empty() && std::all_of(p.begin(), p.end(), [](char c) {
            return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                   marks.find(c) != std::string_view::npos;
        });
    };
    // Parts of a setSpec are separated by ':'; a metadataPrefix is one part.
    std::size_t start = 0;
    while (true) {
        auto colon = text.find(':', start);
        if (!part(text.substr(start, colon - start))) {
            return false;
        }
        if (colon == std::string_view::npos) {
            return true;
        }
        start = colon + 1;
    }
}

std::string encode_token(const ListState& s) {
    std::string token(k_version);
    for (const std::string& field :
         {std::string(verb_field(s.verb)), s.metadata_prefix, s.set.value_or(""),
          s.from ? seconds(*s.from) : std::string(), seconds(s.until), seconds(s.after_changed),
          std::to_string(s.after_id), std::to_string(s.cursor),
          std::to_string(s.complete_list_size)}) {
        token += ',';
        token += field;
    }
    return token;
}

std::optional<ListState> decode_token(std::string_view token) {
    auto f = split(token);
    if (f.size() != k_fields || f[0] != k_version) {
        return std::nullopt;
    }
    ListState s;
    auto verb = verb_of(f[1]);
    auto until = time_of(f[5]);
    auto after_changed = time_of(f[6]);
    auto after_id = number(f[7]);
    auto cursor = number(f[8]);
    auto size = number(f[9]);
    if (!verb || !until || !after_changed || !after_id || !cursor || !size) {
        return std::nullopt;
    }
    s.verb = *verb;
    const bool lists_records = *verb != Verb::list_sets;
    if (lists_records != !f[2].empty() || (!f[2].empty() && !is_spec_text(f[2]))) {
        return std::nullopt;
    }
    s.metadata_prefix = f[2];
    if (!f[3].empty()) {
        if (!is_spec_text(f[3])) {
            return std::nullopt;
        }
        s.set = std::string(f[3]);
    }
    if (!f[4].empty()) {
        s.from = time_of(f[4]);
        if (!s.from || *s.from > *until) {
            return std::nullopt;
        }
    }
    s.until = *until;
    s.after_changed = *after_changed;
    s.after_id = *after_id;
    s.cursor = *cursor;
    s.complete_list_size = *size;
    if (s.cursor > s.complete_list_size) {
        return std::nullopt;
    }
    return s;
}

}  // namespace oaiharvest::oai
