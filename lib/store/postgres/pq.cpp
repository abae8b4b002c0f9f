// pq::Connection and pq::Transaction: connecting, commands, errors, single-row streaming.
#include "store/postgres/pq.hpp"

#include <libpq-fe.h>
#include <spdlog/spdlog.h>

#include <exception>

namespace oaiharvest::store::pq {
namespace {

// The bytea type's OID (pg_type.dat): binary parameters are declared bytea, so that the server
// never has to guess the type of bytes it cannot read as text.
constexpr Oid k_pq_bytea_oid = 17;

// libpq's message on one line: its line breaks and the indentation after them (libpq writes
// "server closed the connection unexpectedly\n\tThis probably means ...") become one space,
// so that a log line or an error message stays one line.
std::string pq_trimmed(const char* message) {
    std::string text;
    for (const char* c = message == nullptr ? "" : message; *c != '\0'; ++c) {
        const bool blank = *c == '\n' || *c == '\r' || *c == '\t' || *c == ' ';
        if (!blank) {
            text += *c;
        } else if (!text.empty() && text.back() != ' ') {
            text += ' ';
        }
    }
    if (!text.empty() && text.back() == ' ') {
        text.pop_back();
    }
    return text;
}

// The statement for a message: its first line, at most k_most bytes.
std::string_view pq_first_line(std::string_view sql) {
    std::size_t start = sql.find_first_not_of(" \t\r\n");
    if (start == std::string_view::npos) {
        return {};
    }
    sql.remove_prefix(start);
    sql = sql.substr(0, sql.find('\n'));
    constexpr std::size_t k_most = 200;  // a generated one-line statement can be huge
    if (sql.size() > k_most) {
        std::size_t cut = k_most;
        while (cut > 0 && (static_cast<unsigned char>(sql[cut]) & 0xC0) == 0x80) {
            --cut;  // not inside a UTF-8 character
        }
        sql = sql.substr(0, cut);
    }
    return sql;
}

// libpq calls this for each notice (a NOTICE or WARNING from the server), instead of printing
// it to stderr. A C callback: nothing may be thrown through it.
void pq_log_notice(void* /*unused*/, const char* message) noexcept {
    try {
        spdlog::debug("PostgreSQL: {}", pq_trimmed(message));
    } catch (...) {  // NOLINT(bugprone-empty-catch): a notice lost is no failure
    }
}

// The arrays PQexecParams and PQsendQueryParams take, pointing into `params`.
struct PqParamArrays {
    explicit PqParamArrays(const Params& params) {
        for (const Param& param : params) {
            values.push_back(param.value() ? param.value()->data() : nullptr);
            lengths.push_back(param.value() ? static_cast<int>(param.value()->size()) : 0);
            formats.push_back(param.binary() ? 1 : 0);
            types.push_back(param.binary() ? k_pq_bytea_oid : 0);
        }
    }
    int size() const { return static_cast<int>(values.size()); }
    std::vector<const char*> values;
    std::vector<int> lengths;
    std::vector<int> formats;
    std::vector<Oid> types;
};

int pq_result_format(ResultFormat format) {
    return format == ResultFormat::binary ? 1 : 0;
}

}  // namespace

Connection Connection::open(const std::string& conninfo) {
    std::string name = redact_url(conninfo);
    // expand_dbname: the first "dbname" is the whole conninfo (URL or key=value); keywords
    // after it override what it says.
    const char* const keywords[] = {"dbname", "client_encoding", nullptr};
    const char* const values[] = {conninfo.c_str(), "UTF8", nullptr};
    PGconn* raw = PQconnectdbParams(keywords, values, 1);
    if (raw == nullptr) {
        throw StoreError("cannot connect to PostgreSQL at " + name + ": out of memory");
    }
    Connection conn(raw, name);
    if (PQstatus(raw) != CONNECTION_OK) {
        throw StoreError("cannot connect to PostgreSQL at " + name + ": " +
                         pq_trimmed(PQerrorMessage(raw)));
    }
    // Returns the previous processor; there is no failure to check.
    (void)PQsetNoticeProcessor(raw, &pq_log_notice, nullptr);
    return conn;
}

Connection::~Connection() {
    PQfinish(m_conn);
}

Connection::Connection(Connection&& other) noexcept
    : m_conn(std::exchange(other.m_conn, nullptr)),
      m_name(std::move(other.m_name)),
      m_prepared(std::move(other.m_prepared)) {}

Connection& Connection::operator=(Connection&& other) noexcept {
    if (this != &other) {
        PQfinish(m_conn);
        m_conn = std::exchange(other.m_conn, nullptr);
        m_name = std::move(other.m_name);
        m_prepared = std::move(other.m_prepared);
    }
    return *this;
}

void Connection::fail(pg_result* result, std::string_view sql) const {
    std::string sqlstate;
    std::string message;
    if (result != nullptr) {
        const char* state = PQresultErrorField(result, PG_DIAG_SQLSTATE);
        sqlstate = state == nullptr ? "" : state;
        message = pq_trimmed(PQresultErrorField(result, PG_DIAG_MESSAGE_PRIMARY));
        std::string detail = pq_trimmed(PQresultErrorField(result, PG_DIAG_MESSAGE_DETAIL));
        if (!detail.empty()) {
            message += " (" + detail + ")";
        }
    }
    if (message.empty()) {
        message = pq_trimmed(PQerrorMessage(m_conn));
    }
    if (PQstatus(m_conn) == CONNECTION_BAD) {
        throw Error("the connection to the server " + m_name + " was lost: " + message, sqlstate);
    }
    throw Error(message + (sqlstate.empty() ? "" : " [SQLSTATE " + sqlstate + "]") +
                    ", in: " + std::string(pq_first_line(sql)),
                sqlstate);
}

Result Connection::exec(std::string_view sql, const Params& params, ResultFormat format) {
    std::string statement(sql);  // libpq wants it NUL-terminated
    PqParamArrays arrays(params);
    Result result(PQexecParams(m_conn, statement.c_str(), arrays.size(), arrays.types.data(),
                               arrays.values.data(), arrays.lengths.data(), arrays.formats.data(),
                               pq_result_format(format)));
    ExecStatusType status = PQresultStatus(result.handle());  // PGRES_FATAL_ERROR for null
    if (result.handle() == nullptr || (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK)) {
        fail(result.handle(), sql);
    }
    return result;
}

Result Connection::exec_prepared(std::string_view sql, const Params& params, ResultFormat format) {
    PqParamArrays arrays(params);
    auto known = m_prepared.find(sql);
    if (known == m_prepared.end()) {
        std::string name = "oaiharvest_" + std::to_string(m_prepared.size() + 1);
        std::string statement(sql);
        Result prepared(
            PQprepare(m_conn, name.c_str(), statement.c_str(), arrays.size(), arrays.types.data()));
        if (prepared.handle() == nullptr || PQresultStatus(prepared.handle()) != PGRES_COMMAND_OK) {
            fail(prepared.handle(), sql);
        }
        known = m_prepared.emplace(std::move(statement), std::move(name)).first;
    }
    Result result(PQexecPrepared(m_conn, known->second.c_str(), arrays.size(), arrays.values.data(),
                                 arrays.lengths.data(), arrays.formats.data(),
                                 pq_result_format(format)));
    ExecStatusType status = PQresultStatus(result.handle());
    if (result.handle() == nullptr || (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK)) {
        fail(result.handle(), sql);
    }
    return result;
}

void Connection::exec_script(const std::string& sql) {
    Result result(PQexec(m_conn, sql.c_str()));
    ExecStatusType status = PQresultStatus(result.handle());
    if (result.handle() == nullptr ||
        (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK && status != PGRES_EMPTY_QUERY)) {
        fail(result.handle(), sql);
    }
}

void Connection::send(std::string_view sql, const Params& params, ResultFormat format) {
    std::string statement(sql);
    PqParamArrays arrays(params);
    if (PQsendQueryParams(m_conn, statement.c_str(), arrays.size(), arrays.types.data(),
                          arrays.values.data(), arrays.lengths.data(), arrays.formats.data(),
                          pq_result_format(format)) == 0) {
        fail(nullptr, sql);
    }
}

void Connection::for_each_row(std::string_view sql, const Params& params,
                              const std::function<void(const Result& row)>& on_row,
                              ResultFormat format) {
    send(sql, params, format);
    // Fails only when called at the wrong time, which send() just made the right one; the
    // query then runs in the ordinary mode, and rows still come one Result at a time below.
    if (PQsetSingleRowMode(m_conn) == 0) {
        spdlog::debug("PostgreSQL: single-row mode refused for: {}", pq_first_line(sql));
    }
    // Every result must be read, whatever happens, before the connection takes another command.
    std::exception_ptr failure;
    while (true) {
        Result result(PQgetResult(m_conn));
        if (result.handle() == nullptr) {
            break;
        }
        ExecStatusType status = PQresultStatus(result.handle());
        if (failure) {
            continue;  // draining, after the first failure
        }
        try {
            if (status == PGRES_SINGLE_TUPLE || status == PGRES_TUPLES_OK) {
                if (result.rows() > 0) {
                    on_row(result);  // PGRES_TUPLES_OK has rows when single-row mode was refused
                }
            } else {
                fail(result.handle(), sql);
            }
        } catch (...) {
            failure = std::current_exception();
            if (status == PGRES_SINGLE_TUPLE) {
                cancel();
            }
        }
    }
    if (failure) {
        std::rethrow_exception(failure);
    }
}

void Connection::cancel() noexcept {
    PGcancel* cancel = PQgetCancel(m_conn);
    if (cancel == nullptr) {
        return;  // no connection to cancel on: the rows are drained instead
    }
    char reason[256];
    if (PQcancel(cancel, reason, sizeof reason) == 0) {
        // The rows are then drained to the end instead; slower, not wrong.
        try {
            spdlog::debug("PostgreSQL: cancelling a query failed: {}", pq_trimmed(reason));
        } catch (...) {  // NOLINT(bugprone-empty-catch)
        }
    }
    PQfreeCancel(cancel);
}

Transaction::Transaction(Connection& conn, std::optional<Isolation> isolation) : m_conn(conn) {
    if (!isolation) {
        m_conn.exec("BEGIN");
    } else if (*isolation == Isolation::read_committed) {
        m_conn.exec("BEGIN ISOLATION LEVEL READ COMMITTED");
    } else if (*isolation == Isolation::repeatable_read) {
        m_conn.exec("BEGIN ISOLATION LEVEL REPEATABLE READ");
    } else {
        m_conn.exec("BEGIN ISOLATION LEVEL SERIALIZABLE");
    }
}

Transaction::~Transaction() {
    if (m_done || PQstatus(m_conn.handle()) != CONNECTION_OK) {
        return;  // a lost connection's transaction is rolled back by the server
    }
    PGresult* result = PQexec(m_conn.handle(), "ROLLBACK");
    if (PQresultStatus(result) != PGRES_COMMAND_OK) {
        // Nothing to do about it here: the first error is the one propagating, if any, and
        // the server rolls back when the connection closes.
        try {
            spdlog::debug("PostgreSQL: ROLLBACK failed: {}",
                          pq_trimmed(PQerrorMessage(m_conn.handle())));
        } catch (...) {  // NOLINT(bugprone-empty-catch)
        }
    }
    PQclear(result);
}

void Transaction::commit() {
    m_done = true;  // a failed COMMIT ends the transaction too (the server rolled it back)
    m_conn.exec("COMMIT");
}

}  // namespace oaiharvest::store::pq
