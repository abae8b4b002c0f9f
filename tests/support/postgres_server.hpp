#pragma once
// A real PostgreSQL server for tests (issue 18), on a Unix socket in a temp dir of its own: no
// TCP port, fsync off, trust authentication for the user "oaiharvest".
//
// Run as root, the server (initdb, pg_ctl) runs as the user "postgres", or "nobody" where there
// is none, since PostgreSQL refuses root. The binaries are those of OAIHARVEST_PG_BINDIR (from
// pg_config at configure time); without them, starting throws, so that tests needing a server
// fail rather than skip (scripts/install-deps installs postgresql-15).
//
// Not thread-safe: one thread starts, uses and stops a server. Throws std::runtime_error with
// the command's output when a step fails. docs/testing.md says how ctest shares one server.

#include <filesystem>
#include <memory>
#include <string>

namespace oaiharvest::test {

class PostgresServer {
public:
    // A private server in a fresh temp dir, stopped and removed with this object.
    static std::unique_ptr<PostgresServer> start();
    // The server `start_shared(state_dir)` left running; never stopped by this object. Throws
    // when it does not answer.
    static std::unique_ptr<PostgresServer> attach(const std::filesystem::path& state_dir);
    // For a ctest fixture (oaiharvest-test-postgres): starts a server and records it in
    // state_dir, stopping first any server a killed earlier run left recorded there.
    static void start_shared(const std::filesystem::path& state_dir);
    // Stops and removes the server recorded in state_dir; nothing when there is none.
    static void stop_shared(const std::filesystem::path& state_dir);
    // True when state_dir records a server.
    static bool has_shared(const std::filesystem::path& state_dir);

    ~PostgresServer();
    PostgresServer(const PostgresServer&) = delete;
    PostgresServer& operator=(const PostgresServer&) = delete;
    PostgresServer(PostgresServer&&) = delete;
    PostgresServer& operator=(PostgresServer&&) = delete;

    // Creates a database of a name no other test (of any process) uses, and returns its conninfo
    // URL: postgresql://oaiharvest@/NAME?host=SOCKET_DIR.
    std::string new_database();
    // The conninfo URL of `database`.
    std::string conninfo(const std::string& database) const;
    const std::filesystem::path& socket_dir() const { return m_socket_dir; }

private:
    enum class Owned { yes, no };
    PostgresServer(std::filesystem::path base, Owned owned);
    std::filesystem::path m_base;  // holds data/, socket/ and log
    std::filesystem::path m_socket_dir;
    Owned m_owned;
};

// The server of this process: the shared one named by the environment variable
// OAIHARVEST_TEST_POSTGRES (a state dir of oaiharvest-test-postgres) when it records one,
// otherwise a private server started on first use and stopped at exit. Throws when no server
// can be had.
PostgresServer& postgres();

}  // namespace oaiharvest::test
