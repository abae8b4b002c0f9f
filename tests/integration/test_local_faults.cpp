// Local faults: the mirror's file reached twice, deleted or replaced under a harvest, read-only,
// not ours, or empty; output that cannot be written; a log file that cannot be opened. The real
// binary against the test server on 127.0.0.1.

#include <fcntl.h>
#include <grp.h>
#include <sqlite3.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "harness.hpp"

using namespace oaiharvest;
using namespace std::chrono_literals;
using test::Harness;
namespace fs = std::filesystem;

namespace {

constexpr auto k_generous = 30s;  // a hold is reached in milliseconds; this only bounds a hang

std::string contents(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

std::set<std::string> names_in(const fs::path& dir) {
    std::set<std::string> names;
    for (const auto& entry : fs::directory_iterator(dir)) {
        names.insert(entry.path().filename().string());
    }
    return names;
}

bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

// How the child runs, beyond its arguments.
struct Child {
    std::string stdout_path;     // empty: a file in `scratch`, read back into out
    bool unprivileged = false;   // as nobody, when the test runs as root
    rlim_t file_size_limit = 0;  // RLIMIT_FSIZE when not 0 (SIGXFSZ ignored: writes get EFBIG)
};

// Runs the binary with its output in files of `scratch`, so that stdout can be /dev/full, the
// user can be dropped to nobody and a file size limit set, none of which posix_spawn can do.
test::ProcessResult run_child(const fs::path& scratch, const std::vector<std::string>& args,
                              const Child& how = {}) {
    std::string out_path =
        how.stdout_path.empty() ? (scratch / "stdout").string() : how.stdout_path;
    std::string err_path = (scratch / "stderr").string();
    std::vector<std::string> full{OAIHARVEST_BINARY};
    full.insert(full.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (auto& a : full) {
        argv.push_back(a.data());
    }
    argv.push_back(nullptr);
    pid_t pid = ::fork();
    if (pid < 0) {
        throw std::runtime_error("fork failed");
    }
    if (pid == 0) {
        // Only async-signal-safe calls from here: the test process has threads.
        int out = ::open(out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0666);
        int err = ::open(err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0666);
        int in = ::open("/dev/null", O_RDONLY);
        if (out < 0 || err < 0 || in < 0 || ::dup2(out, 1) < 0 || ::dup2(err, 2) < 0 ||
            ::dup2(in, 0) < 0) {
            ::_exit(126);
        }
        if (how.file_size_limit != 0) {
            struct rlimit limit {
                how.file_size_limit, how.file_size_limit
            };
            ::signal(SIGXFSZ, SIG_IGN);
            if (::setrlimit(RLIMIT_FSIZE, &limit) != 0) {
                ::_exit(126);
            }
        }
        if (how.unprivileged && ::geteuid() == 0) {
            constexpr uid_t k_nobody = 65534;
            if (::setgroups(0, nullptr) != 0 || ::setgid(k_nobody) != 0 ||
                ::setuid(k_nobody) != 0) {
                ::_exit(126);
            }
        }
        ::execv(argv[0], argv.data());
        ::_exit(127);
    }
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0) {
        if (errno != EINTR) {
            throw std::runtime_error("waitpid failed");
        }
    }
    test::ProcessResult result;
    if (WIFEXITED(status)) {
        result.exit_code = WEXITSTATUS(status);
    } else if (WIFSIGNALED(status)) {
        result.signal = WTERMSIG(status);
    }
    if (how.stdout_path.empty()) {
        result.out = contents(out_path);
    }
    result.err = contents(err_path);
    REQUIRE(result.exit_code != 126);  // the child's own setup failed
    return result;
}

// A 3-page list served with no politeness pause.
struct ThreePages {
    static sample::GenerateOptions generate() {
        sample::GenerateOptions g;
        g.records = 30;
        return g;
    }
    static sample::ProviderOptions provider() {
        sample::ProviderOptions p;
        p.page_size = 10;
        return p;
    }
    ThreePages() : h(generate(), provider()) {
        h.use_config("[http]\nrequest_interval = \"0s\"\n");
    }
    Harness h;
};

testing::Script hold_list_page(std::size_t page) {
    // The first ListRecords request asks for page 1; page n is the n-th.
    auto seen = std::make_shared<std::atomic<std::size_t>>(0);
    return [seen, page](const testing::RequestInfo& request) -> std::optional<testing::Fault> {
        if (request.verb != "ListRecords" || ++*seen != page) {
            return std::nullopt;
        }
        return testing::Hold{"here", 0};
    };
}

// Another application's SQLite file.
void write_foreign_database(const std::string& path) {
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open(path.c_str(), &db) == SQLITE_OK);
    std::unique_ptr<sqlite3, decltype(&sqlite3_close)> guard(db, sqlite3_close);
    REQUIRE(sqlite3_exec(db,
                         "CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT); "
                         "INSERT INTO notes (body) VALUES ('shopping list')",
                         nullptr, nullptr, nullptr) == SQLITE_OK);
}

}  // namespace

