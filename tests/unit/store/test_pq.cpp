// store::pq, the RAII layer over libpq, against a real PostgreSQL server (support/postgres_server).
#include <catch2/catch.hpp>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "store/postgres/pq.hpp"
#include "support/postgres_server.hpp"

using namespace oaiharvest;
namespace pq = oaiharvest::store::pq;

namespace {

// A connection to a database of this test's own.
pq::Connection fresh_database() {
    return pq::Connection::open(test::postgres().new_database());
}

}  // namespace

TEST_CASE("pq: text in Cyrillic and Uzbek Latin round-trips unchanged", "[store][pq]") {
    pq::Connection conn = fresh_database();
    conn.exec("CREATE TABLE t (id int8 PRIMARY KEY, title text NOT NULL)");
    const std::vector<std::string> titles = {"Oʻzbekiston", "Ўзбекистон", "O‘zbek tili",
                                             "Қорақалпоғистон", "plain ASCII"};
    for (std::size_t i = 0; i < titles.size(); ++i) {
        conn.exec("INSERT INTO t VALUES ($1, $2)",
                  {pq::integer(static_cast<std::int64_t>(i)), pq::text(titles[i])});
    }
    pq::Result result = conn.exec("SELECT title, length(title) FROM t ORDER BY id");
    REQUIRE(result.rows() == static_cast<int>(titles.size()));
    for (int row = 0; row < result.rows(); ++row) {
        CHECK(result.text(row, 0) == titles[static_cast<std::size_t>(row)]);
    }
    CHECK(result.int64(0, 1) == 11);  // characters, not bytes: the encoding is UTF8 both ways
    // A parameter compared on the server, not only echoed back.
    CHECK(conn.exec("SELECT count(*) FROM t WHERE title = $1", {pq::text("Ўзбекистон")})
              .int64(0, 0) == 1);
}

TEST_CASE("pq: NULL goes in as a parameter and comes back as NULL", "[store][pq]") {
    pq::Connection conn = fresh_database();
    conn.exec("CREATE TABLE t (id int8, a text, b text, c int8, d bytea)");
    conn.exec("INSERT INTO t VALUES ($1, $2, $3, $4, $5)",
              {pq::integer(1), pq::null(), pq::text(std::optional<std::string>()), pq::null(),
               pq::null()});
    conn.exec("INSERT INTO t VALUES ($1, $2, $3, NULL, NULL)",
              {pq::integer(2), pq::text(std::optional<std::string>("")), pq::text("x")});
    pq::Result result = conn.exec("SELECT a, b, c, d FROM t ORDER BY id");
    for (int column = 0; column < 4; ++column) {
        CHECK(result.is_null(0, column));
    }
    CHECK(result.optional_text(0, 0) == std::nullopt);
    CHECK_THROWS_AS(result.int64(0, 2), pq::Error);
    CHECK_THROWS_AS(result.bytes(0, 3), pq::Error);
    // The empty string is not NULL.
    CHECK_FALSE(result.is_null(1, 0));
    CHECK(result.optional_text(1, 0) == std::optional<std::string>(""));
    CHECK(result.optional_text(1, 1) == std::optional<std::string>("x"));
}

