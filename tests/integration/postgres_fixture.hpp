#pragma once
// What the PostgreSQL integration tests share (issue 18): a fresh database of the test server
// for a mirror, its URL with a password in it (which no message may show), SQL run on it from
// the test, and the status with its wall-clock times left out.

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "store/postgres/pq.hpp"
#include "support/postgres_server.hpp"

namespace oaiharvest::test {

inline constexpr const char* k_password = "secret";

// The URL with "oaiharvest:secret@" for "oaiharvest@": the test server trusts every user, so
// the password is never checked, but it is in every command line and must be in no output.
inline std::string with_password(const std::string& url) {
    const std::string user = "postgresql://oaiharvest@";
    REQUIRE(url.starts_with(user));
    return "postgresql://oaiharvest:" + std::string(k_password) + "@" + url.substr(user.size());
}

// A fresh database of the shared test server, as a URL with a password.
inline std::string new_mirror_url() {
    return with_password(postgres().new_database());
}

// Runs statements on the database; the rows of the last one, each row's columns joined by '|'.
inline std::vector<std::string> sql(const std::string& url, const std::string& statement) {
    auto conn = store::pq::Connection::open(url);
    auto result = conn.exec(statement);
    std::vector<std::string> rows;
    for (int row = 0; row < result.rows(); ++row) {
        std::string line;
        for (int column = 0; column < result.columns(); ++column) {
            line += (column ? "|" : "") + std::string(result.text(row, column));
        }
        rows.push_back(line);
    }
    return rows;
}

// The tables of the database's public schema, sorted.
inline std::vector<std::string> tables_of(const std::string& url) {
    return sql(url,
               "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename");
}

// `status --json` without what only says when a run happened.
inline nlohmann::json without_times(nlohmann::json status) {
    for (auto& scope : status) {
        for (const char* run : {"last_run", "last_reconcile"}) {
            if (scope[run].is_object()) {
                scope[run].erase("started_at");
                scope[run].erase("finished_at");
            }
        }
    }
    return status;
}

// True when the text is one line ending in "\n".
inline bool one_line(const std::string& text) {
    return !text.empty() && text.find('\n') == text.size() - 1;
}

}  // namespace oaiharvest::test
