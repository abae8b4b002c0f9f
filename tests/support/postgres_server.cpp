// The test PostgreSQL server: initdb and pg_ctl run as an unprivileged user when we are root,
// by fork and execv (no shell), their output kept in a log file for the error message.
#include "support/postgres_server.hpp"

#include <fcntl.h>
#include <grp.h>
#include <libpq-fe.h>
#include <pwd.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <random>
#include <sstream>
#include <stdexcept>
#include <vector>

namespace oaiharvest::test {
namespace {

namespace fs = std::filesystem;

// The file in a shared server's state dir that holds the server's base dir.
constexpr const char* k_state_file = "server";

std::runtime_error pg_server_error(const std::string& what) {
    return std::runtime_error("test PostgreSQL server: " + what);
}

std::string read_file(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

fs::path bindir() {
    return OAIHARVEST_PG_BINDIR;
}

// The binaries, or a message saying how to get them: a test needing a server fails without.
void require_binaries() {
    for (const char* name : {"initdb", "pg_ctl", "postgres"}) {
        if (::access((bindir() / name).c_str(), X_OK) != 0) {
            throw pg_server_error("no PostgreSQL server binaries: " + (bindir() / name).string() +
                                  " is missing (scripts/install-deps installs postgresql-15)");
        }
    }
}

// Who runs the server: ourselves, or when we are root (which PostgreSQL refuses) the user
// postgres, else nobody.
struct ServerUser {
    bool switch_user = false;
    uid_t uid = 0;
    gid_t gid = 0;
};

ServerUser server_user() {
    ServerUser user;
    if (::geteuid() != 0) {
        return user;
    }
    for (const char* name : {"postgres", "nobody"}) {
        if (const passwd* entry = ::getpwnam(name)) {
            user.switch_user = true;
            user.uid = entry->pw_uid;
            user.gid = entry->pw_gid;
            return user;
        }
    }
    throw pg_server_error("running as root, and neither a user postgres nor nobody exists");
}

void give_to(const fs::path& path, const ServerUser& user) {
    if (user.switch_user && ::chown(path.c_str(), user.uid, user.gid) != 0) {
        throw pg_server_error("chown " + path.string() + ": " + std::strerror(errno));
    }
}

// Runs `argv` (argv[0] a full path) as the server user in `cwd`, its stdout and stderr to
// `log`; throws with the log's text unless it exits 0.
void run_as_server_user(const std::vector<std::string>& argv, const fs::path& cwd,
                        const fs::path& log) {
    ServerUser user = server_user();
    int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) {
        throw pg_server_error("cannot open " + log.string() + ": " + std::strerror(errno));
    }
    std::vector<char*> args;
    for (const std::string& arg : argv) {
        args.push_back(const_cast<char*>(arg.c_str()));
    }
    args.push_back(nullptr);
    pid_t pid = ::fork();
    if (pid < 0) {
        int error = errno;
        (void)::close(fd);  // the fork's error is the one to report
        throw pg_server_error(std::string("fork: ") + std::strerror(error));
    }
    if (pid == 0) {
        // Only async-signal-safe calls from here to execv.
        const char* step = nullptr;
        if (::dup2(fd, STDOUT_FILENO) < 0 || ::dup2(fd, STDERR_FILENO) < 0) {
            step = "dup2";
        } else if (::chdir(cwd.c_str()) != 0) {
            step = "chdir";
        } else if (user.switch_user && ::setgroups(0, nullptr) != 0) {
            step = "setgroups";
        } else if (user.switch_user && ::setgid(user.gid) != 0) {
            step = "setgid";
        } else if (user.switch_user && ::setuid(user.uid) != 0) {
            step = "setuid";
        } else {
            ::execv(args[0], args.data());
            step = "execv";
        }
        ssize_t ignored = ::write(STDERR_FILENO, step, std::strlen(step));
        ignored = ::write(STDERR_FILENO, " failed\n", 8);
        (void)ignored;
        ::_exit(127);
    }
    if (::close(fd) != 0) {
        // Only the child wrote to it, through its own descriptor: nothing of ours is lost.
        std::fprintf(stderr, "test PostgreSQL server: close %s: %s\n", log.c_str(),
                     std::strerror(errno));
    }
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0) {
        if (errno != EINTR) {
            throw pg_server_error(std::string("waitpid: ") + std::strerror(errno));
        }
    }
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        throw pg_server_error(argv[0] + " failed (status " + std::to_string(status) + "):\n" +
                              read_file(log));
    }
}

fs::path make_base_dir() {
    std::string pattern = (fs::temp_directory_path() / "oaiharvest-pg-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) {
        throw pg_server_error("mkdtemp " + pattern + ": " + std::strerror(errno));
    }
    return pattern;
}

// initdb, then pg_ctl start, in `base`: data/, socket/, log.
void init_and_start(const fs::path& base) {
    require_binaries();
    ServerUser user = server_user();
    fs::create_directories(base / "socket");
    give_to(base, user);
    give_to(base / "socket", user);
    run_as_server_user(
        {(bindir() / "initdb").string(), "-D", (base / "data").string(), "-U", "oaiharvest",
         "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8", "--no-sync"},
        base, base / "initdb.log");
    // pg_ctl hands -o to the server through a shell of its own.
    std::string options = "-c listen_addresses='' -k '" + (base / "socket").string() +
                          "' -c fsync=off -c full_page_writes=off -c max_connections=100";
    run_as_server_user({(bindir() / "pg_ctl").string(), "start", "-w", "-t", "60", "-D",
                        (base / "data").string(), "-l", (base / "log").string(), "-o", options},
                       base, base / "pg_ctl.log");
}

