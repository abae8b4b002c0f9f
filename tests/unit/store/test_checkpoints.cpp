// BackgroundCheckpoints: the WAL is copied back by its own thread, stays bounded while pages
// commit faster than that thread copies, and nothing committed is lost.

#include <sqlite3.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <filesystem>
#include <thread>

#include "store/checkpoints.hpp"
#include "store/queries.hpp"
#include "store/sqlite.hpp"
#include "store/store.hpp"
#include "support/temp_dir.hpp"

using namespace oaiharvest;

namespace {

// A METS record of about 8 KB: each one fills a database page.
oai::Record big_record(int n) {
    oai::Record r;
    r.header.identifier = "oai:x:" + std::to_string(n);
    r.header.datestamp = "2026-01-01T00:00:00Z";
    r.metadata =
        "<mods:mods xmlns:mods=\"http://www.loc.gov/mods/v3\"><mods:titleInfo><mods:title>"
        "Record " +
        std::to_string(n) + "</mods:title></mods:titleInfo><mods:abstract>" +
        std::string(8000, 'a' + static_cast<char>(n % 26)) + "</mods:abstract></mods:mods>";
    return r;
}

std::int64_t count(store::Store& db, const char* sql) {
    store::sql::Statement stmt(db.database(), sql);
    return stmt.step() ? stmt.int64(0) : -1;
}

}  // namespace

TEST_CASE("Background checkpoints keep the WAL bounded and lose nothing", "[store][checkpoints]") {
    test::TempDir dir;
    const std::string path = dir.file("mirror.db");
    auto db = store::Store::open(path);
    auto endpoint = db->endpoint("sample", "http://127.0.0.1:1/oai");
    auto scope = db->scope(endpoint.id, "mods", "");
    auto run = db->begin_run(scope, util::now_utc(), std::nullopt, std::nullopt, false);
    constexpr int k_frames = 50;
    constexpr int k_pages = 60;
    constexpr int k_per_page = 10;
    {
        store::BackgroundCheckpoints checkpoints(*db, k_frames);
        int n = 0;
        for (int p = 0; p < k_pages; ++p) {
            auto page = db->begin_page(run, scope);
            for (int i = 0; i < k_per_page; ++i) {
                page.put(big_record(++n));
            }
            page.commit(scope, store::PageEnd{std::nullopt, "2026-01-01T00:00:00Z"}, {});
        }
        // The last commits asked for a checkpoint; the thread runs it.
        auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
        while (checkpoints.checkpoints_run() == 0 && std::chrono::steady_clock::now() < deadline) {
            std::this_thread::yield();
        }
        CHECK(checkpoints.checkpoints_run() > 0);
    }
    // 60 commits of 60 to 220 frames each (FTS5 merges make some larger) went through a WAL
    // that restarted once it held twice the threshold: never more than that plus one commit.
    // Without checkpoints it would have held them all, about 4,800 frames. The file keeps its
    // largest size.
    const auto wal_bytes = std::filesystem::file_size(path + "-wal");
    const std::uintmax_t frame_bytes = 8192 + 24;
    CHECK(wal_bytes <= (2 * k_frames + 400) * frame_bytes);
    CHECK(count(*db, "SELECT count(*) FROM records") == k_pages * k_per_page);
    CHECK(count(*db, "SELECT count(*) FROM search WHERE search MATCH 'record'") ==
          k_pages * k_per_page);
    store::sql::Statement check(db->database(), "PRAGMA integrity_check");
    REQUIRE(check.step());
    CHECK(check.text(0) == "ok");
}
