#include <unistd.h>

#include <catch2/catch.hpp>

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