TEST_CASE("Two harvests into one database reached through a symlink: the second is refused",
          "[integration][local]") {
    ThreePages t;
    auto link = t.h.dir.file("link.db");
    fs::create_directory(t.h.dir.path() / "real");
    fs::create_directory_symlink(t.h.dir.path(), t.h.dir.path() / "alias");
    fs::create_symlink(t.h.db, link);

    t.h.server.set_script(hold_list_page(1));
    auto first = t.h.start_harvest();
    REQUIRE(t.h.server.wait_for_hold("here", k_generous));
    const std::size_t asked = t.h.server.request_count();
    for (const auto& other : {link, (t.h.dir.path() / "alias" / "mirror.db").string()}) {
        INFO(other);
        auto second =
            t.h.run_on(other, {"harvest", "--url", t.h.server.base_url(), "--name", "sample"});
        CHECK(second.exit_code == 3);
        CHECK(contains(second.err, "is harvesting into"));
    }
    t.h.server.release("here");
    auto ended = first->wait();
    INFO(ended.err);
    CHECK(ended.exit_code == 0);
    CHECK(t.h.server.request_count() == asked + 2);  // only the first harvest's pages 2 and 3
}

TEST_CASE("A database deleted mid-harvest fails the run, naming the file", "[integration][local]") {
    ThreePages t;
    t.h.server.set_script(hold_list_page(2));
    auto child = t.h.start_harvest();
    REQUIRE(t.h.server.wait_for_hold("here", k_generous));
    for (const char* suffix : {"", "-wal", "-shm"}) {
        fs::remove(t.h.db + suffix);
    }
    t.h.server.release("here");
    auto ended = child->wait();
    INFO(ended.err);
    CHECK(ended.exit_code == 1);
    CHECK(contains(ended.err, t.h.db));
    CHECK(contains(ended.err, "deleted or moved"));
}

TEST_CASE("A database replaced mid-harvest fails the run, naming the file",
          "[integration][local]") {
    ThreePages t;
    t.h.server.set_script(hold_list_page(2));
    auto child = t.h.start_harvest();
    REQUIRE(t.h.server.wait_for_hold("here", k_generous));
    // A restore from backup: another file moved over the name.
    std::ofstream(t.h.dir.file("restored.db")) << "";
    fs::rename(t.h.dir.file("restored.db"), t.h.db);
    t.h.server.release("here");
    auto ended = child->wait();
    INFO(ended.err);
    CHECK(ended.exit_code == 1);
    CHECK(contains(ended.err, t.h.db));
    CHECK(contains(ended.err, "replaced"));
    CHECK(fs::file_size(t.h.db) == 0);  // the file moved in was not written
}

