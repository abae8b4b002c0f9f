// One body shared by documents of two endpoints: one endpoint's cleanup and the other's store
// must never leave a row `stored` without its file (store::remove_unused_body with
// BodyFile::settle).
#include <catch2/catch.hpp>

#include "documents/detail/body_file.hpp"
#include "documents_fixture.hpp"

using namespace oaiharvest;
using oaiharvest::test::DocumentsFixture;
using test::files_under;

TEST_CASE("A body removed before its row said stored is put back by settle", "[documents]") {
    test::TempDir dir;
    const auto database = dir.file("mirror.db");
    const auto tmp = documents::tmp_folder(database, 1);
    std::filesystem::create_directories(tmp);
    std::string sha256;
    {
        documents::detail::BodyFile body(tmp);
        body.write("%PDF-1.4 shared");
        sha256 = body.commit(database);
        const auto placed = documents::body_path(database, sha256);
        REQUIRE(std::filesystem::exists(placed));
        // The other endpoint's cleanup, between this commit and this row's commit.
        std::filesystem::remove(placed);
        body.settle(database);
        CHECK(std::filesystem::file_size(placed) == 15);
    }
    CHECK(std::filesystem::exists(documents::body_path(database, sha256)));
    CHECK(files_under(tmp) == 0);  // the second name goes with the BodyFile
}

TEST_CASE_METHOD(DocumentsFixture, "A body some document still holds is not removed") {
    testing::ServedFile file;
    file.body = "%PDF-1.4 held";
    server.put("/a.pdf", file);
    this->file(record("oai:x:1", "2026-11-01T00:00:00Z"), 0, server.url("/a.pdf"));
    REQUIRE(stage.run(endpoint.id, policy).stored == 1);
    const auto sha256 = column_of(server.url("/a.pdf"), "sha256");

    int removed = 0;
    CHECK_FALSE(store::remove_unused_body(*db, sha256, [&] { ++removed; }));
    CHECK(removed == 0);

    raw().exec("DELETE FROM record_documents; DELETE FROM documents");
    CHECK(store::remove_unused_body(*db, sha256, [&] { ++removed; }));
    CHECK(removed == 1);
    // What remove() throws undoes the transaction and reaches the caller.
    CHECK_THROWS_AS(store::remove_unused_body(*db, sha256, [] { throw std::runtime_error("x"); }),
                    std::runtime_error);
}
