// Opening the mirror: for a harvest (created, migrated) or for reading (read-only, never
// migrated), refusing a file that is not an oaiharvest database before anything writes to it;
// and the check that the path still names the file opened.
#include <sqlite3.h>
#include <sys/stat.h>

#include <cerrno>
#include <cstring>

#include "migrations.hpp"
#include "store/migrate_compact.hpp"
#include "store/search_keys.hpp"
#include "store/sql_functions.hpp"
#include "store/sqlite.hpp"
#include "store/sqlite_store.hpp"
#include "store/statements.hpp"

namespace oaiharvest::store {
namespace {

int user_version(sql::Database& db) {
    sql::Statement stmt(db, "PRAGMA user_version");
    return stmt.step() ? static_cast<int>(stmt.int64(0)) : 0;
}

// Brings the schema up to date in one transaction, so that a migration that fails or is
// killed leaves the database as it was. Returns true when it packed an existing mirror
// (schema 9), whose file then holds the old pages as free space.
bool migrate(sql::Database& db, const UpgradeObserver& observer) {
    int newest = detail::k_migrations.back().version;
    int current = user_version(db);
    if (current > newest) {
        throw StoreError("the database has schema version " + std::to_string(current) +
                         ", newer than this oaiharvest (" + std::to_string(newest) +
                         "): upgrade oaiharvest; it will not downgrade a database");
    }
    if (current == newest) {
        return false;
    }
    bool packed = false;
    db.exec("BEGIN IMMEDIATE");
    try {
        db.exec(
            "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, "
            "name TEXT NOT NULL, applied_at TEXT NOT NULL)");
        current = user_version(db);  // another process may have migrated meanwhile
        sql::Statement record(db, "INSERT INTO schema_migrations VALUES (?1, ?2, ?3)");
        for (const auto& migration : detail::k_migrations) {
            if (migration.version <= current) {
                continue;
            }
            // Schema 12 rebuilds both search indexes from every record and document's text.
            if (migration.version == 12 && current > 0 && observer) {
                observer(UpgradeProgress{"rebuilding the search indexes", 0, 1});
            }
            db.exec(std::string(migration.sql).c_str());
            if (migration.version == 12) {
                detail::record_search_keys(db);
                if (current > 0 && observer) {
                    observer(UpgradeProgress{"rebuilding the search indexes", 1, 1});
                }
            }
            if (migration.version == 9) {
                packed = current > 0;
                detail::pack_existing(db, observer);
            }
            record.bind(1, std::int64_t{migration.version})
                .bind(2, migration.name)
                .bind(3, util::format_utc_seconds(util::now_utc()))
                .run();
            db.exec(("PRAGMA user_version = " + std::to_string(migration.version)).c_str());
        }
        db.exec("COMMIT");
    } catch (...) {
        (void)db.try_rollback();  // the migration's own error is the one to report
        throw;
    }
    return packed;
}

// After packing, most of the file is free pages: give them back. The migration has committed,
// so a VACUUM that fails (a full disk: it needs room for a copy) or is killed loses nothing;
// the space is then reused by later harvests instead.
void reclaim_space(sql::Database& db, const std::string& path, const UpgradeObserver& observer) {
    if (observer) {
        observer(UpgradeProgress{"reclaiming space", 0, 1});
    }
    try {
        db.exec("VACUUM");
    } catch (const sql::Error& e) {
        if (observer) {
            observer(UpgradeProgress{"could not reclaim space in " + path + ": " + e.what(), 0, 1});
        }
        return;
    }
    if (observer) {
        observer(UpgradeProgress{"reclaiming space", 1, 1});
    }
}

struct stat stat_of(const std::string& path, bool& exists) {
    struct stat st {};
    exists = ::stat(path.c_str(), &st) == 0;
    if (!exists && errno != ENOENT) {
        throw StoreError("cannot open database " + path + ": " + std::strerror(errno));
    }
    return st;
}

// What a SQLite file holds, found by reading only.
enum class Contents { nothing, oaiharvest, other };

Contents contents_of(sql::Database& db, std::string& tables) {
    sql::Statement stmt(db,
                        "SELECT name FROM sqlite_schema WHERE name NOT LIKE 'sqlite\\_%' "
                        "ESCAPE '\\' ORDER BY name");
    bool ours = false;
    int count = 0;
    while (stmt.step()) {
        std::string name(stmt.text(0));
        // harvest_runs: a mirror made before schema_migrations recorded the migrations.
        ours = ours || name == "schema_migrations" || name == "harvest_runs";
        if (++count <= 3) {
            tables += (tables.empty() ? "" : ", ") + name;
        }
    }
    if (count > 3) {
        tables += ", ...";
    }
    return ours ? Contents::oaiharvest : count == 0 ? Contents::nothing : Contents::other;
}

[[noreturn]] void refuse_other(const std::string& path, const std::string& tables) {
    throw StoreError(path + " is not an oaiharvest database (it holds " + tables +
                     "): oaiharvest will not write to it; name another file with --db");
}

// Before a harvest opens the file for writing: an existing file must be an oaiharvest database
// or hold nothing at all (a 0-byte file, or SQLite with no tables), which then becomes one.
void refuse_foreign(const std::string& path) {
    bool exists = false;
    struct stat st = stat_of(path, exists);
    if (!exists) {
        return;
    }
    if (!S_ISREG(st.st_mode)) {
        throw StoreError(path + " is not an oaiharvest database (not a regular file)");
    }
    if (st.st_size == 0) {
        return;
    }
    std::string tables;
    try {
        sql::Database probe(path, sql::Database::Mode::read_only);
        if (contents_of(probe, tables) == Contents::other) {
            refuse_other(path, tables);
        }
    } catch (const sql::Error& e) {
        if ((e.code() & 0xff) == SQLITE_NOTADB) {
            throw StoreError(path + " is not an oaiharvest database (" + e.sqlite_message() + ")");
        }
        throw StoreError(e.what());
    }
}

bool cannot_open_read_only(const sql::Error& e) {
    int primary = e.code() & 0xff;
    return primary == SQLITE_CANTOPEN || primary == SQLITE_READONLY;
}

}  // namespace

SqliteStore::SqliteStore(const std::string& path, Access access, const UpgradeObserver& observer)
    : m_path(path) {
    if (access == Access::read_only) {
        open_for_reading();
    } else {
        open_for_harvest(observer);
    }
    m_stmts = std::make_unique<Statements>(*m_db);
    bool exists = false;
    struct stat st = stat_of(path, exists);
    if (!exists) {
        throw StoreError("the database " + path + " vanished while it was being opened");
    }
    m_device = static_cast<std::uint64_t>(st.st_dev);
    m_inode = static_cast<std::uint64_t>(st.st_ino);
}

void SqliteStore::open_for_harvest(const UpgradeObserver& observer) {
    m_db = std::make_unique<sql::Database>(m_path, sql::Database::Mode::create);
    detail::register_functions(*m_db);
    // SQLite opens a file it may not write read-only rather than fail: say so now, not at the
    // first page.
    if (m_db->read_only()) {
        throw StoreError("cannot write the database " + m_path +
                         " (a read-only file, folder or mount): harvesting needs to write it");
    }
    try {
        // Only a new, empty file takes it: records of 4-5 KB then fit a page instead of
        // spilling into overflow pages.
        m_db->exec("PRAGMA page_size = 8192");
        m_db->exec("PRAGMA journal_mode = WAL");
    } catch (const sql::Error& e) {
        throw StoreError(m_path + " is not an oaiharvest database (" + e.what() + ")");
    }
    // NORMAL in WAL mode: a crash of the process loses nothing committed; a power loss may lose
    // the last commits but never corrupts.
    m_db->exec("PRAGMA synchronous = NORMAL");
    m_db->exec("PRAGMA foreign_keys = ON");
    // 4 MB: the packed mirror's pages hold six times the records they did, and at 8 MB the
    // cache was most of the 4 MiB a harvest's peak memory grew by with the dictionaries; the
    // harvest measured the same with either (docs/performance.md).
    m_db->exec("PRAGMA cache_size = -4000");
    // Checkpoints copy each changed page back once per checkpoint: fewer, larger ones copy the
    // index pages every page commit touches less often (the WAL grows to ~32 MB between them).
    m_db->exec("PRAGMA wal_autocheckpoint = 4000");
    if (migrate(*m_db, observer)) {
        reclaim_space(*m_db, m_path, observer);
    }
    detail::keep_search_keys_current(*m_db, observer);
}

void SqliteStore::open_for_reading() {
    std::string tables;
    Contents contents = Contents::nothing;
    try {
        m_db = std::make_unique<sql::Database>(m_path, sql::Database::Mode::read_only);
        try {
            contents = contents_of(*m_db, tables);
        } catch (const sql::Error& e) {
            // A WAL database whose -shm cannot be made (a read-only folder or mount): nobody can
            // be writing it there, so it is read as it stands, without locks.
            if (!cannot_open_read_only(e)) {
                throw;
            }
            m_db = std::make_unique<sql::Database>(m_path, sql::Database::Mode::immutable);
            contents = contents_of(*m_db, tables);
        }
        detail::register_functions(*m_db);
    } catch (const sql::Error& e) {
        if ((e.code() & 0xff) == SQLITE_NOTADB) {
            throw StoreError(m_path + " is not an oaiharvest database (" + e.sqlite_message() +
                             ")");
        }
        throw StoreError(e.what());
    }
    if (contents == Contents::nothing) {
        throw StoreError(m_path + " is not an oaiharvest database (it is empty)");
    }
    if (contents == Contents::other) {
        refuse_other(m_path, tables);
    }
    int newest = detail::k_migrations.back().version;
    int current = user_version(*m_db);
    if (current > newest) {
        throw StoreError(m_path + " has schema version " + std::to_string(current) +
                         ", newer than this oaiharvest (" + std::to_string(newest) +
                         "): upgrade oaiharvest");
    }
    if (current < newest) {
        // Reading commands never write, so they do not migrate.
        throw StoreError(m_path + " has schema version " + std::to_string(current) +
                         ", older than this oaiharvest (" + std::to_string(newest) +
                         "): run `oaiharvest harvest` once, which upgrades it");
    }
}

std::unique_ptr<Store> open_sqlite(const std::string& path, const UpgradeObserver& observer) {
    try {
        refuse_foreign(path);
        return std::make_unique<SqliteStore>(path, SqliteStore::Access::harvest, observer);
    } catch (const sql::Error& e) {
        throw StoreError(e.what());
    }
}

std::unique_ptr<Store> open_sqlite_read_only(const std::string& path) {
    bool exists = false;
    struct stat st = stat_of(path, exists);
    if (!exists) {
        throw StoreError("no database at " + path);
    }
    if (!S_ISREG(st.st_mode)) {
        throw StoreError(path + " is not an oaiharvest database (not a regular file)");
    }
    if (st.st_size == 0) {
        throw StoreError(path + " is not an oaiharvest database (it is an empty file)");
    }
    try {
        return std::make_unique<SqliteStore>(path, SqliteStore::Access::read_only,
                                             UpgradeObserver{});
    } catch (const sql::Error& e) {
        throw StoreError(e.what());
    }
}

void SqliteStore::check_file() const {
    struct stat st {};
    if (::stat(m_path.c_str(), &st) != 0) {
        int error = errno;
        throw DatabaseReplaced("the database " + m_path + " is gone (" + std::strerror(error) +
                               "): it was deleted or moved while oaiharvest was writing to it");
    }
    if (static_cast<std::uint64_t>(st.st_dev) != m_device ||
        static_cast<std::uint64_t>(st.st_ino) != m_inode) {
        throw DatabaseReplaced("the database " + m_path +
                               " was replaced by another file while oaiharvest was writing to it");
    }
}

int SqliteStore::schema_version() const {
    return user_version(*m_db);
}

void SqliteStore::set_query_deadline(
    std::optional<std::chrono::steady_clock::time_point> deadline) {
    m_db->set_deadline(deadline);
}

}  // namespace oaiharvest::store