TEST_CASE("pq: int64 extremes round-trip in text and binary results", "[store][pq]") {
    pq::Connection conn = fresh_database();
    conn.exec("CREATE TABLE t (n int8)");
    const std::vector<std::int64_t> numbers = {std::numeric_limits<std::int64_t>::min(), -1, 0, 1,
                                               std::numeric_limits<std::int64_t>::max()};
    for (std::int64_t n : numbers) {
        conn.exec("INSERT INTO t VALUES ($1)", {pq::integer(n)});
    }
    for (pq::ResultFormat format : {pq::ResultFormat::text, pq::ResultFormat::binary}) {
        pq::Result result =
            conn.exec("SELECT n FROM t WHERE n >= $1 ORDER BY n",
                      {pq::integer(std::numeric_limits<std::int64_t>::min())}, format);
        REQUIRE(result.rows() == static_cast<int>(numbers.size()));
        for (int row = 0; row < result.rows(); ++row) {
            CHECK(result.int64(row, 0) == numbers[static_cast<std::size_t>(row)]);
        }
    }
    // An int4 in binary format, negative, is sign-extended.
    CHECK(conn.exec("SELECT (-5)::int4, (-7)::int2", {}, pq::ResultFormat::binary).int64(0, 0) ==
          -5);
    CHECK(conn.exec("SELECT (-5)::int4, (-7)::int2", {}, pq::ResultFormat::binary).int64(0, 1) ==
          -7);
    CHECK_THROWS_AS(conn.exec("SELECT 'twelve'").int64(0, 0), pq::Error);
}

TEST_CASE("pq: bytea with NUL bytes and all 256 byte values round-trips", "[store][pq]") {
    pq::Connection conn = fresh_database();
    conn.exec("CREATE TABLE t (id int8, b bytea)");
    std::string all;
    for (int i = 0; i < 256; ++i) {
        all.push_back(static_cast<char>(i));
    }
    const std::string with_nuls("\0a\0\0b\0", 6);
    conn.exec("INSERT INTO t VALUES (1, $1)", {pq::bytes(all)});
    conn.exec("INSERT INTO t VALUES (2, $1)", {pq::bytes(with_nuls)});
    conn.exec("INSERT INTO t VALUES (3, $1)", {pq::bytes("")});
    for (pq::ResultFormat format : {pq::ResultFormat::text, pq::ResultFormat::binary}) {
        pq::Result result = conn.exec("SELECT b, length(b) FROM t ORDER BY id", {}, format);
        REQUIRE(result.rows() == 3);
        CHECK(result.bytes(0, 0) == all);
        CHECK(result.int64(0, 1) == 256);
        CHECK(result.bytes(1, 0) == with_nuls);
        CHECK(result.int64(1, 1) == 6);
        CHECK(result.bytes(2, 0).empty());
    }
    // Compared on the server: what arrived is the bytes sent.
    CHECK(conn.exec("SELECT count(*) FROM t WHERE b = $1", {pq::bytes(with_nuls)}).int64(0, 0) ==
          1);
}

TEST_CASE("pq: a syntax error throws pq::Error with SQLSTATE 42601 and the statement",
          "[store][pq]") {
    pq::Connection conn = fresh_database();
    try {
        conn.exec("SELEC 1 FROM nowhere\nWHERE secret_second_line");
        FAIL("no error");
    } catch (const pq::Error& e) {
        CHECK(e.sqlstate() == "42601");
        std::string message = e.what();
        CHECK_THAT(message, Catch::Contains("syntax error"));
        CHECK_THAT(message, Catch::Contains("SELEC 1 FROM nowhere"));
        CHECK_THAT(message, !Catch::Contains("secret_second_line"));
        CHECK_FALSE(e.is_serialization_failure());
        CHECK_FALSE(e.is_unique_violation());
    }
    // A huge one-line statement is cut in the message, not inside a character.
    try {
        std::string huge = "SELEC ";
        for (int i = 0; i < 500; ++i) {
            huge += "Ў";
        }
        conn.exec(huge);
        FAIL("no error");
    } catch (const pq::Error& e) {
        std::string message = e.what();
        std::size_t statement = message.rfind(", in: ");
        REQUIRE(statement != std::string::npos);
        CHECK(message.size() - statement <= 6 + 200);
        CHECK_THAT(message, Catch::EndsWith("ЎЎ"));
    }
    // The connection is still usable.
    CHECK(conn.exec("SELECT 1").int64(0, 0) == 1);
}

