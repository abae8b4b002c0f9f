// Containment: the daemon harvests each endpoint in a child process with resource limits, so a
// crash, a runaway allocation or a hang costs that endpoint's run and nothing else. Crashes are
// made deterministic through the test hook OAIHARVEST_TEST_FAULT="<endpoint>:<fault>" (see
// daemon/child.hpp), which the harvest child of that endpoint obeys at its first ListRecords
// request; a hang is a real one, a response the server holds back.

#include <signal.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <thread>

#include "eventually.hpp"
#include "harness.hpp"

using namespace oaiharvest;
using namespace std::chrono_literals;
using test::BackgroundProcess;
using test::ProcessResult;
using testing::TestOaiServer;

namespace {

// Sets an environment variable for the processes this test starts, and unsets it after.
class ScopedEnv {
public:
    ScopedEnv(const char* name, const std::string& value) : m_name(name) {
        ::setenv(name, value.c_str(), 1);
    }
    ~ScopedEnv() { ::unsetenv(m_name); }
    ScopedEnv(const ScopedEnv&) = delete;
    ScopedEnv& operator=(const ScopedEnv&) = delete;

private:
    const char* m_name;
};

struct Endpoint {
    std::string name;
    std::string url;
};

struct Fixture {
    test::TempDir dir;
    std::string config = dir.file("oaiharvest.toml");

    void write_config(const std::vector<Endpoint>& endpoints, const std::string& daemon = "") {
        std::ofstream out(config);
        out << "database = \"mirror.db\"\n"
            << "[http]\nretries = 0\nrequest_interval = \"10ms\"\ntimeout = \"20s\"\n"
            << "[daemon]\nparallel = 2\n"
            << daemon;
        for (const auto& e : endpoints) {
            out << "[[endpoint]]\nname = \"" << e.name << "\"\nurl = \"" << e.url
                << "\"\nschedule = \"@every 1d\"\n";
        }
    }
    ProcessResult run(std::vector<std::string> args) const {
        args.insert(args.begin(), {"-c", config});
        return test::run_oaiharvest(args);
    }
    // status --json of the endpoint's single scope.
    nlohmann::json status_of(const std::string& name) const {
        auto result = run({"status", "--json", name});
        REQUIRE(result.exit_code == 0);
        auto all = nlohmann::json::parse(result.out);
        REQUIRE(all.size() == 1);
        return all[0];
    }
};

using test::eventually;

sample::Repository sample_repository() {
    return sample::make_sample_repository(sample::GenerateOptions{});
}

// The died endpoint is due again at once: the next --once harvests it in full, and only it.
void check_retried_at_once(const Fixture& f, const std::string& name) {
    auto again = f.run({"daemon", "--once"});
    INFO(again.err);
    CHECK(again.exit_code == 0);
    CHECK_THAT(again.err, Catch::Contains("1 of 2 scheduled endpoints due"));
    auto scope = f.status_of(name);
    CHECK(scope["records"] == 300);
    CHECK(scope["last_run"]["outcome"] == "ok");
}

}  // namespace

TEST_CASE("daemon --once: a harvest child killed by a signal costs only its endpoint's run",
          "[integration][containment]") {
    Fixture f;
    TestOaiServer healthy(sample_repository(), {.page_size = 100});
    TestOaiServer crashing(sample_repository(), {.page_size = 100});
    f.write_config({{"healthy", healthy.base_url()}, {"crashing", crashing.base_url()}});

    std::string fault = GENERATE("segv", "abort");
    const std::string cause =
        fault == "segv" ? "killed by signal 11 (SIGSEGV)" : "killed by signal 6 (SIGABRT)";
    {
        ScopedEnv env("OAIHARVEST_TEST_FAULT", "crashing:" + fault);
        auto result = f.run({"daemon", "--once"});
        INFO(result.err);
        CHECK(result.exit_code == 1);
        CHECK_THAT(result.err, Catch::Contains("2 of 2 scheduled endpoints due"));
        CHECK_THAT(result.err, Catch::Contains("healthy mets: 292 new"));
        CHECK_THAT(result.err, Catch::Contains("crashing: the harvest died: " + cause));
    }
    CHECK(f.status_of("healthy")["records"] == 300);
    auto died = f.status_of("crashing");
    CHECK(died["records"] == 0);
    CHECK(died["last_run"]["outcome"] == "died");
    CHECK(died["last_run"]["error"] == cause);
    CHECK(died["last_run"]["finished_at"].is_string());
    auto text = f.run({"status", "crashing"});
    CHECK_THAT(text.out, Catch::Contains("died") && Catch::Contains(cause));

    check_retried_at_once(f, "crashing");
}

