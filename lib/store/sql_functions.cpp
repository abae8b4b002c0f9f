#include "store/sql_functions.hpp"

#include <sqlite3.h>

#include <map>
#include <memory>
#include <string>

#include "store/packing.hpp"
#include "store/search_tokenizer.hpp"

namespace oaiharvest::store::detail {
namespace {

// One per connection (SQLite calls a function on the connection's thread only).
struct Functions {
    DictionaryCache dictionaries;
    // The `items` view calls oaiharvest_unpack once per column on the same frame: the last frame
    // and its text are kept so that a row costs one decompression, not twenty.
    std::string last_frame;
    std::string last_text;
};

std::span<const std::uint8_t> blob_of(sqlite3_value* value) {
    const auto* data = static_cast<const std::uint8_t*>(sqlite3_value_blob(value));
    return {data, static_cast<std::size_t>(sqlite3_value_bytes(value))};
}

void unpack_function(sqlite3_context* context, int, sqlite3_value** argv) {
    auto& f = *static_cast<Functions*>(sqlite3_user_data(context));
    int type = sqlite3_value_type(argv[0]);
    if (type == SQLITE_NULL) {
        sqlite3_result_null(context);
        return;
    }
    auto bytes = blob_of(argv[0]);
    if (type != SQLITE_BLOB || !is_packed(bytes)) {
        sqlite3_result_text64(context, reinterpret_cast<const char*>(bytes.data()), bytes.size(),
                              SQLITE_TRANSIENT, SQLITE_UTF8);
        return;
    }
    try {
        std::string_view frame(reinterpret_cast<const char*>(bytes.data()), bytes.size());
        if (frame != f.last_frame) {
            const auto* dictionary =
                f.dictionaries.find(sqlite3_context_db_handle(context), dictionary_id(bytes));
            unpack_into(f.last_text, bytes, dictionary);
            f.last_frame.assign(frame);
        }
        sqlite3_result_text64(context, f.last_text.data(), f.last_text.size(), SQLITE_TRANSIENT,
                              SQLITE_UTF8);
    } catch (const std::exception& e) {
        f.last_frame.clear();
        sqlite3_result_error(context, e.what(), -1);
    }
}

void pack_function(sqlite3_context* context, int, sqlite3_value** argv) {
    auto& f = *static_cast<Functions*>(sqlite3_user_data(context));
    if (sqlite3_value_type(argv[0]) == SQLITE_NULL) {
        sqlite3_result_null(context);
        return;
    }
    try {
        auto id = static_cast<std::uint32_t>(sqlite3_value_int64(argv[1]));
        const auto* dictionary = f.dictionaries.find(sqlite3_context_db_handle(context), id);
        auto bytes = blob_of(argv[0]);
        auto frame =
            pack(std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()),
                 dictionary);
        sqlite3_result_blob64(context, frame.data(), frame.size(), SQLITE_TRANSIENT);
    } catch (const std::exception& e) {
        sqlite3_result_error(context, e.what(), -1);
    }
}

}  // namespace

const Dictionary* DictionaryCache::find(sqlite3* db, std::uint32_t id) {
    if (id == 0) {
        return nullptr;
    }
    if (auto it = m_dictionaries.find(id); it != m_dictionaries.end()) {
        return it->second.get();
    }
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v2(db, "SELECT bytes FROM dictionaries WHERE id = ?1", -1, &stmt,
                           nullptr) != SQLITE_OK) {
        sqlite3_finalize(stmt);
        throw std::runtime_error(std::string("cannot read the dictionaries table: ") +
                                 sqlite3_errmsg(db));
    }
    std::unique_ptr<sqlite3_stmt, int (*)(sqlite3_stmt*)> owned(stmt, sqlite3_finalize);
    if (sqlite3_bind_int64(stmt, 1, id) != SQLITE_OK) {
        throw std::runtime_error(sqlite3_errmsg(db));
    }
    int rc = sqlite3_step(stmt);
    if (rc != SQLITE_ROW) {
        throw std::runtime_error(rc == SQLITE_DONE
                                     ? "zstd dictionary " + std::to_string(id) +
                                           " of a stored value is missing from the database"
                                     : std::string(sqlite3_errmsg(db)));
    }
    const auto* data = static_cast<const char*>(sqlite3_column_blob(stmt, 0));
    std::string bytes(data ? data : "", static_cast<std::size_t>(sqlite3_column_bytes(stmt, 0)));
    auto dictionary = std::make_shared<const Dictionary>(id, std::move(bytes));
    return m_dictionaries.emplace(id, std::move(dictionary)).first->second.get();
}

void read_stored_text(sqlite3* db, DictionaryCache& cache, std::span<const std::uint8_t> value,
                      std::string& out) {
    if (!is_packed(value)) {
        out.assign(reinterpret_cast<const char*>(value.data()), value.size());
        return;
    }
    unpack_into(out, value, cache.find(db, dictionary_id(value)));
}

int register_functions(sqlite3* db) {
    auto* functions = new Functions();
    auto destroy = [](void* p) { delete static_cast<Functions*>(p); };
    // Both share one Functions, owned by oaiharvest_pack: SQLite destroys it when that function
    // is dropped, and also when registering it fails.
    int rc = sqlite3_create_function_v2(db, "oaiharvest_pack", 2, SQLITE_UTF8, functions,
                                        pack_function, nullptr, nullptr, destroy);
    if (rc != SQLITE_OK) {
        return rc;
    }
    rc = sqlite3_create_function_v2(db, "oaiharvest_unpack", 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC,
                                    functions, unpack_function, nullptr, nullptr, nullptr);
    if (rc != SQLITE_OK) {
        return rc;
    }
    return register_search_tokenizer(db);
}

void register_functions(sql::Database& db) {
    db.check(register_functions(db.handle()),
             "registering oaiharvest_pack, oaiharvest_unpack and the search tokenizer");
}

}  // namespace oaiharvest::store::detail
