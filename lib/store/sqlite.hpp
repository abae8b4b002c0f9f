#pragma once
// Thin RAII over sqlite3 and sqlite3_stmt, for the store's own use (not part of its API).
// A Database is used by one thread at a time. Statements borrow their Database.

#include <chrono>
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
    // read_only never writes the file (SQLite's mode=ro); immutable also takes no locks and
    // ignores a -wal file, for a database on read-only media; read_write needs the file to
    // exist; create makes it when it does not. Throws Error naming the path.
    enum class Mode { read_only, immutable, read_write, create };
    Database(const std::string& path, Mode mode);
    ~Database();
    Database(const Database&) = delete;
    Database& operator=(const Database&) = delete;
    Database(Database&&) = delete;
    Database& operator=(Database&&) = delete;

    // Statements without parameters only (DDL, BEGIN, PRAGMA). Throws Error with the SQL and
    // SQLite's message.
    void exec(const char* sql);
    // After a failure inside a transaction: rolls it back and reports nothing, so that the first
    // error is the one that propagates. False when the transaction may still be open.
    [[nodiscard]] bool try_rollback() noexcept;
    // True when SQLite opened the main database read-only.
    bool read_only() const;
    const std::string& path() const { return m_path; }
    sqlite3* handle() const { return m_db; }
    std::int64_t last_insert_rowid() const;
    int changes() const;
    [[noreturn]] void fail(const std::string& what) const;
    // Throws Error when rc is not SQLITE_OK (for calls that leave no message in the handle).
    void check(int rc, const std::string& what) const;
    // Statements still running at `deadline` stop with an Error (SQLITE_INTERRUPT); nullopt:
    // no limit. For a server, which bounds the time each request takes.
    void set_deadline(std::optional<std::chrono::steady_clock::time_point> deadline);

private:
    static int on_progress(void* self) noexcept;
    sqlite3* m_db = nullptr;
    std::string m_path;
    std::optional<std::chrono::steady_clock::time_point> m_deadline;
};

// BEGIN IMMEDIATE, rolled back unless committed: a failure half-way leaves nothing of the
// change.
class Transaction {
public:
    explicit Transaction(Database& db) : m_db(db) { m_db.exec("BEGIN IMMEDIATE"); }
    ~Transaction() {
        if (!m_done) {
            (void)m_db.try_rollback();
        }
    }
    Transaction(const Transaction&) = delete;
    Transaction& operator=(const Transaction&) = delete;
    Transaction(Transaction&&) = delete;
    Transaction& operator=(Transaction&&) = delete;
    void commit() {
        m_db.exec("COMMIT");
        m_done = true;
    }

private:
    Database& m_db;
    bool m_done = false;
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
    // Bytes as a blob, not copied: they must outlive the step.
    Statement& bind_blob_static(int index, std::string_view value);
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
    Statement& checked_bind(int rc, int index);
    Database& m_db;
    sqlite3_stmt* m_stmt = nullptr;
};

}  // namespace oaiharvest::store::sql
