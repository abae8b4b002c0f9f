#pragma once
// Thin RAII over sqlite3 and sqlite3_stmt, for the store's own use (not part of its API).
// A Database is used by one thread at a time. Statements borrow their Database.

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>

struct sqlite3;
struct sqlite3_stmt;

namespace oaiharvest::store::sql {

class Error : public std::runtime_error {
public:
    Error(const std::string& message, int code, std::string sqlite_message = {})
        : std::runtime_error(message), m_code(code), m_sqlite_message(std::move(sqlite_message)) {}
    int code() const { return m_code; }
    // SQLite's own words, without the database path and statement (for a user's FTS query).
    const std::string& sqlite_message() const { return m_sqlite_message; }

private:
    int m_code;
    std::string m_sqlite_message;
};

class Database {
public:
    enum class Mode { read_only, read_write };
    Database(const std::string& path, Mode mode);
    ~Database();
    Database(const Database&) = delete;
    Database& operator=(const Database&) = delete;
    Database(Database&&) = delete;
    Database& operator=(Database&&) = delete;

    void exec(const char* sql);  // statements without parameters only (DDL, BEGIN, PRAGMA)
    sqlite3* handle() const { return m_db; }
    std::int64_t last_insert_rowid() const;
    int changes() const;
    [[noreturn]] void fail(const std::string& what) const;

private:
    sqlite3* m_db = nullptr;
    std::string m_path;
};

class Statement {
public:
    Statement(Database& db, std::string_view sql);
    ~Statement();
    Statement(const Statement&) = delete;
    Statement& operator=(const Statement&) = delete;
    Statement(Statement&&) = delete;
    Statement& operator=(Statement&&) = delete;

    // Binding is by 1-based index; text and blobs are copied (SQLITE_TRANSIENT) unless the
    // caller promises they outlive the step (bind_static).
    Statement& bind(int index, std::int64_t value);
    Statement& bind(int index, std::string_view value);
    Statement& bind(int index, const std::string& value) {
        return bind(index, std::string_view(value));
    }
    Statement& bind(int index, const char* value) { return bind(index, std::string_view(value)); }
    Statement& bind(int index, const std::optional<std::string>& value);
    Statement& bind_static(int index, std::string_view value);
    Statement& bind_blob(int index, std::span<const std::uint8_t> value);
    Statement& bind_null(int index);

    // true while there is a row; false when done. Throws on error.
    bool step();
    // Runs to completion (an INSERT/UPDATE/DELETE) and resets.
    void run();
    // Resets and clears bindings: sqlite3_reset alone keeps the old bindings.
    void reset();

    bool is_null(int column) const;
    std::int64_t int64(int column) const;
    double real(int column) const;
    std::string_view text(int column) const;  // valid until the next step/reset
    std::optional<std::string> optional_text(int column) const;
    std::span<const std::uint8_t> blob(int column) const;

private:
    void check_bind(int rc, int index);  // throws Error unless rc is SQLITE_OK
    Database& m_db;
    sqlite3_stmt* m_stmt = nullptr;
};

}  // namespace oaiharvest::store::sql
