#include "store/sqlite.hpp"

#include <sqlite3.h>

#include <chrono>
#include <thread>

namespace oaiharvest::store::sql {

Database::Database(const std::string& path, Mode mode) : m_path(path) {
    int flags =
        mode == Mode::read_only ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
    int rc = sqlite3_open_v2(path.c_str(), &m_db, flags | SQLITE_OPEN_NOMUTEX, nullptr);
    if (rc != SQLITE_OK) {
        std::string message = m_db ? sqlite3_errmsg(m_db) : sqlite3_errstr(rc);
        sqlite3_close_v2(m_db);
        m_db = nullptr;
        throw Error("cannot open database " + path + ": " + message, rc);
    }
    sqlite3_extended_result_codes(m_db, 1);
    // A reader never waits on a harvest (WAL). A writer waits for another's page commit, which
    // is short, or for a page too large to hold in memory, which streams into its transaction
    // (store.hpp); the daemon's parallel workers must outwait the latter rather than fail.
    // SQLite's own busy timeout sleeps up to 100 ms between tries, which leaves the lock idle
    // while parallel workers queue for their short page commits: look again every millisecond.
    sqlite3_busy_handler(
        m_db,
        [](void*, int tries) -> int {
            constexpr int k_max_tries = 300'000;  // about five minutes
            if (tries >= k_max_tries) {
                return 0;
            }
            std::this_thread::sleep_for(std::chrono::milliseconds{1});
            return 1;
        },
        nullptr);
}

Database::~Database() {
    sqlite3_close_v2(m_db);
}

void Database::exec(const char* sql) {
    char* message = nullptr;
    if (sqlite3_exec(m_db, sql, nullptr, nullptr, &message) != SQLITE_OK) {
        std::string text = message ? message : "unknown error";
        sqlite3_free(message);
        throw Error(m_path + ": " + text, sqlite3_extended_errcode(m_db), text);
    }
}

std::int64_t Database::last_insert_rowid() const {
    return sqlite3_last_insert_rowid(m_db);
}

int Database::changes() const {
    return sqlite3_changes(m_db);
}

void Database::fail(const std::string& what) const {
    std::string message = sqlite3_errmsg(m_db);
    throw Error(m_path + ": " + what + ": " + message, sqlite3_extended_errcode(m_db), message);
}

Statement::Statement(Database& db, std::string_view sql) : m_db(db) {
    if (sqlite3_prepare_v3(db.handle(), sql.data(), static_cast<int>(sql.size()),
                           SQLITE_PREPARE_PERSISTENT, &m_stmt, nullptr) != SQLITE_OK) {
        db.fail("cannot prepare \"" + std::string(sql.substr(0, 60)) + "\"");
    }
}

Statement::~Statement() {
    sqlite3_finalize(m_stmt);
}

// A bind fails for an index out of range, a value over SQLite's limits (SQLITE_TOOBIG) or no
// memory: the statement would otherwise run with the parameter NULL.
void Statement::check_bind(int rc, int index) {
    if (rc != SQLITE_OK) {
        std::string sql = sqlite3_sql(m_stmt);
        throw Error("cannot bind parameter " + std::to_string(index) + " of \"" +
                        sql.substr(0, 60) + "\": " + sqlite3_errstr(rc),
                    rc, sqlite3_errstr(rc));
    }
}

Statement& Statement::bind(int index, std::int64_t value) {
    check_bind(sqlite3_bind_int64(m_stmt, index, value), index);
    return *this;
}

Statement& Statement::bind(int index, std::string_view value) {
    check_bind(sqlite3_bind_text64(m_stmt, index, value.data(), value.size(), SQLITE_TRANSIENT,
                                   SQLITE_UTF8),
               index);
    return *this;
}

Statement& Statement::bind(int index, const std::optional<std::string>& value) {
    return value ? bind(index, std::string_view(*value)) : bind_null(index);
}

Statement& Statement::bind_static(int index, std::string_view value) {
    check_bind(
        sqlite3_bind_text64(m_stmt, index, value.data(), value.size(), SQLITE_STATIC, SQLITE_UTF8),
        index);
    return *this;
}

Statement& Statement::bind_blob(int index, std::span<const std::uint8_t> value) {
    check_bind(sqlite3_bind_blob64(m_stmt, index, value.data(), value.size(), SQLITE_TRANSIENT),
               index);
    return *this;
}

Statement& Statement::bind_null(int index) {
    check_bind(sqlite3_bind_null(m_stmt, index), index);
    return *this;
}

bool Statement::step() {
    int rc = sqlite3_step(m_stmt);
    if (rc == SQLITE_ROW) {
        return true;
    }
    if (rc == SQLITE_DONE) {
        return false;
    }
    std::string sql = sqlite3_sql(m_stmt);
    sqlite3_reset(m_stmt);
    m_db.fail("\"" + sql.substr(0, 60) + "\" failed");
}

void Statement::run() {
    while (step()) {
    }
    reset();
}

void Statement::reset() {
    sqlite3_reset(m_stmt);
    sqlite3_clear_bindings(m_stmt);
}

bool Statement::is_null(int column) const {
    return sqlite3_column_type(m_stmt, column) == SQLITE_NULL;
}

std::int64_t Statement::int64(int column) const {
    return sqlite3_column_int64(m_stmt, column);
}

double Statement::real(int column) const {
    return sqlite3_column_double(m_stmt, column);
}

std::string_view Statement::text(int column) const {
    auto* data = reinterpret_cast<const char*>(sqlite3_column_text(m_stmt, column));
    return data ? std::string_view(data, sqlite3_column_bytes(m_stmt, column)) : std::string_view{};
}

std::optional<std::string> Statement::optional_text(int column) const {
    if (is_null(column)) {
        return std::nullopt;
    }
    return std::string(text(column));
}

std::span<const std::uint8_t> Statement::blob(int column) const {
    auto* data = static_cast<const std::uint8_t*>(sqlite3_column_blob(m_stmt, column));
    return {data, static_cast<std::size_t>(sqlite3_column_bytes(m_stmt, column))};
}

}  // namespace oaiharvest::store::sql
