#pragma once
// Thin RAII over libpq (PGconn, PGresult), for the PostgreSQL store's own use (issue 18); not
// part of the store's API.
//
// A Connection is used by one thread at a time. A Result owns its PGresult and may outlive the
// Connection; a Transaction borrows its Connection and must not. Every failure throws: Error
// for a command the server refused or a lost connection, StoreError for a server that cannot be
// reached.
// Messages name the server without its password (redact_url) and never print to stderr:
// the server's notices go to spdlog at debug level.

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "store/store.hpp"

struct pg_conn;
struct pg_result;

namespace oaiharvest::store::pq {

// A command failed. sqlstate() is the server's five-character code (empty when libpq made the
// error itself, e.g. a lost connection). Not a StoreError (a database the command cannot use,
// exit 2): the work failed (exit 1), as when a SQLite statement fails.
class Error : public std::runtime_error {
public:
    Error(const std::string& message, std::string sqlstate)
        : std::runtime_error(message), m_sqlstate(std::move(sqlstate)) {}
    const std::string& sqlstate() const { return m_sqlstate; }
    // 40001 serialization_failure or 40P01 deadlock_detected: the transaction may be retried.
    bool is_serialization_failure() const { return m_sqlstate == "40001" || m_sqlstate == "40P01"; }
    // 23505 unique_violation.
    bool is_unique_violation() const { return m_sqlstate == "23505"; }

private:
    std::string m_sqlstate;
};

// The conninfo with any password replaced by "***": the user:password of a postgresql:// or
// postgres:// URL and a password parameter (in its query or in a "key=value" string). The rest
// is kept as written.
std::string redact_url(const std::string& conninfo);

// One parameter of a command ($1, $2, ...), made by the functions below. Text parameters are
// sent in text format and left to the server to convert; bytes in binary format, so any byte
// (NUL included) goes as it is.
class Param {
public:
    const std::optional<std::string>& value() const { return m_value; }
    bool binary() const { return m_binary; }

private:
    Param(std::optional<std::string> value, bool binary)
        : m_value(std::move(value)), m_binary(binary) {}
    friend Param text(std::string_view value);
    friend Param text(const std::optional<std::string>& value);
    friend Param integer(std::int64_t value);
    friend Param null();
    friend Param bytes(std::string_view value);
    std::optional<std::string> m_value;
    bool m_binary;
};
Param text(std::string_view value);
Param text(const std::optional<std::string>& value);  // nullopt: NULL
// Without these, a string or a literal would convert to both of the above.
inline Param text(const std::string& value) {
    return text(std::string_view(value));
}
inline Param text(const char* value) {
    return text(std::string_view(value));
}
Param integer(std::int64_t value);
Param null();
Param bytes(std::string_view value);  // for a bytea column
using Params = std::vector<Param>;

// The format the server sends result columns in. Result reads both; binary saves the server
// encoding bytea as hex, and int8 and bytea are all it decodes in binary (besides text).
enum class ResultFormat { text, binary };

// A command's result: rows and columns, 0-based. Throws Error for a cell out of range, or a
// value that is not what the getter reads.
class Result {
public:
    explicit Result(pg_result* result) : m_result(result) {}
    ~Result();
    Result(const Result&) = delete;
    Result& operator=(const Result&) = delete;
    Result(Result&& other) noexcept : m_result(std::exchange(other.m_result, nullptr)) {}
    Result& operator=(Result&& other) noexcept;

    int rows() const;
    int columns() const;
    bool is_null(int row, int column) const;
    // The value as it came; valid as long as the Result. Empty for NULL.
    std::string_view text(int row, int column) const;
    // nullopt for NULL.
    std::optional<std::string> optional_text(int row, int column) const;
    // An int2, int4 or int8 (or text of an integer). Throws Error for NULL.
    std::int64_t int64(int row, int column) const;
    // A bytea's bytes, from either format. Throws Error for NULL.
    std::string bytes(int row, int column) const;
    // The number of rows the command affected (INSERT, UPDATE, DELETE), 0 for others.
    std::int64_t affected() const;
    pg_result* handle() const { return m_result; }

private:
    void check_cell(int row, int column) const;
    pg_result* m_result = nullptr;
};

class Connection {
public:
    // conninfo: a URL (postgresql://user@host:port/db?host=/socket/dir) or "key=value ...".
    // The client encoding is UTF8. Throws StoreError naming the server (redacted) and libpq's
    // reason when it cannot connect.
    static Connection open(const std::string& conninfo);
    ~Connection();
    Connection(const Connection&) = delete;
    Connection& operator=(const Connection&) = delete;
    Connection(Connection&& other) noexcept;
    Connection& operator=(Connection&& other) noexcept;

    // One statement with $n parameters. Throws Error with the server's message, its SQLSTATE
    // and the statement's first line.
    Result exec(std::string_view sql, const Params& params = {},
                ResultFormat format = ResultFormat::text);
    // As exec(), the statement prepared on its first use on this connection, so that the server
    // parses and plans it once: for the statements a harvest runs for every record. A
    // parameter's type (bytes or not) is the first call's.
    Result exec_prepared(std::string_view sql, const Params& params = {},
                         ResultFormat format = ResultFormat::text);
    // Statements without parameters, several separated by ';' (a schema). Throws Error.
    void exec_script(const std::string& sql);
    // Runs a query in libpq's single-row mode: on_row gets the rows in order, in Results of
    // one row (it should read all of result.rows(): libpq may refuse the mode, and then all
    // rows come in one), so memory stays that of one row whatever the number of rows. When
    // on_row throws, the query is cancelled, its rows drained, and the exception rethrown; in
    // a transaction, the cancel aborts the transaction. Throws Error as exec does.
    void for_each_row(std::string_view sql, const Params& params,
                      const std::function<void(const Result& row)>& on_row,
                      ResultFormat format = ResultFormat::text);
    // The server, as redact_url gives it.
    const std::string& name() const { return m_name; }
    pg_conn* handle() const { return m_conn; }

private:
    Connection(pg_conn* conn, std::string name) : m_conn(conn), m_name(std::move(name)) {}
    [[noreturn]] void fail(pg_result* result, std::string_view sql) const;
    void cancel() noexcept;
    void send(std::string_view sql, const Params& params, ResultFormat format);
    pg_conn* m_conn = nullptr;
    std::string m_name;
    // exec_prepared's statements on this connection: the SQL text and the name it has.
    std::map<std::string, std::string, std::less<>> m_prepared;
};

// The isolation level of a Transaction; the server's default (read committed) when none.
enum class Isolation { read_committed, repeatable_read, serializable };

// BEGIN on construction; ROLLBACK in the destructor unless commit() succeeded, so an exception
// half-way leaves nothing of the change. The destructor never throws.
class Transaction {
public:
    explicit Transaction(Connection& conn, std::optional<Isolation> isolation = std::nullopt);
    ~Transaction();
    Transaction(const Transaction&) = delete;
    Transaction& operator=(const Transaction&) = delete;
    Transaction(Transaction&&) = delete;
    Transaction& operator=(Transaction&&) = delete;
    // COMMIT. Throws Error (e.g. a serialization failure), after which the transaction is over.
    void commit();

private:
    Connection& m_conn;
    bool m_done = false;
};

}  // namespace oaiharvest::store::pq
