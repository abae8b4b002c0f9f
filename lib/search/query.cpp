#include "search/query.hpp"

#include <vector>

#include "search/search_key.hpp"

namespace oaiharvest::search {
namespace {

// Control characters too: FTS5 stops reading a query at a NUL.
bool is_space(char c) {
    return c == ' ' || (static_cast<unsigned char>(c) < 0x20) || c == 0x7F;
}

struct Term {
    std::string_view text;
    bool prefix = false;
};

// Whitespace separates terms; "double quotes" keep one together (an unclosed quote runs to the
// end); a '*' right after a term makes it a prefix.
std::vector<Term> terms_of(std::string_view text) {
    std::vector<Term> terms;
    std::size_t i = 0;
    while (i < text.size()) {
        if (is_space(text[i])) {
            ++i;
            continue;
        }
        Term term;
        if (text[i] == '"') {
            const std::size_t close = text.find('"', i + 1);
            const std::size_t end = close == std::string_view::npos ? text.size() : close;
            term.text = text.substr(i + 1, end - i - 1);
            i = close == std::string_view::npos ? text.size() : close + 1;
        } else {
            std::size_t end = i;
            while (end < text.size() && !is_space(text[end]) && text[end] != '"') {
                ++end;
            }
            term.text = text.substr(i, end - i);
            i = end;
        }
        while (!term.text.empty() && term.text.back() == '*') {
            term.prefix = true;
            term.text.remove_suffix(1);
        }
        if (i < text.size() && text[i] == '*') {
            term.prefix = true;
            while (i < text.size() && text[i] == '*') {
                ++i;
            }
        }
        terms.push_back(term);
    }
    return terms;
}

void append_phrase(std::string& out, std::string_view phrase, bool prefix) {
    if (!out.empty()) {
        out += ' ';
    }
    out += '"';
    for (char c : phrase) {
        out += is_space(c) ? ' ' : c;
        if (c == '"') {
            out += '"';
        }
    }
    out += '"';
    if (prefix) {
        out += '*';
    }
}

}  // namespace

std::expected<FtsQuery, std::string> read_query(std::string_view typed, QuerySyntax syntax) {
    if (syntax == QuerySyntax::fts5) {
        return FtsQuery{std::string(typed), {}};
    }
    // The verbatim mark is ours: typed (a private-use character pasted from a PDF), it is a
    // space, not a request for keys.
    std::string text(typed);
    for (auto at = text.find(k_verbatim_mark); at != std::string::npos;
         at = text.find(k_verbatim_mark, at)) {
        text.replace(at, k_verbatim_mark.size(), " ");
    }
    FtsQuery query;
    std::string own;
    bool has_other_script = false;
    for (const Term& term : terms_of(text)) {
        std::string keys;
        for_each_word(term.text, [&](const SearchWord& word) {
            keys += keys.empty() ? "" : " ";
            keys += k_verbatim_mark;
            keys += word.key;
            has_other_script = has_other_script || !other_script_key(word).empty();
        });
        if (keys.empty()) {
            continue;  // punctuation alone: nothing to look for
        }
        append_phrase(query.all, term.text, term.prefix);
        append_phrase(own, keys, term.prefix);
    }
    if (query.all.empty()) {
        return std::unexpected("it has no words to search for");
    }
    if (has_other_script) {
        query.own = std::move(own);
    }
    return query;
}

std::vector<QueryPhrase> plain_phrases(std::string_view typed) {
    std::string text(typed);
    for (auto at = text.find(k_verbatim_mark); at != std::string::npos;
         at = text.find(k_verbatim_mark, at)) {
        text.replace(at, k_verbatim_mark.size(), " ");
    }
    std::vector<QueryPhrase> phrases;
    for (const Term& term : terms_of(text)) {
        QueryPhrase phrase;
        phrase.prefix = term.prefix;
        for_each_word(term.text, [&](const SearchWord& word) { phrase.words.push_back(word); });
        if (!phrase.words.empty()) {
            phrases.push_back(std::move(phrase));
        }
    }
    return phrases;
}

}  // namespace oaiharvest::search