TEST_CASE("pq: a unique violation and a serialization failure are recognized", "[store][pq]") {
    pq::Connection conn = fresh_database();
    conn.exec("CREATE TABLE t (k text PRIMARY KEY)");
    conn.exec("INSERT INTO t VALUES ($1)", {pq::text("Ўзбекистон")});
    try {
        conn.exec("INSERT INTO t VALUES ($1)", {pq::text("Ўзбекистон")});
        FAIL("no error");
    } catch (const pq::Error& e) {
        CHECK(e.is_unique_violation());
        CHECK(e.sqlstate() == "23505");
        CHECK_THAT(std::string(e.what()), Catch::Contains("duplicate key"));
    }
    for (const char* code : {"40001", "40P01"}) {
        try {
            conn.exec(std::string("DO $$ BEGIN RAISE EXCEPTION 'conflict' USING ERRCODE = '") +
                      code + "'; END $$");
            FAIL("no error");
        } catch (const pq::Error& e) {
            CHECK(e.sqlstate() == code);
            CHECK(e.is_serialization_failure());
        }
    }
}

TEST_CASE("pq: a Transaction destroyed without commit is rolled back and a committed one kept",
          "[store][pq]") {
    pq::Connection conn = fresh_database();
    conn.exec("CREATE TABLE t (n int8)");
    {
        pq::Transaction transaction(conn);
        conn.exec("INSERT INTO t VALUES (1)");
    }
    CHECK(conn.exec("SELECT count(*) FROM t").int64(0, 0) == 0);
    try {
        pq::Transaction transaction(conn, pq::Isolation::serializable);
        conn.exec("INSERT INTO t VALUES (2)");
        conn.exec("SELECT 1/0");  // the error aborts the transaction; ROLLBACK ends it
        FAIL("no error");
    } catch (const pq::Error& e) {
        CHECK(e.sqlstate() == "22012");
    }
    CHECK(conn.exec("SELECT count(*) FROM t").int64(0, 0) == 0);
    {
        pq::Transaction transaction(conn, pq::Isolation::repeatable_read);
        conn.exec("INSERT INTO t VALUES (3)");
        transaction.commit();
    }
    pq::Result rows = conn.exec("SELECT n FROM t");
    REQUIRE(rows.rows() == 1);
    CHECK(rows.int64(0, 0) == 3);
    // Seen from another connection too: committed, not merely visible to its own session.
    pq::Connection other = pq::Connection::open(
        test::postgres().conninfo(std::string(conn.exec("SELECT current_database()").text(0, 0))));
    CHECK(other.exec("SELECT count(*) FROM t").int64(0, 0) == 1);
}

TEST_CASE("pq: redact_url hides the password and keeps the rest", "[store][pq]") {
    CHECK(pq::redact_url(
              "postgresql://harvester:s3cret@db.example.org:5433/mirror?sslmode=require") ==
          "postgresql://harvester:***@db.example.org:5433/mirror?sslmode=require");
    CHECK(pq::redact_url("postgres://u:p%40ss@host/db") == "postgres://u:***@host/db");
    CHECK(pq::redact_url("postgresql://u:p@ss@host/db") == "postgresql://u:***@host/db");
    CHECK(pq::redact_url("postgresql://u@host/db?password=hunter2&application_name=x") ==
          "postgresql://u@host/db?password=***&application_name=x");
    CHECK(pq::redact_url("postgresql://oaiharvest@/mirror?host=/run/postgresql") ==
          "postgresql://oaiharvest@/mirror?host=/run/postgresql");
    CHECK(pq::redact_url("postgresql://host:5432/db") == "postgresql://host:5432/db");
    CHECK(pq::redact_url("postgresql:///db") == "postgresql:///db");
    CHECK(pq::redact_url("host=db user=u password=hunter2 dbname=mirror") ==
          "host=db user=u password=*** dbname=mirror");
    CHECK(pq::redact_url("host=db password = 'a b\\' c' dbname=mirror") ==
          "host=db password = *** dbname=mirror");
    CHECK(pq::redact_url("dbname=mirror") == "dbname=mirror");
}

