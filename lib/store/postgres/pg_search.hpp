#pragma once
// Search on a PostgreSQL mirror: the same keys as the SQLite index (search/search_key.hpp),
// held as a tsvector that PostgreSQL only stores and matches, never parses: every lexeme is a
// key made here. Pure.

#include <string>
#include <vector>

#include "metadata/metadata.hpp"
#include "search/query.hpp"

namespace oaiharvest::store::detail {

// The record's search words as tsvector text: titles and subtitles weighted A, names and
// subjects B, abstracts C. Each word is keyed in its own script, as the SQLite index keys it;
// the query asks for the other script's key too. Fields are a position apart, so that a phrase
// (<->) matches within one, as SQLite's columns do.
std::string search_vector(const metadata::Description& description);

// A plain-words query as tsquery text: every term (&), a phrase's words in order (<->), a
// prefix term's last word as a prefix (:*). own_script: each word only as typed; otherwise in
// either script, as the SQLite search's second pass. Empty when there are no words.
std::string tsquery_of(const std::vector<search::QueryPhrase>& phrases, bool own_script);

// A tsvector or tsquery lexeme, quoted.
std::string quoted_lexeme(const std::string& key);

}  // namespace oaiharvest::store::detail
