// Schema 9 (issue 13): a mirror the previous release made (schema 8, kept as an SQL dump in
// tests/fixtures/store/mirror-v8.sql.gz) is packed in place when this build first opens it,
// every record's raw XML and JSON equal before and after, its search index rebuilt; and an
// upgrade that fails or is killed leaves the old database as it was, and usable.

#include <signal.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <map>
#include <set>
#include <tuple>

#include "store/queries.hpp"
#include "store/sqlite.hpp"
#include "store/store.hpp"
#include "support/raw_mirror.hpp"
#include "support/temp_dir.hpp"

using namespace oaiharvest;
using oaiharvest::test::TempDir;

namespace {

std::string fixture_sql() {
    const std::string path =
        std::string(OAIHARVEST_SOURCE_DIR) + "/tests/fixtures/store/mirror-v8.sql.gz";
    gzFile in = gzopen(path.c_str(), "rb");
    REQUIRE(in != nullptr);
    std::string sql;
    char buffer[65536];
    int n = 0;
    while ((n = gzread(in, buffer, sizeof buffer)) > 0) {
        sql.append(buffer, static_cast<std::size_t>(n));
    }
    REQUIRE(n == 0);
    REQUIRE(gzclose(in) == Z_OK);
    return sql;
}

struct Raw {
    sqlite3* db = nullptr;
    // With oaiharvest's functions and search tokenizer, as the extension gives other programs.
    explicit Raw(const std::string& path) {
        REQUIRE(sqlite3_open(path.c_str(), &db) == SQLITE_OK);
        REQUIRE(store::detail::register_functions(db) == SQLITE_OK);
    }
    ~Raw() { sqlite3_close(db); }
    Raw(const Raw&) = delete;
    Raw& operator=(const Raw&) = delete;
    void exec(const std::string& sql) {
        char* error = nullptr;
        int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &error);
        INFO((error ? error : ""));
        sqlite3_free(error);
        REQUIRE(rc == SQLITE_OK);
    }
    std::int64_t integer(const std::string& sql) {
        sqlite3_stmt* stmt = nullptr;
        REQUIRE(sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr) == SQLITE_OK);
        REQUIRE(sqlite3_step(stmt) == SQLITE_ROW);
        auto value = sqlite3_column_int64(stmt, 0);
        sqlite3_finalize(stmt);
        return value;
    }
    std::set<std::int64_t> matches(const std::string& word) {
        sqlite3_stmt* stmt = nullptr;
        REQUIRE(sqlite3_prepare_v2(db, "SELECT rowid FROM search WHERE search MATCH ?1", -1, &stmt,
                                   nullptr) == SQLITE_OK);
        sqlite3_bind_text(stmt, 1, word.c_str(), -1, SQLITE_TRANSIENT);
        std::set<std::int64_t> out;
        while (sqlite3_step(stmt) == SQLITE_ROW) {
            out.insert(sqlite3_column_int64(stmt, 0));
        }
        sqlite3_finalize(stmt);
        return out;
    }
};

// Every stored copy: (endpoint, identifier, prefix) -> (deleted, metadata XML or "", JSON).
using Copies = std::map<std::tuple<std::string, std::string, std::string>,
                        std::tuple<bool, std::string, std::string>>;

// Read from a schema-8 file with plain SQL, as the previous release stored them.
Copies read_v8(const std::string& path) {
    Raw raw(path);
    sqlite3_stmt* stmt = nullptr;
    REQUIRE(sqlite3_prepare_v2(raw.db,
                               "SELECT e.name, r.identifier, r.metadata_prefix, r.deleted, "
                               "coalesce(r.metadata, ''), i.json FROM records r JOIN endpoints e "
                               "ON e.id = r.endpoint_id JOIN items_json i ON i.record_id = r.id",
                               -1, &stmt, nullptr) == SQLITE_OK);
    Copies out;
    auto text = [&](int column) {
        return std::string(reinterpret_cast<const char*>(sqlite3_column_text(stmt, column)));
    };
    while (sqlite3_step(stmt) == SQLITE_ROW) {
        out[{text(0), text(1), text(2)}] = {sqlite3_column_int(stmt, 3) != 0, text(4), text(5)};
    }
    sqlite3_finalize(stmt);
    return out;
}

// Read through the store, as show and export read them.
Copies read_through_store(store::Store& store, const Copies& expected) {
    std::set<std::string> identifiers;
    for (const auto& [key, value] : expected) {
        identifiers.insert(std::get<1>(key));
    }
    Copies out;
    for (const auto& id : identifiers) {
        for (const auto& r : store::find_records(store, id)) {
            out[{r.endpoint, r.identifier, r.metadata_prefix}] = {r.deleted,
                                                                  r.metadata.value_or(""), r.json};
        }
    }
    return out;
}

const std::vector<std::string> k_words = {"diplomacy", "Попов",     "education",
                                          "Osiyo",     "migration", "nothingmatchesthis"};

std::map<std::string, std::set<std::int64_t>> all_matches(const std::string& path) {
    Raw raw(path);
    std::map<std::string, std::set<std::int64_t>> out;
    for (const auto& w : k_words) {
        out[w] = raw.matches(w);
    }
    return out;
}

struct OldMirror {
    TempDir dir;
    std::string path = dir.file("mirror.db");
    Copies before;
    std::map<std::string, std::set<std::int64_t>> matches_before;
    OldMirror() {
        {
            Raw raw(path);
            raw.exec(fixture_sql());
            REQUIRE(raw.integer("PRAGMA user_version") == 8);
        }
        before = read_v8(path);
        matches_before = all_matches(path);
    }
};

}  // namespace

