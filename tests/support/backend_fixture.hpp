#pragma once
// A new mirror on either backend, SQLite or PostgreSQL, with one endpoint, one scope and a run
// begun: what the store tests that hold for both backends start from (issue 18). One test body
// runs on both through Catch2's GENERATE:
//
//     auto backend = GENERATE(test::Backend::sqlite, test::Backend::postgres);
//     INFO(test::name_of(backend));  // a failure says which backend
//     test::BackendFixture f(backend);
//
// Each fixture gets a database of its own: a fresh file in a temp folder, or a fresh database on
// the tests' PostgreSQL server (support/postgres_server.hpp), which this starts when none runs.
// Header-only, like store_fixture.hpp; one thread at a time, like the Store it holds.

#include <filesystem>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "harvest/normalize.hpp"
#include "store/postgres/pq.hpp"
#include "store/queries.hpp"
#include "store/sqlite.hpp"
#include "store/store.hpp"
#include "support/postgres_server.hpp"
#include "support/raw_mirror.hpp"
#include "support/store_fixture.hpp"
#include "support/temp_dir.hpp"
#include "util/time.hpp"

namespace oaiharvest::test {

enum class Backend { sqlite, postgres };

inline const char* name_of(Backend backend) {
    return backend == Backend::sqlite ? "backend: SQLite" : "backend: PostgreSQL";
}

// Every current copy the mirror holds (store::for_each_record), deleted ones too unless not asked.
inline std::vector<store::StoredRecord> all_records(store::Store& mirror,
                                                    bool include_deleted = true) {
    std::vector<store::StoredRecord> out;
    store::for_each_record(mirror, {std::nullopt, std::nullopt, include_deleted},
                           [&](const store::StoredRecord& r) { out.push_back(r); });
    return out;
}

// A fresh database of the backend, holding nothing yet: a file name in a temp folder (no file
// made), or a new database on the tests' PostgreSQL server. With the test's own connection to
// it, for SQL that both backends read alike: to set a mirror up as the store's interface cannot
// (a row's last_seen, another application's table, a failing statement), never to check what
// the interface shows.
class EmptyDatabase {
public:
    explicit EmptyDatabase(Backend which)
        : m_backend(which),
          m_database(which == Backend::sqlite ? m_dir.file("mirror.db")
                                              : postgres().new_database()) {}

    Backend backend() const { return m_backend; }
    // What Store::open is given: the file's path or the database's URL.
    const std::string& database() const { return m_database; }

    void exec(const std::string& sql) {
        if (m_backend == Backend::sqlite) {
            sqlite().exec(sql.c_str());
        } else {
            pg().exec_script(sql);
        }
    }
    // The first column of the query's first row, as text ("" for NULL).
    std::string scalar(const std::string& sql) {
        if (m_backend == Backend::sqlite) {
            store::sql::Statement stmt(sqlite(), sql);
            if (!stmt.step()) {
                throw std::runtime_error("no row: " + sql);
            }
            return std::string(stmt.text(0));
        }
        auto result = pg().exec(sql);
        if (result.rows() == 0) {
            throw std::runtime_error("no row: " + sql);
        }
        return std::string(result.text(0, 0));
    }
    // Closes the test's connection (a SQLite file is then as the store left it).
    void close() {
        m_sqlite.reset();
        m_pg.reset();
    }

private:
    store::sql::Database& sqlite() {
        if (!m_sqlite) {
            if (std::filesystem::exists(m_database)) {
                m_sqlite = raw_connection(m_database);
            } else {
                m_sqlite = std::make_unique<store::sql::Database>(
                    m_database, store::sql::Database::Mode::create);
            }
        }
        return *m_sqlite;
    }
    store::pq::Connection& pg() {
        if (!m_pg) {
            m_pg = std::make_unique<store::pq::Connection>(store::pq::Connection::open(m_database));
        }
        return *m_pg;
    }
    Backend m_backend;
    TempDir m_dir;  // the SQLite file's folder
    std::string m_database;
    std::unique_ptr<store::sql::Database> m_sqlite;
    std::unique_ptr<store::pq::Connection> m_pg;
};

// A record's copies as "endpoint/identifier/prefix", with " deleted" for a deleted one.
inline std::vector<std::string> copy_names(const std::vector<store::StoredRecord>& records) {
    std::vector<std::string> out;
    for (const auto& r : records) {
        out.push_back(r.endpoint + "/" + r.identifier + "/" + r.metadata_prefix +
                      (r.deleted ? " deleted" : ""));
    }
    return out;
}

struct BackendFixture {
    explicit BackendFixture(Backend which) : backend(which), raw(which) {}

    Backend backend;
    EmptyDatabase raw;  // declared before db: the test's connection closes after the Store's
    const std::string& database = raw.database();
    std::unique_ptr<store::Store> db = store::Store::open(database);
    store::EndpointFacts endpoint = db->endpoint("sample", "http://127.0.0.1:1/oai");
    store::ScopeState scope = db->scope(endpoint.id, "mets", "");
    store::RunId run = db->begin_run(scope, util::now_utc(), std::nullopt, std::nullopt, false);

    // The same mirror as a later process opens it: to harvest into, or to read from.
    std::unique_ptr<store::Store> reopen() const { return store::Store::open(database); }
    std::unique_ptr<store::Store> reopen_read_only() const {
        return store::Store::open_read_only(database);
    }

    // Commits one page of `records` into the scope, as a harvest does; its counts.
    store::PageCounts put(const std::vector<oai::Record>& records, store::ScopeState& into,
                          store::RunId in_run) {
        auto page = db->begin_page(in_run, into);
        for (const auto& record : records) {
            harvest::put(page, record);
        }
        page.commit(into, store::PageEnd{std::nullopt, "2026-01-01T00:00:00Z"}, {});
        return page.counts();
    }
    store::PageCounts put(const std::vector<oai::Record>& records) {
        return put(records, scope, run);
    }

    // EmptyDatabase's SQL, on the mirror.
    void exec(const std::string& sql) { raw.exec(sql); }
    std::string scalar(const std::string& sql) { return raw.scalar(sql); }

    // From now on every UPDATE of `table` fails with `message` (a trigger), until
    // stop_failing(table): a statement of a page's transaction that the database refuses.
    void fail_updates_of(const std::string& table, const std::string& message) {
        if (backend == Backend::sqlite) {
            exec("CREATE TRIGGER fail_" + table + " BEFORE UPDATE ON " + table +
                 " BEGIN SELECT RAISE(ABORT, '" + message + "'); END");
            return;
        }
        exec("CREATE FUNCTION fail_" + table +
             "() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION '" + message +
             "'; END $$; CREATE TRIGGER fail_" + table + " BEFORE UPDATE ON " + table +
             " FOR EACH ROW EXECUTE FUNCTION fail_" + table + "()");
    }
    void stop_failing(const std::string& table) {
        exec("DROP TRIGGER fail_" + table + (backend == Backend::sqlite ? "" : " ON " + table));
    }
};

}  // namespace oaiharvest::test