TEST_CASE("daemon --once: a harvest child over daemon.memory_limit dies alone",
          "[integration][containment]") {
    Fixture f;
    TestOaiServer healthy(sample_repository(), {.page_size = 100});
    TestOaiServer greedy(sample_repository(), {.page_size = 100});
    f.write_config({{"healthy", healthy.base_url()}, {"greedy", greedy.base_url()}},
                   "memory_limit = \"256MiB\"\n");
    {
        // The hook allocates without bound: only the address-space limit stops it.
        ScopedEnv env("OAIHARVEST_TEST_FAULT", "greedy:alloc");
        auto result = f.run({"daemon", "--once"});
        INFO(result.err);
        CHECK(result.exit_code == 1);
        CHECK_THAT(result.err, Catch::Contains("healthy mets: 292 new"));
    }
    CHECK(f.status_of("healthy")["records"] == 300);
    auto died = f.status_of("greedy");
    CHECK(died["last_run"]["outcome"] == "died");
    CHECK(died["last_run"]["error"] == "exceeded the memory limit of 256MiB");

    check_retried_at_once(f, "greedy");
}

TEST_CASE("daemon --once: a harvest that hangs past daemon.run_deadline dies alone",
          "[integration][containment]") {
    Fixture f;
    TestOaiServer healthy(sample_repository(), {.page_size = 100});
    TestOaiServer hanging(sample_repository(), {.page_size = 100});
    // The list's first page never comes (until the server stops); the stall timeout is 20 s.
    hanging.set_script([](const testing::RequestInfo& r) -> std::optional<testing::Fault> {
        if (r.verb == "ListRecords") {
            return testing::Hold{"hang", 0};
        }
        return std::nullopt;
    });
    // Another host name for the healthy one: requests to one host wait for each other (the
    // politeness gate), so the held request would hold it up too.
    std::string healthy_url = healthy.base_url();
    healthy_url.replace(healthy_url.find("127.0.0.1"), 9, "localhost");
    f.write_config({{"healthy", healthy_url}, {"hanging", hanging.base_url()}},
                   "run_deadline = \"1500ms\"\n");

    auto started = std::chrono::steady_clock::now();
    auto result = f.run({"daemon", "--once"});
    auto took = std::chrono::steady_clock::now() - started;
    INFO(result.err);
    CHECK(result.exit_code == 1);
    CHECK(took < 5s);  // SIGTERM at the deadline, SIGKILL 2 s later at the latest
    CHECK_THAT(result.err, Catch::Contains("healthy mets: 292 new"));
    CHECK(f.status_of("healthy")["records"] == 300);
    auto died = f.status_of("hanging");
    CHECK(died["last_run"]["outcome"] == "died");
    CHECK(died["last_run"]["error"] == "exceeded the wall-clock deadline of 1s500ms");
}

