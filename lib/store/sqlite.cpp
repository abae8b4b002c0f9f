#include "store/sqlite.hpp"

#include <sqlite3.h>

#include <chrono>
#include <string>
#include <thread>

namespace oaiharvest::store::sql {

namespace {

// A path as the body of a file: URI (SQLite decodes %HH in it).
std::string uri_path(const std::string& path) {
    static constexpr char k_hex[] = "0123456789ABCDEF";
    std::string out;
    for (unsigned char c : path) {
        if (c == '%' || c == '?' || c == '#' || c < 0x20 || c >= 0x7f) {
            out += '%';
            out += k_hex[c >> 4];
            out += k_hex[c & 15];
        } else {
            out += static_cast<char>(c);
        }
    }
    return out;
}

// The SQL in a message: whole, unless it is a migration's script.
std::string quoted_sql(std::string_view sql) {
    constexpr std::size_t k_max = 300;
    return "\"" + std::string(sql.substr(0, k_max)) + (sql.size() > k_max ? "...\"" : "\"");
}

int open_flags(Database::Mode mode) {
    switch (mode) {
        case Database::Mode::read_only:
        case Database::Mode::immutable:
            return SQLITE_OPEN_READONLY | SQLITE_OPEN_URI;
        case Database::Mode::read_write:
            return SQLITE_OPEN_READWRITE | SQLITE_OPEN_URI;
        case Database::Mode::create:
            break;
    }
    return SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_URI;
}

}  // namespace

Database::Database(const std::string& path, Mode mode) : m_path(path) {
    // mode=ro: without it, SQLite quietly opens a file it may not write read-only even when asked
    // for read-write, and a read-only open asked for must never fall back the other way.
    // immutable=1 reads a WAL database whose -shm cannot be created (a read-only mount): SQLite
    // then takes no locks and ignores any -wal, which is right only when nobody can write.
    // An absolute path gets an empty authority: "file://x/..." would read x as a host.
    std::string uri = (path.starts_with('/') ? "file://" : "file:") + uri_path(path);
    if (mode == Mode::read_only) {
        uri += "?mode=ro";
    } else if (mode == Mode::immutable) {
        uri += "?mode=ro&immutable=1";
    } else if (mode == Mode::read_write) {
        uri += "?mode=rw";
    }
    int rc = sqlite3_open_v2(uri.c_str(), &m_db, open_flags(mode) | SQLITE_OPEN_NOMUTEX, nullptr);
    if (rc != SQLITE_OK) {
        std::string message = m_db ? sqlite3_errmsg(m_db) : sqlite3_errstr(rc);
        sqlite3_close_v2(m_db);
        m_db = nullptr;
        throw Error("cannot open database " + path + ": " + message, rc, message);
    }
    check(sqlite3_extended_result_codes(m_db, 1), "enabling extended result codes");
    // A reader never waits on a harvest (WAL). A writer waits for another's page commit, which
    // is short, or for a page too large to hold in memory, which streams into its transaction
    // (store.hpp); the daemon's parallel workers must outwait the latter rather than fail.
    // SQLite's own busy timeout sleeps up to 100 ms between tries, which leaves the lock idle
    // while parallel workers queue for their short page commits: look again every millisecond.
    check(sqlite3_busy_handler(
              m_db,
              [](void*, int tries) -> int {
                  constexpr int k_max_tries = 300'000;  // about five minutes
                  if (tries >= k_max_tries) {
                      return 0;
                  }
                  std::this_thread::sleep_for(std::chrono::milliseconds{1});
                  return 1;
              },
              nullptr),
          "setting the busy handler");
}

void Database::set_deadline(std::optional<std::chrono::steady_clock::time_point> deadline) {
    m_deadline = deadline;
    // Every few thousand virtual machine instructions: a fraction of a millisecond.
    constexpr int k_instructions = 4096;
    sqlite3_progress_handler(m_db, deadline ? k_instructions : 0, deadline ? on_progress : nullptr,
                             this);
}

int Database::on_progress(void* self) noexcept {
    const auto& deadline = static_cast<Database*>(self)->m_deadline;
    return deadline && std::chrono::steady_clock::now() >= *deadline ? 1 : 0;
}

Database::~Database() {
    // close_v2 never fails for want of finalized statements (it defers the close until they
    // are), and a destructor has no one to tell of an I/O error on the final checkpoint.
    sqlite3_close_v2(m_db);
}

void Database::exec(const char* sql) {
    char* message = nullptr;
    if (sqlite3_exec(m_db, sql, nullptr, nullptr, &message) != SQLITE_OK) {
        std::string text = message ? message : "unknown error";
        sqlite3_free(message);
        throw Error(m_path + ": " + quoted_sql(sql) + " failed: " + text,
                    sqlite3_extended_errcode(m_db), text);
    }
}

bool Database::try_rollback() noexcept {
    // ROLLBACK fails harmlessly when SQLite has already rolled back (after SQLITE_FULL or an I/O
    // error, say); either way the caller's first error is the one to report.
    return sqlite3_exec(m_db, "ROLLBACK", nullptr, nullptr, nullptr) == SQLITE_OK ||
           sqlite3_get_autocommit(m_db) != 0;
}

bool Database::read_only() const {
    return sqlite3_db_readonly(m_db, "main") == 1;
}

std::int64_t Database::last_insert_rowid() const {
    return sqlite3_last_insert_rowid(m_db);
}

int Database::changes() const {
    return sqlite3_changes(m_db);
}

void Database::check(int rc, const std::string& what) const {
    if (rc != SQLITE_OK) {
        std::string message = sqlite3_errstr(rc);
        throw Error(m_path + ": " + what + ": " + message, rc, message);
    }
}

void Database::fail(const std::string& what) const {
    std::string message = sqlite3_errmsg(m_db);
    throw Error(m_path + ": " + what + ": " + message, sqlite3_extended_errcode(m_db), message);
}

Statement::Statement(Database& db, std::string_view sql) : m_db(db) {
    if (sqlite3_prepare_v3(db.handle(), sql.data(), static_cast<int>(sql.size()),
                           SQLITE_PREPARE_PERSISTENT, &m_stmt, nullptr) != SQLITE_OK) {
        db.fail("cannot prepare " + quoted_sql(sql));
    }
}

Statement::~Statement() {
    // finalize repeats the last step's error, which step() has already thrown.
    sqlite3_finalize(m_stmt);
}

Statement& Statement::checked_bind(int rc, int index) {
    if (rc != SQLITE_OK) {
        m_db.fail("cannot bind parameter " + std::to_string(index) + " of " +
                  quoted_sql(sqlite3_sql(m_stmt)));
    }
    return *this;
}

Statement& Statement::bind(int index, std::int64_t value) {
    return checked_bind(sqlite3_bind_int64(m_stmt, index, value), index);
}

Statement& Statement::bind(int index, std::string_view value) {
    return checked_bind(sqlite3_bind_text64(m_stmt, index, value.data(), value.size(),
                                            SQLITE_TRANSIENT, SQLITE_UTF8),
                        index);
}

Statement& Statement::bind(int index, const std::optional<std::string>& value) {
    return value ? bind(index, std::string_view(*value)) : bind_null(index);
}

Statement& Statement::bind_static(int index, std::string_view value) {
    return checked_bind(
        sqlite3_bind_text64(m_stmt, index, value.data(), value.size(), SQLITE_STATIC, SQLITE_UTF8),
        index);
}

Statement& Statement::bind_blob(int index, std::span<const std::uint8_t> value) {
    return checked_bind(
        sqlite3_bind_blob64(m_stmt, index, value.data(), value.size(), SQLITE_TRANSIENT), index);
}

Statement& Statement::bind_blob_static(int index, std::string_view value) {
    return checked_bind(
        sqlite3_bind_blob64(m_stmt, index, value.data(), value.size(), SQLITE_STATIC), index);
}

Statement& Statement::bind_null(int index) {
    return checked_bind(sqlite3_bind_null(m_stmt, index), index);
}

bool Statement::step() {
    int rc = sqlite3_step(m_stmt);
    if (rc == SQLITE_ROW) {
        return true;
    }
    if (rc == SQLITE_DONE) {
        return false;
    }
    // The message first: reset leaves sqlite3_errmsg alone, but the statement's next user must
    // not see this failure again from its own reset.
    std::string sql = sqlite3_sql(m_stmt);
    try {
        m_db.fail(quoted_sql(sql) + " failed");
    } catch (...) {
        sqlite3_reset(m_stmt);
        throw;
    }
}

void Statement::run() {
    while (step()) {
    }
    reset();
}

void Statement::reset() {
    // reset repeats the error of the last step, which step() has thrown and cleared already:
    // anything it says here is new.
    if (sqlite3_reset(m_stmt) != SQLITE_OK) {
        m_db.fail("cannot reset " + quoted_sql(sqlite3_sql(m_stmt)));
    }
    sqlite3_clear_bindings(m_stmt);  // always SQLITE_OK
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
    if (!data && sqlite3_column_type(m_stmt, column) != SQLITE_NULL) {
        m_db.fail("cannot read column " + std::to_string(column));  // out of memory
    }
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