TEST_CASE("A mirror of the previous release is packed in place, every value kept") {
    OldMirror old;
    REQUIRE(old.before.size() == 180);  // 60 records in mets, oai_dc and mods
    REQUIRE(old.matches_before.at("diplomacy").size() > 0);

    std::vector<store::UpgradeProgress> seen;
    auto store =
        store::Store::open(old.path, [&](const store::UpgradeProgress& p) { seen.push_back(p); });
    CHECK(store->schema_version() >= 9);  // 9, or a later migration on top
    CHECK(read_through_store(*store, old.before) == old.before);

    // Progress: each step reported from its start to its end, packing counting every record.
    auto reached = [&](const std::string& step, std::int64_t done) {
        return std::any_of(seen.begin(), seen.end(), [&](const auto& p) {
            return p.step == step && p.done == done && p.total >= done;
        });
    };
    CHECK(reached("packing records", 0));
    CHECK(reached("packing records", 180));
    CHECK(reached("indexing", 180));
    CHECK(reached("reclaiming space", 1));

    store.reset();
    Raw raw(old.path);
    // Every value is a zstd frame now, made with the scope's dictionary (60 records is enough to
    // train on), and the index keeps no copy of the text.
    CHECK(raw.integer("SELECT count(*) FROM records WHERE metadata IS NOT NULL AND "
                      "typeof(metadata) <> 'blob'") == 0);
    CHECK(raw.integer("SELECT count(*) FROM items_json WHERE typeof(json) <> 'blob'") == 0);
    CHECK(raw.integer("SELECT count(*) FROM dictionaries") == 6);
    CHECK(raw.integer("SELECT count(*) FROM sqlite_schema WHERE name = 'search_content'") == 0);
    CHECK(reached("rebuilding the search indexes", 1));
    // Every record the old index found is found still; since schema 12 a word also finds its
    // spelling in the other script (Попов: Popov), so only words without one match the same.
    const auto after = all_matches(old.path);
    for (const auto& [word, rows] : old.matches_before) {
        INFO(word);
        CHECK(
            std::includes(after.at(word).begin(), after.at(word).end(), rows.begin(), rows.end()));
    }
    for (const char* word : {"diplomacy", "education", "migration", "nothingmatchesthis"}) {
        INFO(word);
        CHECK(after.at(word) == old.matches_before.at(word));
    }
    // Smaller: the packed values and the index without its copy, the free pages given back.
    CHECK(raw.integer("PRAGMA freelist_count") < 10);
}

TEST_CASE("The search index of a packed mirror passes FTS5's integrity check") {
    OldMirror old;
    auto store = store::Store::open(old.path);
    test::raw_connection(old.path)->exec(
        "INSERT INTO search (search, rank) VALUES ('integrity-check', 1)");
    auto hits = store::search(*store, "diplomacy", 5);
    REQUIRE(hits.has_value());
    CHECK_FALSE(hits->empty());
}

TEST_CASE("An upgrade that fails leaves the old mirror as it was, and a later one succeeds") {
    OldMirror old;
    const auto step = GENERATE(as<std::string>{}, "packing records", "indexing");
    CHECK_THROWS_WITH(store::Store::open(old.path,
                                         [&](const store::UpgradeProgress& p) {
                                             if (p.step == step && p.done > 0) {
                                                 throw std::runtime_error("stopped by the test");
                                             }
                                         }),
                      Catch::Contains("stopped by the test"));
    {
        Raw raw(old.path);
        CHECK(raw.integer("PRAGMA user_version") == 8);
        CHECK(raw.integer("SELECT count(*) FROM sqlite_schema WHERE name = 'dictionaries'") == 0);
    }
    CHECK(read_v8(old.path) == old.before);
    CHECK(all_matches(old.path) == old.matches_before);

    auto store = store::Store::open(old.path);
    CHECK(read_through_store(*store, old.before) == old.before);
}

TEST_CASE("An upgrade killed midway leaves the old mirror as it was") {
    OldMirror old;
    const auto step =
        GENERATE(as<std::string>{}, "packing records", "indexing", "reclaiming space");
    pid_t child = fork();
    REQUIRE(child >= 0);
    if (child == 0) {
        try {
            store::Store::open(old.path, [&](const store::UpgradeProgress& p) {
                if (p.step == step && (p.done > 0 || step == "reclaiming space")) {
                    ::kill(::getpid(), SIGKILL);
                }
            });
        } catch (...) {
        }
        _exit(3);  // not killed: the test fails below
    }
    int status = 0;
    REQUIRE(waitpid(child, &status, 0) == child);
    REQUIRE(WIFSIGNALED(status));
    REQUIRE(WTERMSIG(status) == SIGKILL);

    if (step == "reclaiming space") {
        // Killed after the upgrade committed: the mirror is upgraded, nothing lost.
        auto store = store::Store::open(old.path);
        CHECK(store->schema_version() >= 9);  // 9, or a later migration on top
        CHECK(read_through_store(*store, old.before) == old.before);
        return;
    }
    CHECK(read_v8(old.path) == old.before);
    {
        Raw raw(old.path);
        CHECK(raw.integer("PRAGMA user_version") == 8);
    }
    auto store = store::Store::open(old.path);
    CHECK(store->schema_version() >= 9);  // 9, or a later migration on top
    CHECK(read_through_store(*store, old.before) == old.before);
}