TEST_CASE(
    "A harvest killed with SIGKILL before its first commit: status says died, and the "
    "endpoint is due at once",
    "[integration][containment]") {
    Fixture f;
    TestOaiServer other(sample_repository(), {.page_size = 100});
    TestOaiServer server(sample_repository(), {.page_size = 100});
    f.write_config({{"other", other.base_url()}, {"sample", server.base_url()}});
    // Both harvested once, so neither is due for a day.
    REQUIRE(f.run({"daemon", "--once"}).exit_code == 0);

    server.set_script([](const testing::RequestInfo& r) -> std::optional<testing::Fault> {
        if (r.verb == "ListRecords") {
            return testing::Hold{"kill", 0};
        }
        return std::nullopt;
    });
    auto harvest = std::make_unique<BackgroundProcess>(
        std::vector<std::string>{"-c", f.config, "harvest", "--full", "sample"});
    REQUIRE(server.wait_for_hold("kill", 10s));
    harvest->signal(SIGKILL);
    REQUIRE(harvest->wait().signal == SIGKILL);
    server.set_script(nullptr);
    server.release("kill");

    auto died = f.status_of("sample");
    CHECK(died["last_run"]["outcome"] == "died");
    CHECK(died["last_run"]["error"] == "the process ended before the run finished");

    auto again = f.run({"daemon", "--once"});
    INFO(again.err);
    CHECK(again.exit_code == 0);
    CHECK_THAT(again.err, Catch::Contains("1 of 2 scheduled endpoints due"));
    CHECK(f.status_of("sample")["last_run"]["outcome"] == "ok");
}

TEST_CASE("The harvest children end with the daemon, killed or stopped",
          "[integration][containment]") {
    Fixture f;
    TestOaiServer server(sample_repository(), {.page_size = 100});
    server.set_script([](const testing::RequestInfo& r) -> std::optional<testing::Fault> {
        if (r.verb == "ListRecords" && !r.args.count("resumptionToken")) {
            return testing::Hold{"held", 0};
        }
        return std::nullopt;
    });
    f.write_config({{"sample", server.base_url()}}, "[log]\nfile = \"daemon.log\"\n");
    auto log_holds = [&](const std::string& text) {
        std::ifstream in(f.dir.file("daemon.log"));
        std::string log((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        return log.find(text) != std::string::npos;
    };
    auto daemon =
        std::make_unique<BackgroundProcess>(std::vector<std::string>{"-c", f.config, "daemon"});
    REQUIRE(server.wait_for_hold("held", 10s));
    // The child's own mode is no way around the harvest lock: by hand it is refused as
    // `harvest` is, since it does not share the daemon's locked descriptor.
    CHECK(f.run({"harvest", "sample"}).exit_code == 3);
    CHECK(f.run({"daemon", "--harvest-child", "sample"}).exit_code == 3);

    SECTION("SIGKILL: the child dies too, so the harvest lock is free") {
        daemon->signal(SIGKILL);
        REQUIRE(daemon->wait().signal == SIGKILL);
        // The child holds the daemon's lock while it lives; once it is gone, a harvest runs.
        server.set_script(nullptr);
        server.release("held");
        // The kernel sends the child SIGKILL as the daemon exits, but the child ends (and
        // drops the lock) a moment later: exit 3 is allowed for that moment only.
        ProcessResult harvest;
        auto deadline = std::chrono::steady_clock::now() + 5s;
        do {
            harvest = f.run({"harvest", "sample"});
        } while (harvest.exit_code == 3 && std::chrono::steady_clock::now() < deadline);
        INFO(harvest.err);
        CHECK(harvest.exit_code == 0);
    }
    SECTION("SIGTERM: the daemon stops its child and waits for it") {
        daemon->signal(SIGTERM);
        // The child aborts its download in flight (held by the server) and records the run
        // interrupted; the daemon waits for it.
        REQUIRE(eventually([&] { return log_holds("stopping: 1 harvests"); }));
        auto result = daemon->wait();
        server.release("held");
        CHECK(result.exit_code == 0);
        CHECK(log_holds("daemon stopped"));
        auto stopped = f.status_of("sample");
        CHECK(stopped["last_run"]["outcome"] == "interrupted");
        CHECK(stopped["records"] == 0);  // the page in flight was aborted, nothing asked since
    }
}