TEST_CASE("status, search, export and show read a mirror in a read-only file and folder",
          "[integration][local]") {
    Harness h;
    h.use_config("[http]\nrequest_interval = \"0s\"\n");
    REQUIRE(h.harvest().exit_code == 0);
    test::TempDir scratch;
    fs::permissions(scratch.path(), fs::perms::all);  // nobody writes its output here
    const std::string expected_export = h.run({"export"}).out;
    const std::string before = contents(h.db);
    const auto files_before = names_in(h.dir.path());
    fs::permissions(h.db, fs::perms::owner_read | fs::perms::group_read | fs::perms::others_read);
    fs::permissions(h.dir.path(), fs::perms::owner_read | fs::perms::owner_exec |
                                      fs::perms::group_read | fs::perms::group_exec |
                                      fs::perms::others_read | fs::perms::others_exec);
    Child nobody{.unprivileged = true};
    auto run = [&](std::vector<std::string> args) {
        args.insert(args.begin(), {"--db", h.db});
        return run_child(scratch.path(), args, nobody);
    };
    // The setup really forbids writing: a harvest, which must write, fails.
    auto harvest = run({"harvest", "--url", h.server.base_url(), "--name", "sample"});
    CHECK(harvest.exit_code != 0);

    auto status = run({"status", "--json"});
    INFO(status.err);
    CHECK(status.exit_code == 0);
    CHECK(nlohmann::json::parse(status.out)[0]["records"] == h.generate.records);
    auto search = run({"search", "diplomacy"});
    CHECK(search.exit_code == 0);
    CHECK(contains(search.out, "oai:sample.oaiharvest.local:1"));
    auto exported = run({"export"});
    CHECK(exported.exit_code == 0);
    CHECK(exported.out == expected_export);
    auto show = run({"show", "oai:sample.oaiharvest.local:1"});
    CHECK(show.exit_code == 0);

    fs::permissions(h.dir.path(), fs::perms::owner_all);
    CHECK(contents(h.db) == before);
    CHECK(names_in(h.dir.path()) == files_before);
}

TEST_CASE("A WAL mirror copied without its -wal and -shm into a read-only folder can be read",
          "[integration][local]") {
    Harness h;
    h.use_config("[http]\nrequest_interval = \"0s\"\n");
    REQUIRE(h.harvest().exit_code == 0);
    {
        // Everything into the main file, as a backup or a read-only mount would have it.
        sqlite3* db = nullptr;
        REQUIRE(sqlite3_open(h.db.c_str(), &db) == SQLITE_OK);
        std::unique_ptr<sqlite3, decltype(&sqlite3_close)> guard(db, sqlite3_close);
        REQUIRE(sqlite3_exec(db, "PRAGMA wal_checkpoint(TRUNCATE)", nullptr, nullptr, nullptr) ==
                SQLITE_OK);
    }
    const std::string expected_status = h.run({"status", "--json"}).out;
    test::TempDir mount;
    test::TempDir scratch;
    fs::permissions(scratch.path(), fs::perms::all);
    const std::string copy = mount.file("mirror.db");
    fs::copy_file(h.db, copy);
    const std::string before = contents(copy);
    REQUIRE(before.substr(18, 2) == std::string("\x02\x02"));  // WAL mode in the header
    fs::permissions(copy, fs::perms::owner_read | fs::perms::group_read | fs::perms::others_read);
    fs::permissions(mount.path(), fs::perms::owner_read | fs::perms::owner_exec |
                                      fs::perms::group_read | fs::perms::group_exec |
                                      fs::perms::others_read | fs::perms::others_exec);
    auto status =
        run_child(scratch.path(), {"--db", copy, "status", "--json"}, Child{.unprivileged = true});
    INFO(status.err);
    CHECK(status.exit_code == 0);
    CHECK(status.out == expected_status);
    fs::permissions(mount.path(), fs::perms::owner_all);
    CHECK(contents(copy) == before);
    CHECK(names_in(mount.path()) == std::set<std::string>{"mirror.db"});
}

TEST_CASE("Reading commands on another application's SQLite file refuse it and never write it",
          "[integration][local]") {
    Harness h;
    write_foreign_database(h.db);
    const std::string before = contents(h.db);
    for (std::vector<std::string> args :
         {std::vector<std::string>{"status"},
          {"search", "shopping"},
          {"export"},
          {"show", "oai:x:1"},
          {"harvest", "--url", h.server.base_url(), "--name", "sample"}}) {
        INFO(args[0]);
        auto result = h.run(args);
        CHECK(result.exit_code == 2);
        CHECK(contains(result.err, h.db + " is not an oaiharvest database"));
    }
    CHECK(contents(h.db) == before);
    CHECK(h.server.request_count() == 0);
}

TEST_CASE("A 0-byte file is refused by reading commands and becomes a mirror when harvested",
          "[integration][local]") {
    Harness h;
    h.use_config("[http]\nrequest_interval = \"0s\"\n");
    std::ofstream(h.db) << "";
    for (std::vector<std::string> args :
         {std::vector<std::string>{"status"}, {"search", "diplomacy"}, {"export"}, {"show", "x"}}) {
        INFO(args[0]);
        auto result = h.run(args);
        CHECK(result.exit_code == 2);
        CHECK(contains(result.err, h.db + " is not an oaiharvest database (it is an empty file)"));
        CHECK(fs::file_size(h.db) == 0);
    }
    auto harvest = h.harvest();
    INFO(harvest.err);
    CHECK(harvest.exit_code == 0);
    CHECK(h.status()[0]["records"] == h.generate.records);
}

