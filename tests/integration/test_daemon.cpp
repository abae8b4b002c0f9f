// The daemon as users run it: a config file, schedules, signals, a second process refused.
// State is read the way an operator reads it, through the servers' request logs and `status`
// (which must answer while the daemon harvests); waits are for those to change, with deadlines.

#include <signal.h>

#include <atomic>
#include <catch2/catch.hpp>
#include <chrono>
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

using test::eventually;

std::size_t list_starts(const TestOaiServer& server) {
    std::size_t n = 0;
    for (const auto& r : server.requests()) {
        n += r.verb == "ListRecords" && !r.args.count("resumptionToken");
    }
    return n;
}

struct Endpoint {
    std::string name;
    std::string url;
    std::string schedule;
};

struct DaemonFixture {
    test::TempDir dir;
    std::string db = dir.file("mirror.db");
    std::string config = dir.file("oaiharvest.toml");

    void write_config(const std::vector<Endpoint>& endpoints, const std::string& extra = "",
                      int retries = 2) {
        std::ofstream out(config);
        out << "database = \"mirror.db\"\n"
            << "[http]\nretries = " << retries
            << "\nrequest_interval = \"10ms\"\ntimeout = \"20s\"\n"
            << "[daemon]\nparallel = 2\n"
            << extra;
        for (const auto& e : endpoints) {
            out << "[[endpoint]]\nname = \"" << e.name << "\"\nurl = \"" << e.url
                << "\"\nschedule = \"" << e.schedule << "\"\n";
        }
    }
    std::unique_ptr<BackgroundProcess> start() const {
        return std::make_unique<BackgroundProcess>(
            std::vector<std::string>{"-c", config, "daemon"});
    }
    ProcessResult run(std::vector<std::string> args) const {
        args.insert(args.begin(), {"-c", config});
        return test::run_oaiharvest(args);
    }
    // status --json for one endpoint's single scope (or its no-scope entry).
    nlohmann::json status_of(const std::string& name) const {
        auto result = run({"status", "--json", name});
        if (result.exit_code != 0) {
            return nullptr;
        }
        auto all = nlohmann::json::parse(result.out);
        return all.empty() ? nlohmann::json(nullptr) : all[0];
    }
};

sample::Repository sample_repository() {
    return sample::make_sample_repository(sample::GenerateOptions{});
}

}  // namespace

TEST_CASE("The daemon harvests on schedule, a failing endpoint never holds up a healthy one",
          "[integration][daemon]") {
    DaemonFixture f;
    TestOaiServer healthy(sample_repository(), {.page_size = 100});
    TestOaiServer failing(sample_repository());
    failing.set_script([](const testing::RequestInfo&) { return testing::http_status(500); });
    f.write_config({{"healthy", healthy.base_url(), "@every 1s"},
                    {"failing", failing.base_url(), "@every 1s"}});

    auto daemon = f.start();
    // A failing run backs off twice (1-2 s, then 2-4 s) for Identify and again for
    // ListMetadataFormats: six requests over at least 6 s. Meanwhile the healthy endpoint, due
    // every second, must go on being harvested.
    REQUIRE(eventually([&] { return list_starts(healthy) >= 3; }));
    CHECK(failing.request_count() <= 6);
    CHECK(failing.request_count() >= 1);

    SECTION("a second harvesting process is refused with exit 3, naming the holder") {
        auto second = f.run({"daemon"});
        CHECK(second.exit_code == 3);
        CHECK_THAT(second.err, Catch::Contains("pid " + std::to_string(daemon->pid())));
        auto harvest = f.run({"harvest"});
        CHECK(harvest.exit_code == 3);
    }

    // status answers while the daemon harvests, and shows the failure and the plan.
    auto ok = f.status_of("healthy");
    REQUIRE(ok.is_object());
    CHECK(ok["records"] == 300);
    CHECK(ok["next_due"].is_string());
    REQUIRE(eventually([&] {
        auto bad = f.status_of("failing");
        return bad.is_object() && bad["endpoint_error"].is_string();
    }));
    CHECK_THAT(f.status_of("failing")["endpoint_error"].get<std::string>(), Catch::Contains("500"));

    daemon->signal(SIGTERM);
    auto result = daemon->wait();
    INFO(result.err);
    CHECK(result.exit_code == 0);
    CHECK_THAT(result.err, Catch::Contains("healthy mets: 292 new"));
    CHECK_THAT(result.err, Catch::Contains("daemon stopped"));
}

