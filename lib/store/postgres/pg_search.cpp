#include "store/postgres/pg_search.hpp"

#include <algorithm>

#include "search/search_key.hpp"

namespace oaiharvest::store::detail {
namespace {

// tsvector positions stop at 16383; later words keep the last one.
constexpr int k_last_position = 16383;

class VectorText {
public:
    void add(const std::optional<std::string>& text, char weight) {
        if (text) {
            add(*text, weight);
        }
    }
    void add(const std::string& text, char weight) {
        search::for_each_word(text, [&](const search::SearchWord& word) {
            const int position = std::min(++m_position, k_last_position);
            lexeme(word.key, position, weight);
        });
    }
    // The next words are another field's. SQLite's index holds each field in a column of its
    // own, and a phrase never spans two columns; here every field shares one position space, so
    // a position is skipped: the last word of one field and the first of the next are then two
    // apart, and `a <-> b` (one apart) no longer matches across them.
    void end_field() { m_position = std::min(m_position + 1, k_last_position); }
    std::string take() { return std::move(m_text); }

private:
    void lexeme(const std::string& key, int position, char weight) {
        if (key.empty()) {
            return;
        }
        if (!m_text.empty()) {
            m_text += ' ';
        }
        m_text += quoted_lexeme(key);
        m_text += ':';
        m_text += std::to_string(position);
        m_text += weight;
    }
    std::string m_text;
    int m_position = 0;
};

}  // namespace

std::string quoted_lexeme(const std::string& key) {
    std::string out = "'";
    for (char c : key) {
        if (c == '\'' || c == '\\') {
            out += '\\';
        }
        out += c;
    }
    out += '\'';
    return out;
}

std::string search_vector(const metadata::Description& d) {
    VectorText vector;
    vector.add(d.title, 'A');
    vector.end_field();
    vector.add(d.subtitle, 'A');
    vector.end_field();
    // The names are one field, as on SQLite (joined in one column), and so are the subjects.
    for (const auto& name : d.names) {
        vector.add(name.display, 'B');
    }
    vector.end_field();
    for (const auto& subject : d.subjects) {
        vector.add(subject, 'B');
    }
    vector.end_field();
    vector.add(d.abstract, 'C');
    return vector.take();
}

std::string tsquery_of(const std::vector<search::QueryPhrase>& phrases, bool own_script) {
    std::string query;
    for (const auto& phrase : phrases) {
        std::string term;
        for (std::size_t i = 0; i < phrase.words.size(); ++i) {
            const auto& word = phrase.words[i];
            const char* suffix = phrase.prefix && i + 1 == phrase.words.size() ? ":*" : "";
            std::string alternatives = quoted_lexeme(word.key) + suffix;
            if (auto other = search::other_script_key(word); !own_script && !other.empty()) {
                alternatives = "(" + alternatives + " | " + quoted_lexeme(other) + suffix + ")";
            }
            term += term.empty() ? "" : " <-> ";
            term += alternatives;
        }
        query += query.empty() ? "" : " & ";
        query += phrase.words.size() > 1 ? "(" + term + ")" : term;
    }
    return query;
}

}  // namespace oaiharvest::store::detail