TEST_CASE("Output that cannot be written fails the command, naming where and why",
          "[integration][local]") {
    Harness h;
    h.use_config("[http]\nrequest_interval = \"0s\"\n");
    REQUIRE(h.harvest().exit_code == 0);
    test::TempDir scratch;
    const std::string id = "oai:sample.oaiharvest.local:1";
    for (std::vector<std::string> args : {std::vector<std::string>{"status"},
                                          {"status", "--json"},
                                          {"search", "diplomacy"},
                                          {"search", "--json", "diplomacy"},
                                          {"export"},
                                          {"export", "--format", "csv"},
                                          {"export", "--format", "xml"},
                                          {"show", id},
                                          {"show", "--raw", id}}) {
        std::string command = args[0] + (args.size() > 2 ? " " + args[1] : "");
        INFO(command);
        args.insert(args.begin(), {"--db", h.db});
        auto result = run_child(scratch.path(), args, Child{.stdout_path = "/dev/full"});
        INFO(result.err);
        CHECK(result.exit_code == 1);
        CHECK(contains(result.err, "cannot write to standard output (/dev/full): No space left"));
    }
    auto device = h.run({"export", "--output", "/dev/full"});
    CHECK(device.exit_code == 1);
    CHECK(contains(device.err, "cannot write to /dev/full: No space left on device"));
    for (const auto& name : names_in("/dev")) {
        CHECK_FALSE(name.starts_with("full.tmp"));  // a device is written in place
    }
}

TEST_CASE("export --output replaces its file only once the export is complete",
          "[integration][local]") {
    Harness h;
    h.use_config("[http]\nrequest_interval = \"0s\"\n");
    REQUIRE(h.harvest().exit_code == 0);
    test::TempDir scratch;
    const std::string target = scratch.file("export.xml");
    std::ofstream(target) << "yesterday's export\n";

    // The file grows past what the process may write (EFBIG, as a full disk gives ENOSPC).
    auto cut =
        run_child(scratch.path(), {"--db", h.db, "export", "--format", "xml", "--output", target},
                  Child{.file_size_limit = 256 * 1024});
    INFO(cut.err);
    CHECK(cut.exit_code == 1);
    CHECK(contains(cut.err, "cannot write to " + target + ": File too large"));
    CHECK(contents(target) == "yesterday's export\n");
    CHECK(names_in(scratch.path()) == std::set<std::string>{"export.xml", "stdout", "stderr"});

    auto whole = h.run({"export", "--format", "xml", "--output", target});
    INFO(whole.err);
    CHECK(whole.exit_code == 0);
    auto to_stdout = h.run({"export", "--format", "xml"});
    CHECK(contents(target).size() > 256 * 1024);
    // The responseDate line differs by the second it was made.
    CHECK(contents(target).substr(200) == to_stdout.out.substr(200));
    CHECK(names_in(scratch.path()) == std::set<std::string>{"export.xml", "stdout", "stderr"});
}

TEST_CASE("A log file that cannot be opened is a config error naming the file and line",
          "[integration][local]") {
    Harness h;
    std::ofstream(h.dir.file("a-file")) << "";
    for (const std::string& log : {h.dir.file("missing/oaiharvest.log"),
                                   h.dir.file("a-file/oaiharvest.log"), h.dir.path().string()}) {
        INFO(log);
        h.use_config("[http]\nrequest_interval = \"0s\"\n\n[log]\nlevel = \"info\"\nfile = \"" +
                     log + "\"\n");
        const std::string where = *h.config + ":6:8: log.file = \"" + log + "\"";
        auto check = h.run({"config", "check"});
        CHECK(check.exit_code == 2);
        CHECK(contains(check.err, where));
        auto harvest = h.harvest();
        CHECK(harvest.exit_code == 2);
        CHECK(contains(harvest.err, where));
    }
    CHECK(h.server.request_count() == 0);
    CHECK_FALSE(fs::exists(h.dir.file("missing")));
}