TEST_CASE("SIGHUP adds an endpoint, a broken config is refused, SIGTERM mid-list resumes",
          "[integration][daemon]") {
    DaemonFixture f;
    TestOaiServer first(sample_repository());
    TestOaiServer added(sample_repository(), {.page_size = 50});  // 6 pages
    // The third page of the added endpoint's list is held, so that SIGTERM arrives mid-list.
    std::atomic<int> token_requests{0};
    added.set_script([&](const testing::RequestInfo& r) -> std::optional<testing::Fault> {
        if (r.verb == "ListRecords" && r.args.count("resumptionToken") && ++token_requests == 2) {
            return testing::Hold{"third"};
        }
        return std::nullopt;
    });
    // The daemon logs to a file (flushed line by line), so the test can read it as it runs.
    const std::string log_section = "[log]\nfile = \"daemon.log\"\n";
    auto log_holds = [&](const std::string& text) {
        std::ifstream in(f.dir.file("daemon.log"));
        std::string log((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        return log.find(text) != std::string::npos;
    };
    f.write_config({{"first", first.base_url(), "@every 1h"}}, log_section);

    auto daemon = f.start();
    REQUIRE(eventually([&] { return log_holds("first mets: 292 new"); }));

    // A broken config is logged, naming the key, and the running one kept.
    f.write_config({{"first", first.base_url(), "@every 1h"}}, log_section + "bogus_key = 1\n");
    daemon->signal(SIGHUP);
    REQUIRE(eventually([&] { return log_holds("not reloaded"); }));
    CHECK(log_holds("bogus_key"));

    f.write_config(
        {{"first", first.base_url(), "@every 1h"}, {"added", added.base_url(), "@every 1h"}},
        log_section);
    daemon->signal(SIGHUP);
    REQUIRE(eventually([&] { return log_holds("1 added"); }));
    // SIGTERM while the third page is held: its download is aborted and nothing more is
    // asked, then the daemon stops.
    REQUIRE(added.wait_for_hold("third", 10s));
    daemon->signal(SIGTERM);
    auto stopped = daemon->wait();
    added.release("third");
    CHECK(stopped.exit_code == 0);
    CHECK(log_holds("daemon stopped"));
    CHECK(list_starts(first) == 1);  // @every 1h: not again

    auto interrupted = f.status_of("added");
    REQUIRE(interrupted.is_object());
    REQUIRE(interrupted["pending_token"].is_string());
    CHECK(interrupted["records"] == 100);  // two pages of 50 committed; the third aborted
    CHECK(interrupted["last_run"]["outcome"] == "interrupted");
    const std::string token = interrupted["pending_token"];

    // The restart resumes the list from its saved token: the added endpoint's last run was
    // interrupted, and its schedule's time has not come, but a pending list is overdue work.
    std::size_t before = added.request_count();
    auto restarted = f.start();
    REQUIRE(eventually([&] {
        auto s = f.status_of("added");
        return s.is_object() && s["pending_token"].is_null() && s["records"] == 300;
    }));
    restarted->signal(SIGTERM);
    CHECK(restarted->wait().exit_code == 0);

    auto requests = added.requests();
    std::vector<testing::RequestInfo> after(requests.begin() + static_cast<long>(before),
                                            requests.end());
    auto resumed = std::find_if(after.begin(), after.end(),
                                [](const auto& r) { return r.verb == "ListRecords"; });
    REQUIRE(resumed != after.end());
    REQUIRE(resumed->args.count("resumptionToken"));
    CHECK(resumed->args.find("resumptionToken")->second == token);
    CHECK(list_starts(added) == 1);
}

TEST_CASE("A reconcile schedule added by SIGHUP while a harvest runs is planned when it ends",
          "[integration][daemon]") {
    DaemonFixture f;
    TestOaiServer server(sample_repository());
    // The harvest's list is held, so that the reload arrives while its child runs.
    server.set_script([](const testing::RequestInfo& r) -> std::optional<testing::Fault> {
        if (r.verb == "ListRecords" && !r.args.count("resumptionToken")) {
            return testing::Hold{"list"};
        }
        return std::nullopt;
    });
    auto write_config = [&](bool reconcile) {
        std::ofstream out(f.config);
        out << "database = \"mirror.db\"\n[http]\nrequest_interval = \"10ms\"\n"
            << "[log]\nfile = \"daemon.log\"\n[[endpoint]]\nname = \"sample\"\nurl = \""
            << server.base_url() << "\"\nschedule = \"@every 1h\"\n"
            << (reconcile ? "reconcile = \"@every 1h\"\n" : "");
    };
    auto log_holds = [&](const std::string& text) {
        std::ifstream in(f.dir.file("daemon.log"));
        std::string log((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        return log.find(text) != std::string::npos;
    };
    write_config(false);
    auto daemon = f.start();
    REQUIRE(server.wait_for_hold("list", 10s));
    write_config(true);
    daemon->signal(SIGHUP);
    REQUIRE(eventually([&] { return log_holds("1 changed"); }));
    server.release("list");
    // Never reconciled: due as soon as the harvest has ended.
    REQUIRE(eventually([&] { return log_holds("sample mets: reconciled"); }));
    daemon->signal(SIGTERM);
    CHECK(daemon->wait().exit_code == 0);
}

TEST_CASE("daemon --once harvests what is due, in parallel, and exits with the outcome",
          "[integration][daemon]") {
    DaemonFixture f;
    TestOaiServer first(sample_repository(), {.page_size = 100});
    TestOaiServer second(sample_repository(), {.page_size = 100});
    TestOaiServer failing(sample_repository());
    failing.set_script([](const testing::RequestInfo&) { return testing::http_status(500); });
    f.write_config({{"first", first.base_url(), "@every 1d"},
                    {"second", second.base_url(), "@every 1d"},
                    {"failing", failing.base_url(), "@every 1d"}},
                   "", 0);

    // Never harvested: all three are due. One fails, so the exit says some work failed.
    auto result = f.run({"daemon", "--once"});
    INFO(result.err);
    CHECK(result.exit_code == 1);
    CHECK_THAT(result.err, Catch::Contains("3 of 3 scheduled endpoints due"));
    CHECK_THAT(result.err, Catch::Contains("first mets: 292 new"));
    CHECK_THAT(result.err, Catch::Contains("second mets: 292 new"));
    CHECK_THAT(result.err, Catch::Contains("500"));
    for (const char* name : {"first", "second"}) {
        auto scope = f.status_of(name);
        REQUIRE(scope.is_object());
        CHECK(scope["records"] == 300);
        CHECK(scope["next_due"].is_null());  // no daemon plans it any more
    }

    // Without the failing endpoint, nothing is due again for a day: nothing is requested, and
    // all went well.
    f.write_config(
        {{"first", first.base_url(), "@every 1d"}, {"second", second.base_url(), "@every 1d"}}, "",
        0);
    auto requests_before = first.request_count() + second.request_count();
    auto again = f.run({"daemon", "--once"});
    INFO(again.err);
    CHECK(again.exit_code == 0);
    CHECK_THAT(again.err, Catch::Contains("0 of 2 scheduled endpoints due"));
    CHECK(first.request_count() + second.request_count() == requests_before);
}
