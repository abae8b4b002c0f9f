// The compact store (issue 13) as a harvest fills it: records are packed with dictionaries the
// harvest trains on the endpoint's first records, and the full-text index, which keeps no copy
// of the text, follows every edit and deletion (FTS5 external content reads the words to remove
// from the records themselves, so a record must leave the index before its row changes).

#include <sqlite3.h>

#include <catch2/catch.hpp>
#include <map>
#include <memory>
#include <string>

#include "convergence.hpp"
#include "store/sql_functions.hpp"

using namespace oaiharvest;
using test::ChangingServer;
using test::record;
using test::require_run;

namespace {

std::string id(int n) {
    return "oai:x:" + std::to_string(n);
}

std::string date(int n) {
    return "2026-05-01T" + std::string(n < 10 * 60 ? "0" : "") + std::to_string(n / 60 % 24) + ":" +
           (n % 60 < 10 ? "0" : "") + std::to_string(n % 60) + ":00Z";
}

bool finds(const test::Harness& h, const std::string& word, const std::string& identifier) {
    auto result = h.run({"search", word, "--limit", "50"});
    INFO(result.err);
    REQUIRE(result.exit_code == 0);
    return result.out.find(identifier + "\n") != std::string::npos ||
           result.out.find(identifier + " ") != std::string::npos ||
           result.out.find(identifier + "\t") != std::string::npos;
}

std::int64_t count(const std::string& db, const std::string& sql) {
    sqlite3* handle = nullptr;
    REQUIRE(sqlite3_open_v2(db.c_str(), &handle, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK);
    REQUIRE(store::detail::register_functions(handle) == SQLITE_OK);  // the search tokenizer
    sqlite3_stmt* stmt = nullptr;
    REQUIRE(sqlite3_prepare_v2(handle, sql.c_str(), -1, &stmt, nullptr) == SQLITE_OK);
    REQUIRE(sqlite3_step(stmt) == SQLITE_ROW);
    auto value = sqlite3_column_int64(stmt, 0);
    sqlite3_finalize(stmt);
    sqlite3_close(handle);
    return value;
}

}  // namespace

TEST_CASE("Search follows edits and deletions of records packed before and after training",
          "[integration][store]") {
    ChangingServer s(testing::ServerBehaviour{.response_date = "2026-05-15T00:00:00Z"});
    for (int n = 1; n <= 300; ++n) {
        s.repo.put(record(id(n), date(n), "Kitob word" + std::to_string(n)));
    }
    require_run(s.h.harvest({"--prefix", "oai_dc"}));
    // The first 256 records train the dictionaries; the later ones are packed with them.
    CHECK(count(s.h.db, "SELECT count(*) FROM dictionaries WHERE metadata_prefix = 'oai_dc'") == 2);
    CHECK(count(s.h.db, "SELECT count(*) FROM records WHERE typeof(metadata) <> 'blob'") == 0);
    CHECK(finds(s.h, "word5", id(5)));
    CHECK(finds(s.h, "word290", id(290)));

    // Records 5 and 290 renamed, 6 and 291 deleted: one of each from before the dictionary, one
    // from after.
    for (int n : {5, 290}) {
        s.repo.put(record(id(n), "2026-06-01T00:00:00Z", "Zarafshan renamed"));
    }
    for (int n : {6, 291}) {
        testing::ServedRecord gone = record(id(n), "2026-06-01T00:00:00Z", "", {}, {});
        gone.deleted = true;
        s.repo.put(gone);
    }
    require_run(s.h.harvest({"--prefix", "oai_dc", "--full"}));
    test::require_mirror_equals_server(s.h, s.repo, "oai_dc");
    for (int n : {5, 290}) {
        CHECK(finds(s.h, "Zarafshan", id(n)));
        CHECK_FALSE(finds(s.h, "word" + std::to_string(n), id(n)));
    }
    for (int n : {6, 291}) {
        CHECK_FALSE(finds(s.h, "word" + std::to_string(n), id(n)));
    }
    CHECK(finds(s.h, "word7", id(7)));
    CHECK(finds(s.h, "word299", id(299)));
    // The index holds the live records, each once: no word of an old version left behind.
    CHECK(count(s.h.db, "SELECT count(*) FROM search_docsize") ==
          count(s.h.db, "SELECT count(*) FROM items_json WHERE deleted = 0"));
    CHECK(count(s.h.db, "SELECT count(*) FROM search WHERE search MATCH 'kitob'") == 296);
}

TEST_CASE("Other programs read the packed values through the loadable extension",
          "[integration][store]") {
    test::Harness h;
    require_run(h.harvest());
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open_v2(h.db.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK);
    std::unique_ptr<sqlite3, int (*)(sqlite3*)> owned(db, sqlite3_close);
    // Without it, the items view names a function the connection does not have.
    sqlite3_stmt* stmt = nullptr;
    CHECK(sqlite3_prepare_v2(db, "SELECT title FROM items", -1, &stmt, nullptr) != SQLITE_OK);
    sqlite3_finalize(stmt);
    // and the search tables a tokenizer it does not have.
    stmt = nullptr;
    CHECK(sqlite3_prepare_v2(db, "SELECT rowid FROM search WHERE search MATCH 'x'", -1, &stmt,
                             nullptr) != SQLITE_OK);
    CHECK(std::string(sqlite3_errmsg(db)).find("no such tokenizer") != std::string::npos);
    sqlite3_finalize(stmt);

    REQUIRE(sqlite3_enable_load_extension(db, 1) == SQLITE_OK);
    char* error = nullptr;
    int rc = sqlite3_load_extension(db, OAIHARVEST_SQLITE_EXTENSION, nullptr, &error);
    INFO((error ? error : ""));
    sqlite3_free(error);
    REQUIRE(rc == SQLITE_OK);

    // The search tables' tokenizer comes with it: a name in either script finds both.
    auto matches = [&](const std::string& word) {
        sqlite3_stmt* query = nullptr;
        REQUIRE(sqlite3_prepare_v2(db, "SELECT count(*) FROM search WHERE search MATCH ?1", -1,
                                   &query, nullptr) == SQLITE_OK);
        std::unique_ptr<sqlite3_stmt, int (*)(sqlite3_stmt*)> owned_query(query, sqlite3_finalize);
        REQUIRE(sqlite3_bind_text(query, 1, word.c_str(), -1, SQLITE_TRANSIENT) == SQLITE_OK);
        REQUIRE(sqlite3_step(query) == SQLITE_ROW);
        return sqlite3_column_int64(query, 0);
    };
    CHECK(matches("Nazarova") > 0);
    CHECK(matches("Назарова") == matches("Nazarova"));

    std::map<std::string, std::string> json_by_identifier;
    REQUIRE(sqlite3_prepare_v2(db,
                               "SELECT r.identifier, r.metadata_prefix, i.json, i.title, "
                               "oaiharvest_unpack(r.metadata) FROM records r JOIN items i ON "
                               "i.record_id = r.id",
                               -1, &stmt, nullptr) == SQLITE_OK);
    auto text = [&](int column) {
        const auto* t = sqlite3_column_text(stmt, column);
        return t ? std::string(reinterpret_cast<const char*>(t)) : std::string("NULL");
    };
    int rows = 0;
    while (sqlite3_step(stmt) == SQLITE_ROW) {
        ++rows;
        auto json = nlohmann::json::parse(text(2));
        CHECK(json["identifier"] == text(0));
        CHECK((json["title"].is_null() ? std::string("NULL") : json["title"].get<std::string>()) ==
              text(3));
        if (text(1) == "mets" && text(0) == "oai:sample.oaiharvest.local:1") {
            auto source = sample::make_sample_record(1, h.generate);
            CHECK(test::canonical_xml(text(4)) ==
                  test::canonical_xml(test::standalone(source.mets)));
        }
        json_by_identifier[text(0) + " " + text(1)] = json.dump();
    }
    sqlite3_finalize(stmt);
    CHECK(rows == 300);  // the harness harvests mets alone
    for (const auto& row : h.exported()) {
        auto key =
            row["identifier"].get<std::string>() + " " + row["metadata_prefix"].get<std::string>();
        REQUIRE(json_by_identifier.count(key) == 1);
        CHECK(json_by_identifier[key] == row.dump());
    }
}
