#pragma once

// How the mirror's text becomes search words (docs/cli.md "How a query is read"), the same at
// index time and at query time: one key per word, in which
//   - case and diacritics are gone (Ö ö o are one letter);
//   - the apostrophes of Uzbek Latin (o‘ oʻ o' o’ o`, g‘ …, the tutuq belgisi) are dropped,
//     and with them Cyrillic ъ and ь, so that readers who type them any way, or not at all,
//     meet the records;
//   - Cyrillic (Russian, Uzbek, Kazakh, Kyrgyz, Tajik) is written in Latin letters, as Uzbek
//     Latin writes them where Uzbek has the letter (х x, ж j, ў o, қ q, ғ g, ҳ h, е ye at a
//     word's start and after a vowel), and two digraphs of Russian-style romanization meet
//     them on the Latin side (kh is x, zh is j);
//   - a letter written decomposed (a base and combining marks) is keyed as the letter typed
//     whole, and French and Italian elided articles (l’, d’, dell’) are words of their own;
//   - a Cyrillic word's key starts with k_cyrillic_mark, so that a query can prefer the script
//     it was typed in while also finding the other.
// Pure: no I/O, no SQLite; the FTS5 tokenizer (store/search_tokenizer.cpp) and the query reader
// (search/query.hpp) both call it.

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>

namespace oaiharvest::search {

// The first byte of the key of a word written (at least partly) in Cyrillic.
inline constexpr char k_cyrillic_mark = '~';

struct SearchWord {
    std::string key;
    bool cyrillic = false;
    // The word's bytes in the text: [begin, end).
    std::size_t begin = 0;
    std::size_t end = 0;
};

// Calls visit for each word of `text` (UTF-8; bytes that are not valid UTF-8 separate words),
// in order.
void for_each_word(std::string_view text, const std::function<void(const SearchWord&)>& visit);

// What every key depends on: the rules of this file (their own number, raised whenever a key
// changes) and the Unicode version of the ICU in use. An index made under another is made again
// (store/search_keys.hpp): FTS5 removes a row's words by keying its text anew.
std::string key_version();

// The key a word would have in the other script: a Cyrillic word's key without its mark, and
// a Latin word's with the mark. Empty when the word has no counterpart (digits alone, other
// scripts).
std::string other_script_key(const SearchWord& word);

}  // namespace oaiharvest::search