// pg_ctl stop -m immediate, then the folder removed. Throws when pg_ctl fails (the folder is
// removed all the same).
void stop_and_remove(const fs::path& base) {
    std::exception_ptr failure;
    if (fs::exists(base / "data" / "postmaster.pid")) {
        try {
            run_as_server_user({(bindir() / "pg_ctl").string(), "stop", "-w", "-t", "60", "-m",
                                "immediate", "-D", (base / "data").string()},
                               base, base / "pg_ctl.log");
        } catch (...) {
            failure = std::current_exception();
        }
    }
    std::error_code ignored;
    fs::remove_all(base, ignored);
    if (failure) {
        std::rethrow_exception(failure);
    }
}

fs::path recorded_base(const fs::path& state_dir) {
    std::string base = read_file(state_dir / k_state_file);
    while (!base.empty() && base.back() == '\n') {
        base.pop_back();
    }
    return base;
}

}  // namespace

PostgresServer::PostgresServer(fs::path base, Owned owned)
    : m_base(std::move(base)), m_socket_dir(m_base / "socket"), m_owned(owned) {}

std::unique_ptr<PostgresServer> PostgresServer::start() {
    fs::path base = make_base_dir();
    try {
        init_and_start(base);
    } catch (...) {
        std::error_code ignored;
        fs::remove_all(base, ignored);
        throw;
    }
    return std::unique_ptr<PostgresServer>(new PostgresServer(base, Owned::yes));
}

std::unique_ptr<PostgresServer> PostgresServer::attach(const fs::path& state_dir) {
    if (!has_shared(state_dir)) {
        throw pg_server_error("no server recorded in " + state_dir.string());
    }
    std::unique_ptr<PostgresServer> server(new PostgresServer(recorded_base(state_dir), Owned::no));
    std::string conninfo = server->conninfo("postgres");
    if (PQping(conninfo.c_str()) != PQPING_OK) {
        throw pg_server_error("the server recorded in " + state_dir.string() + " (" + conninfo +
                              ") does not answer");
    }
    return server;
}

bool PostgresServer::has_shared(const fs::path& state_dir) {
    return fs::exists(state_dir / k_state_file);
}

void PostgresServer::start_shared(const fs::path& state_dir) {
    if (has_shared(state_dir)) {
        try {
            stop_shared(state_dir);        // a killed run's server
        } catch (const std::exception&) {  // NOLINT(bugprone-empty-catch): its folder is gone
        }
    }
    fs::create_directories(state_dir);
    fs::path base = make_base_dir();
    try {
        init_and_start(base);
    } catch (...) {
        std::error_code ignored;
        fs::remove_all(base, ignored);
        throw;
    }
    fs::path temporary = state_dir / (std::string(k_state_file) + ".new");
    {
        std::ofstream out(temporary, std::ios::trunc);
        out << base.string() << '\n';
        if (!out.flush()) {
            throw pg_server_error("cannot write " + temporary.string());
        }
    }
    fs::rename(temporary, state_dir / k_state_file);
}

void PostgresServer::stop_shared(const fs::path& state_dir) {
    if (!has_shared(state_dir)) {
        return;
    }
    fs::path base = recorded_base(state_dir);
    fs::remove(state_dir / k_state_file);
    if (!base.empty()) {
        stop_and_remove(base);
    }
}

PostgresServer::~PostgresServer() {
    if (m_owned == Owned::no) {
        return;
    }
    try {
        stop_and_remove(m_base);
    } catch (const std::exception& e) {
        // A destructor must not throw; the server may still run, so say so.
        std::fprintf(stderr, "%s\n", e.what());
    }
}

std::string PostgresServer::conninfo(const std::string& database) const {
    return "postgresql://oaiharvest@/" + database + "?host=" + m_socket_dir.string();
}

std::string PostgresServer::new_database() {
    static std::atomic<unsigned> counter{0};
    std::random_device random;
    std::string name = "test_" + std::to_string(::getpid()) + "_" + std::to_string(++counter) +
                       "_" + std::to_string(random() % 1000000);
    std::string admin = conninfo("postgres");
    std::unique_ptr<PGconn, decltype(&PQfinish)> conn(PQconnectdb(admin.c_str()), &PQfinish);
    if (!conn || PQstatus(conn.get()) != CONNECTION_OK) {
        throw pg_server_error("cannot connect to " + admin + ": " +
                              (conn ? PQerrorMessage(conn.get()) : "out of memory"));
    }
    std::string sql = "CREATE DATABASE " + name + " TEMPLATE template0 ENCODING 'UTF8'";
    std::unique_ptr<PGresult, decltype(&PQclear)> result(PQexec(conn.get(), sql.c_str()), &PQclear);
    if (PQresultStatus(result.get()) != PGRES_COMMAND_OK) {
        throw pg_server_error(sql + ": " + PQerrorMessage(conn.get()));
    }
    return conninfo(name);
}

PostgresServer& postgres() {
    static std::unique_ptr<PostgresServer> server = [] {
        const char* shared = std::getenv("OAIHARVEST_TEST_POSTGRES");
        if (shared != nullptr && *shared != '\0' && PostgresServer::has_shared(shared)) {
            return PostgresServer::attach(shared);
        }
        return PostgresServer::start();
    }();
    return *server;
}

}  // namespace oaiharvest::test
