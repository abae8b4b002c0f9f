// oaiharvest-test-postgres start DIR | stop DIR: the ctest fixture that shares one PostgreSQL
// server among the test processes of a run (docs/testing.md). DIR records the server.
#include <cstdio>
#include <exception>
#include <string_view>

#include "support/postgres_server.hpp"

int main(int argc, char** argv) {
    if (argc != 3 ||
        (std::string_view(argv[1]) != "start" && std::string_view(argv[1]) != "stop")) {
        std::fprintf(stderr, "usage: oaiharvest-test-postgres start|stop DIR\n");
        return 2;
    }
    try {
        if (std::string_view(argv[1]) == "start") {
            oaiharvest::test::PostgresServer::start_shared(argv[2]);
        } else {
            oaiharvest::test::PostgresServer::stop_shared(argv[2]);
        }
    } catch (const std::exception& e) {
        std::fprintf(stderr, "oaiharvest-test-postgres %s: %s\n", argv[1], e.what());
        return 1;
    }
    return 0;
}