TEST_CASE("pq: a connection that fails throws StoreError naming the server without the password",
          "[store][pq]") {
    std::string socket_dir = test::postgres().socket_dir().string();
    for (const std::string& conninfo :
         {"postgresql://oaiharvest:s3cret@/no_such_database?host=" + socket_dir,
          std::string("postgresql://oaiharvest:s3cret@/db?host=/nonexistent/socket/dir")}) {
        try {
            (void)pq::Connection::open(conninfo);
            FAIL("no error");
        } catch (const store::StoreError& e) {
            std::string message = e.what();
            CHECK_THAT(message, Catch::Contains("oaiharvest:***@"));
            CHECK_THAT(message, !Catch::Contains("s3cret"));
            CHECK_THAT(message, !Catch::EndsWith("\n"));
            INFO(message);
            CHECK((message.find("no_such_database") != std::string::npos ||
                   message.find("/nonexistent/socket/dir") != std::string::npos));
        }
    }
}

TEST_CASE("pq: a lost connection says so", "[store][pq]") {
    pq::Connection conn = fresh_database();
    pq::Connection killer = pq::Connection::open(test::postgres().conninfo("postgres"));
    std::int64_t pid = conn.exec("SELECT pg_backend_pid()").int64(0, 0);
    CHECK(killer.exec("SELECT pg_terminate_backend($1::int4)", {pq::integer(pid)}).text(0, 0) ==
          "t");
    try {
        for (int i = 0; i < 100; ++i) {  // until the backend's exit reaches the socket
            conn.exec("SELECT 1");
        }
        FAIL("no error");
    } catch (const pq::Error& e) {
        CHECK_THAT(std::string(e.what()), Catch::Contains("connection to the server"));
        CHECK_THAT(std::string(e.what()), Catch::Contains("was lost"));
        // One line, for a log line or stderr: libpq's own message spans three.
        CHECK_THAT(std::string(e.what()), !Catch::Contains("\n") && !Catch::Contains("\t"));
        // The work failed (exit 1), not the user's database or command (StoreError, exit 2).
        CHECK(dynamic_cast<const store::StoreError*>(&e) == nullptr);
    }
}

TEST_CASE("pq: single-row streaming visits each of 10000 rows once and in order", "[store][pq]") {
    pq::Connection conn = fresh_database();
    std::int64_t expected = 1;
    int results = 0;
    conn.for_each_row(
        "SELECT n, repeat('Ў', (n % 7)::int4) FROM generate_series(1, $1) AS n",
        {pq::integer(10000)}, [&](const pq::Result& rows) {
            ++results;
            for (int row = 0; row < rows.rows(); ++row) {
                REQUIRE(rows.int64(row, 0) == expected);
                CHECK(rows.text(row, 1).size() == static_cast<std::size_t>(2 * (expected % 7)));
                ++expected;
            }
        });
    CHECK(expected == 10001);
    CHECK(results == 10000);  // one row per result: single-row mode
    CHECK(conn.exec("SELECT 1").int64(0, 0) == 1);
}

TEST_CASE("pq: streaming stops when the row handler throws and the connection stays usable",
          "[store][pq]") {
    pq::Connection conn = fresh_database();
    int seen = 0;
    CHECK_THROWS_WITH(conn.for_each_row("SELECT n FROM generate_series(1, 1000000) AS n", {},
                                        [&](const pq::Result&) {
                                            if (++seen == 5) {
                                                throw std::runtime_error("enough");
                                            }
                                        }),
                      "enough");
    CHECK(seen == 5);
    CHECK(conn.exec("SELECT 2").int64(0, 0) == 2);
    // A query error in streaming throws pq::Error like exec.
    CHECK_THROWS_AS(conn.for_each_row("SELECT 1/0", {}, [](const pq::Result&) {}), pq::Error);
}
