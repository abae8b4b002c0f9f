#include "store/search_tokenizer.hpp"

#include <sqlite3.h>

#include <memory>
#include <string_view>

#include "search/query.hpp"
#include "search/search_key.hpp"

namespace oaiharvest::store::detail {
namespace {

using TokenCallback = int (*)(void*, int, const char*, int, int, int);

// The tokenizer keeps no state: every instance is this one object.
struct Tokenizer {};
Tokenizer g_tokenizer;

int create(void*, const char** arguments, int count, Fts5Tokenizer** out) {
    (void)arguments;
    if (count != 0) {
        return SQLITE_ERROR;  // it takes no options
    }
    *out = reinterpret_cast<Fts5Tokenizer*>(&g_tokenizer);
    return SQLITE_OK;
}

void destroy(Fts5Tokenizer*) {}

// A term written by search::read_query as it is: keys separated by spaces, each after the mark.
int tokenize_verbatim(std::string_view text, void* context, TokenCallback token) {
    const int end = static_cast<int>(text.size());
    std::size_t at = 0;
    while (at < text.size()) {
        std::size_t space = text.find(' ', at);
        if (space == std::string_view::npos) {
            space = text.size();
        }
        std::string_view key = text.substr(at, space - at);
        if (key.starts_with(search::k_verbatim_mark)) {
            key.remove_prefix(search::k_verbatim_mark.size());
        }
        if (!key.empty()) {
            if (int rc = token(context, 0, key.data(), static_cast<int>(key.size()), 0, end);
                rc != SQLITE_OK) {
                return rc;
            }
        }
        at = space + 1;
    }
    return SQLITE_OK;
}

int tokenize(Fts5Tokenizer*, void* context, int flags, const char* data, int size,
             TokenCallback token) {
    const std::string_view text(data ? data : "", size > 0 ? static_cast<std::size_t>(size) : 0);
    const bool is_query = (flags & FTS5_TOKENIZE_QUERY) != 0;
    if (is_query && text.starts_with(search::k_verbatim_mark)) {
        return tokenize_verbatim(text, context, token);
    }
    int rc = SQLITE_OK;
    try {
        search::for_each_word(text, [&](const search::SearchWord& word) {
            if (rc != SQLITE_OK) {
                return;
            }
            rc = token(context, 0, word.key.data(), static_cast<int>(word.key.size()),
                       static_cast<int>(word.begin), static_cast<int>(word.end));
            if (rc != SQLITE_OK || !is_query) {
                return;
            }
            // A query finds the word in either script.
            const std::string other = search::other_script_key(word);
            if (!other.empty()) {
                rc = token(context, FTS5_TOKEN_COLOCATED, other.data(),
                           static_cast<int>(other.size()), static_cast<int>(word.begin),
                           static_cast<int>(word.end));
            }
        });
    } catch (const std::bad_alloc&) {
        return SQLITE_NOMEM;
    } catch (...) {
        return SQLITE_ERROR;
    }
    return rc;
}

fts5_api* fts5_of(sqlite3* db) {
    fts5_api* api = nullptr;
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &stmt, nullptr) != SQLITE_OK) {
        sqlite3_finalize(stmt);
        return nullptr;
    }
    std::unique_ptr<sqlite3_stmt, int (*)(sqlite3_stmt*)> owned(stmt, sqlite3_finalize);
    if (sqlite3_bind_pointer(stmt, 1, static_cast<void*>(&api), "fts5_api_ptr", nullptr) !=
        SQLITE_OK) {
        return nullptr;
    }
    if (sqlite3_step(stmt) != SQLITE_ROW) {
        return nullptr;
    }
    return api;
}

}  // namespace

int register_search_tokenizer(sqlite3* db) {
    fts5_api* api = fts5_of(db);
    if (!api) {
        // Why, when SQLite knows (a busy or unreadable file); a build without FTS5 otherwise.
        const int cause = sqlite3_extended_errcode(db);
        return cause != SQLITE_OK ? cause : SQLITE_ERROR;
    }
    fts5_tokenizer methods{create, destroy, tokenize};
    return api->xCreateTokenizer(api, "oaiharvest", nullptr, &methods, nullptr);
}

}  // namespace oaiharvest::store::detail
