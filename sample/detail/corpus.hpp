#pragma once
// Word pools the generator draws sample records from: titles, names, abstract sentences,
// subjects and venues in Russian, Uzbek (Cyrillic, and Latin with ‘ ʻ ’), Kyrgyz, Tajik,
// Kazakh and English, as an EPrints repository of Central Asian scholarship holds them.
// Constant data; thread-safe.

#include <span>
#include <string_view>

namespace oaiharvest::sample::detail {

struct NamePool {
    std::span<const std::string_view> given;
    std::span<const std::string_view> family;
};

// A Library of Congress class: records carry the leaf, ListSets shows both levels.
struct Subject {
    std::string_view top_code;  // "J"
    std::string_view top_name;  // "J Political Science"
    std::string_view code;      // "JZ"
    std::string_view name;      // "JZ International relations"
};

struct Journal {
    std::string_view title;
    std::string_view issn;
};

std::span<const std::string_view> titles();
std::span<const std::string_view> abstract_sentences();
std::span<const NamePool> name_pools();
std::span<const Subject> subjects();
std::span<const std::string_view> publishers();
std::span<const Journal> journals();

}  // namespace oaiharvest::sample::detail
