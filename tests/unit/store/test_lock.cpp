#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>

#include "store/lock.hpp"
#include "support/temp_dir.hpp"

using namespace oaiharvest;

TEST_CASE("The harvest lock is exclusive and names its holder", "[store][lock]") {
    test::TempDir dir;
    std::string db = dir.file("mirror.db");
    auto first = store::HarvestLock::acquire(db);
    REQUIRE(first);
    // flock locks belong to the open file description, so a second open in this process
    // conflicts just as another process would.
    auto second = store::HarvestLock::acquire(db);
    REQUIRE_FALSE(second);
    CHECK(second.error().holder == ::getpid());
    CHECK(second.error().lock_file == db + ".lock");
}

TEST_CASE("The harvest lock is free again once released", "[store][lock]") {
    test::TempDir dir;
    std::string db = dir.file("mirror.db");
    {
        auto first = store::HarvestLock::acquire(db);
        REQUIRE(first);
    }
    CHECK(store::HarvestLock::acquire(db));
}

TEST_CASE("The harvest lock is one per database file, whatever symlinks name it", "[store][lock]") {
    test::TempDir dir;
    namespace fs = std::filesystem;
    std::string db = dir.file("mirror.db");
    fs::create_symlink(db, dir.file("link.db"));  // dangling: the first harvest creates the file
    fs::create_directory_symlink(dir.path(), dir.path() / "alias");
    fs::create_symlink("link.db", dir.file("link-to-link.db"));

    auto first = store::HarvestLock::acquire(dir.file("link.db"));
    REQUIRE(first);
    for (const auto& other :
         {db, dir.file("link-to-link.db"), (dir.path() / "alias" / "mirror.db").string(),
          (dir.path() / "alias" / "." / "link.db").string()}) {
        INFO(other);
        auto second = store::HarvestLock::acquire(other);
        REQUIRE_FALSE(second);
        CHECK(second.error().lock_file == db + ".lock");
    }
    CHECK(store::lock_file_for(db) == db + ".lock");
}
