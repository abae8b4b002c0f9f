#pragma once

// How a reader's query becomes FTS5 queries (docs/cli.md "How a query is read"). Pure.

#include <expected>
#include <string>
#include <string_view>
#include <vector>

#include "search/search_key.hpp"

namespace oaiharvest::search {

enum class QuerySyntax {
    words,  // plain words: "a phrase" in double quotes, word* for a prefix, nothing else special
    fts5,   // SQLite's FTS5 query syntax, as typed (AND OR NOT, NEAR, column:, ^)
};

// A query term that starts with this (U+E000, a private-use character) is a list of search
// keys, taken as they are: no other script is added to them (store/search_tokenizer.cpp).
inline constexpr std::string_view k_verbatim_mark = "\xEE\x80\x80";

struct FtsQuery {
    // Every record the query finds, in either script.
    std::string all;
    // The records it finds in the script each word was typed in; empty when that is `all`
    // (no word has a counterpart in the other script, or the query is FTS5 syntax).
    std::string own;
};

// The error says what is wrong with a plain-words query (it has no words); an FTS5-syntax
// query is passed on unread, so SQLite says what is wrong with it.
std::expected<FtsQuery, std::string> read_query(std::string_view text, QuerySyntax syntax);

// One term of a plain-words query, as keys: a word, or a "quoted phrase" of several; prefix when
// a '*' followed it. For a backend that matches keys itself (PostgreSQL's tsquery).
struct QueryPhrase {
    std::vector<SearchWord> words;
    bool prefix = false;
};

// The terms of a plain-words query, read as read_query reads them; terms of punctuation alone
// are left out. Empty: the query has no words.
std::vector<QueryPhrase> plain_phrases(std::string_view typed);

}  // namespace oaiharvest::search
