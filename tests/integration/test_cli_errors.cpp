#include <unistd.h>

#include <catch2/catch.hpp>

#include "harness.hpp"
#include "store/lock.hpp"

using namespace oaiharvest;
using test::Harness;

TEST_CASE("A bad flag or a bad date is a usage error (exit 2) naming it", "[integration][cli]") {
    Harness h;
    auto unknown = h.run({"harvest", "--frm", "2026-01-01"});
    CHECK(unknown.exit_code == 2);
    CHECK(unknown.err.find("--frm") != std::string::npos);

    auto bad_date = h.harvest({"--from", "yesterday"});
    CHECK(bad_date.exit_code == 2);
    CHECK(bad_date.err.find("--from \"yesterday\" is not a date") != std::string::npos);

    auto no_command = h.run({});
    CHECK(no_command.exit_code == 2);

    auto bad_url = h.run({"harvest", "--url", "ftp://example.org/oai"});
    CHECK(bad_url.exit_code == 2);
    CHECK(bad_url.err.find("must start with http:// or https://") != std::string::npos);
    // A port curl cannot use is refused before any request (it used to be retried).
    auto bad_port = h.run({"harvest", "--url", "http://127.0.0.1:/cgi/oai2"});
    CHECK(bad_port.exit_code == 2);
    CHECK(bad_port.err.find("the port \"\" is not a number from 1 to 65535") != std::string::npos);
    CHECK(h.server.request_count() == 0);
}

TEST_CASE("Reading commands on a missing database say so (exit 2)", "[integration][cli]") {
    Harness h;
    auto status = h.run({"status"});
    CHECK(status.exit_code == 2);
    CHECK(status.err.find("no database at " + h.db) != std::string::npos);
}

TEST_CASE("A second harvesting process exits 3 naming the holder's pid", "[integration][cli]") {
    Harness h;
    auto lock = store::HarvestLock::acquire(h.db);
    REQUIRE(lock);
    auto result = h.harvest();
    CHECK(result.exit_code == 3);
    CHECK(result.err.find("pid " + std::to_string(::getpid())) != std::string::npos);
    CHECK(h.server.request_count() == 0);
}

TEST_CASE("An invalid search query gets a clear message, not an SQL error", "[integration][cli]") {
    Harness h;
    REQUIRE(h.harvest().exit_code == 0);
    auto result = h.run({"search", "\"unbalanced"});
    CHECK(result.exit_code == 2);
    CHECK(result.err.find("is not a valid query") != std::string::npos);
}

TEST_CASE("The version and help flags exit 0", "[integration][cli]") {
    Harness h;
    auto version = h.run({"--version"});
    CHECK(version.exit_code == 0);
    CHECK(version.out.find("oaiharvest ") != std::string::npos);
    CHECK(h.run({"--help"}).exit_code == 0);
}
