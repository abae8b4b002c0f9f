// The real binary on a PostgreSQL mirror when things go wrong (issue 18): killed with SIGKILL
// mid-harvest and resumed, a second harvester kept out by the database's lock, a server that
// cannot be reached, a database that is not a mirror, and what does not work there yet; serve,
// which does.
// Kill points are server-side holds, as in test_killloop.cpp: no sleeps.

#include <signal.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <set>

#include "eventually.hpp"
#include "harness.hpp"
#include "postgres_fixture.hpp"
#include "serve_fixture.hpp"
#include "store/lease.hpp"
#include "store/lock.hpp"

using namespace oaiharvest;
using namespace std::chrono_literals;
using test::Harness;

namespace {

constexpr std::size_t k_page_size = 10;
constexpr std::size_t k_pages = 12;
constexpr auto k_generous = 60s;  // a hold is reached in milliseconds; this only bounds a hang

// The list page a ListRecords request asks for: 1 without a token, else from the sample
// provider's token, "metadataPrefix%3Dmets%26offset%3D<next eprint id>".
std::size_t page_of(const testing::RequestInfo& request) {
    auto token = request.args.find("resumptionToken");
    if (token == request.args.end()) {
        return 1;
    }
    const std::string marker = "offset%3D";
    auto at = token->second.find(marker);
    if (at == std::string::npos) {
        return 0;
    }
    return (std::stoul(token->second.substr(at + marker.size())) - 1) / k_page_size + 1;
}

testing::Script hold_at_page(std::size_t page, std::size_t after_bytes) {
    return [page, after_bytes](const testing::RequestInfo& r) -> std::optional<testing::Fault> {
        if (r.verb != "ListRecords" || page_of(r) != page) {
            return std::nullopt;
        }
        return testing::Hold{"kill", after_bytes};
    };
}

std::vector<testing::RequestInfo> list_requests_since(const testing::TestOaiServer& server,
                                                      std::size_t first) {
    std::vector<testing::RequestInfo> out;
    for (const auto& r : server.requests()) {
        if (r.index >= first && r.verb == "ListRecords") {
            out.push_back(r);
        }
    }
    return out;
}

// What no message may hold: the password, and the text of the URL around it.
void check_no_password(const test::ProcessResult& result) {
    CHECK(result.err.find(test::k_password) == std::string::npos);
    CHECK(result.out.find(test::k_password) == std::string::npos);
}

// The database as messages through print_error name it: user:password@ as ***@.
std::string shown(const std::string& url) {
    return "postgresql://***@" + url.substr(url.find('@') + 1);
}

// The advisory locks (the harvest lock, leases, turns at hosts) held in that database.
int advisory_locks(const std::string& url) {
    return std::stoi(test::sql(url,
                               "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND "
                               "database = (SELECT oid FROM pg_database WHERE datname = "
                               "current_database())")
                         .at(0));
}

Harness small_harness(std::size_t records = 30) {
    sample::GenerateOptions options;
    options.records = records;
    return Harness(options);
}

}  // namespace

TEST_CASE(
    "A harvest into PostgreSQL killed with SIGKILL at each page resumes to every record once, "
    "the killed runs shown as died",
    "[integration][postgres][crash]") {
    sample::GenerateOptions generate;
    generate.records = k_page_size * k_pages;
    sample::ProviderOptions provider;
    provider.page_size = k_page_size;
    Harness h(generate, provider);
    h.use_config("[http]\nrequest_interval = \"0s\"\n");
    h.db = test::new_mirror_url();

    std::size_t next_page = 1;  // the first page not committed yet
    for (std::size_t page = 1; page <= k_pages; page += 1) {
        const std::size_t after_bytes = page % 3 == 1 ? 3'000 : 0;
        INFO("killed at page " << page << ", after " << after_bytes << " body bytes");
        const std::size_t first_request = h.server.request_count();
        h.server.set_script(hold_at_page(page, after_bytes));
        auto child = h.start_harvest();
        REQUIRE(h.server.wait_for_hold("kill", k_generous));
        // Held, the harvester is alive: its run is running, and shown so.
        auto running = h.status();
        if (!running.empty()) {
            CHECK(running[0]["last_run"]["outcome"] == "running");
        }
        child->signal(SIGKILL);
        auto ended = child->wait();
        h.server.release("kill");
        INFO(ended.err);
        REQUIRE(ended.signal == SIGKILL);
        // The server drops a killed session's locks once it has seen the session end, which
        // can be after the process is reaped: until then its run still looks alive.
        REQUIRE(test::eventually([&] { return advisory_locks(h.db) == 0; }));

        // It went on from the saved token: it asked for no page already committed.
        auto asked = list_requests_since(h.server, first_request);
        REQUIRE_FALSE(asked.empty());
        CHECK(page_of(asked.front()) == next_page);
        CHECK(page_of(asked.back()) == page);

        auto status = h.status();
        // Killed while page p is asked for, the mirror holds p-1 pages, or p-2 when that commit
        // was under way on the writer's thread.
        const std::size_t committed =
            status.empty() ? 0 : status[0]["records"].get<std::size_t>() / k_page_size;
        CHECK(committed + 1 <= page);
        CHECK(committed + 2 >= page);
        CHECK(committed + 1 >= next_page);  // what was committed stays committed
        next_page = committed + 1;
        if (!status.empty()) {
            REQUIRE(status.size() == 1);
            // Nobody holds the lock now: the killed run is shown as died.
            CHECK(status[0]["last_run"]["outcome"] == "died");
            CHECK(status[0]["last_run"]["finished_at"].is_null());
        }
        if (next_page > 1) {
            REQUIRE(status[0]["pending_token"].is_string());
            CHECK(status[0]["pending_token"].get<std::string>().ends_with(
                "offset%3D" + std::to_string((next_page - 1) * k_page_size + 1)));
            CHECK(status[0]["records"] == (next_page - 1) * k_page_size);
        }
    }

    h.server.set_script(nullptr);
    const std::size_t first_request = h.server.request_count();
    auto last = h.harvest();
    INFO(last.err);
    REQUIRE(last.exit_code == 0);
    CHECK(last.err.find("resumed") != std::string::npos);
    auto asked = list_requests_since(h.server, first_request);
    REQUIRE(asked.size() == k_pages - next_page + 1);
    CHECK(page_of(asked.front()) == next_page);

    auto status = h.status();
    REQUIRE(status.size() == 1);
    CHECK(status[0]["last_run"]["outcome"] == "ok");
    CHECK(status[0]["pending_token"].is_null());
    CHECK(status[0]["next_from"].is_string());
    CHECK(status[0]["records"] == generate.records);
    // Every killed run was recorded died, by the run after it or by nobody; none still runs.
    CHECK(test::sql(h.db, "SELECT count(*) FROM harvest_runs WHERE outcome = 'running'") ==
          std::vector<std::string>{"0"});

    const std::string clean = h.dir.file("uninterrupted.db");
    auto uninterrupted =
        h.run_on(clean, {"harvest", "--url", h.server.base_url(), "--name", "sample"});
    REQUIRE(uninterrupted.exit_code == 0);
    auto expected = h.exported_from(clean);
    auto mirrored = h.exported();
    REQUIRE(expected.size() == generate.records);
    std::set<std::string> identifiers;
    for (const auto& record : mirrored) {
        identifiers.insert(record["identifier"].get<std::string>());
    }
    CHECK(identifiers.size() == mirrored.size());  // nothing stored twice
    CHECK(mirrored == expected);
}

TEST_CASE(
    "A second harvest into a PostgreSQL mirror whose lock is held exits 3 naming the holder's pid "
    "and the database without its password",
    "[integration][postgres]") {
    Harness h = small_harness();
    h.db = test::new_mirror_url();
    REQUIRE(h.harvest().exit_code == 0);
    auto lock = store::HarvestLock::acquire(h.db);
    REQUIRE(lock);
    for (const auto& command : {std::string("harvest"), std::string("reconcile")}) {
        INFO(command);
        const std::size_t before = h.server.request_count();
        auto result =
            h.run({command, "--url", h.server.base_url(), "--name", "sample", "--prefix", "mets"});
        INFO(result.err);
        CHECK(result.exit_code == 3);
        CHECK(result.err.find("pid " + std::to_string(::getpid())) != std::string::npos);
        CHECK(result.err.find(store::database_name(h.db)) != std::string::npos);
        CHECK(result.err.find("oaiharvest:***@") != std::string::npos);
        check_no_password(result);
        CHECK(test::one_line(result.err));
        CHECK(h.server.request_count() == before);
    }
}

TEST_CASE(
    "status on PostgreSQL shows a run left running as running while its endpoint's lease is "
    "held, and as died once nobody holds it",
    "[integration][postgres]") {
    Harness h = small_harness();
    h.db = test::new_mirror_url();
    REQUIRE(h.harvest().exit_code == 0);
    // A run a killed harvester left: running in the database, no process behind it.
    test::sql(h.db,
              "UPDATE harvest_runs SET outcome = 'running', finished_at = NULL "
              "WHERE id = (SELECT max(id) FROM harvest_runs)");
    {
        // Not the database's lock: another daemon may hold that while this run's died.
        auto lock = store::HarvestLock::acquire(h.db, store::LockMode::shared);
        REQUIRE(lock);
        CHECK(h.status()[0]["last_run"]["outcome"] == "died");
    }
    {
        const auto name = h.status()[0]["endpoint"].get<std::string>();
        auto harvester = store::Store::open(h.db);
        auto lease = store::EndpointLease::take(*harvester, harvester->find_endpoint(name)->id);
        REQUIRE(lease);
        CHECK(h.status()[0]["last_run"]["outcome"] == "running");
        auto text = h.run({"status"});
        CHECK(text.out.find("(running) running") != std::string::npos);
    }
    auto status = h.status();
    CHECK(status[0]["last_run"]["outcome"] == "died");
    CHECK(status[0]["last_run"]["error"] == "the process ended before the run finished");
    // status only reads: the row is left for the next harvest to mark.
    CHECK(test::sql(h.db, "SELECT outcome FROM harvest_runs ORDER BY id DESC LIMIT 1") ==
          std::vector<std::string>{"running"});
    REQUIRE(h.harvest().exit_code == 0);
    CHECK(test::sql(h.db, "SELECT outcome FROM harvest_runs ORDER BY id") ==
          std::vector<std::string>{"died", "ok"});
}

namespace {

// A database URL that cannot be opened, what the message must say why, and how it names the
// database (print_error shows a URL's user:password@ as ***@).
struct BadDatabase {
    std::string url;
    std::string why;
    std::string shown;
};

std::vector<BadDatabase> bad_databases(const Harness& h) {
    const std::string socket_dir = test::postgres().socket_dir().string();
    const std::string no_server = h.dir.file("no-server");
    return {
        {"postgresql://oaiharvest:secret@/mirror?host=" + no_server, "No such file or directory",
         "postgresql://***@/mirror?host=" + no_server},
        {"postgresql://oaiharvest:secret@127.0.0.1:1/mirror?connect_timeout=5",
         "Connection refused", "postgresql://***@127.0.0.1:1/mirror"},
        {"postgresql://oaiharvest:secret@/no_such_database?host=" + socket_dir,
         "database \"no_such_database\" does not exist",
         "postgresql://***@/no_such_database?host=" + socket_dir},
        {"postgresql://nobody_here:secret@/postgres?host=" + socket_dir,
         "role \"nobody_here\" does not exist", "postgresql://***@/postgres?host=" + socket_dir},
        {"postgresql:///no_such_database?user=oaiharvest&password=secret&host=" + socket_dir,
         "database \"no_such_database\" does not exist",
         "postgresql:///no_such_database?user=oaiharvest&password=***&host=" + socket_dir},
    };
}

std::vector<std::vector<std::string>> commands_opening(const Harness& h) {
    return {{"harvest", "--url", h.server.base_url(), "--name", "sample"},
            {"status"},
            {"export"},
            {"show", "oai:sample.oaiharvest.local:1"},
            {"search", "diplomacy"}};
}

}  // namespace

TEST_CASE(
    "A PostgreSQL server that cannot be reached, or a database or user it does not have, is "
    "exit 2 naming the server and why, without the password",
    "[integration][postgres]") {
    Harness h = small_harness();
    for (const auto& bad : bad_databases(h)) {
        for (const auto& args : commands_opening(h)) {
            INFO(bad.shown << "\n" << args.front());
            auto result = h.run_on(bad.url, args);
            INFO(result.err);
            CHECK(result.signal == 0);
            CHECK(result.exit_code == 2);
            CHECK(
                result.err.starts_with("oaiharvest: cannot connect to PostgreSQL at " + bad.shown));
            CHECK(result.err.find(bad.why) != std::string::npos);
            CHECK(result.out.empty());
            check_no_password(result);
        }
    }
    CHECK(h.server.request_count() == 0);
}

// libpq ends a connection failure with a hint on a line of its own ("\n\tIs the server
// running ...?"): pq makes it one line.
TEST_CASE("A PostgreSQL server that cannot be reached is said in one line",
          "[integration][postgres]") {
    Harness h = small_harness();
    for (const auto& bad : bad_databases(h)) {
        INFO(bad.shown);
        auto result = h.run_on(bad.url, {"status"});
        INFO(result.err);
        REQUIRE(result.exit_code == 2);
        CHECK(test::one_line(result.err));
    }
}

TEST_CASE(
    "A PostgreSQL database holding another application's tables is refused by every command "
    "and left as it was",
    "[integration][postgres]") {
    Harness h = small_harness();
    const std::string other = test::new_mirror_url();
    test::sql(other, "CREATE TABLE invoices (id integer PRIMARY KEY, total numeric)");
    test::sql(other, "INSERT INTO invoices VALUES (1, 9.50)");
    for (std::vector<std::string> args :
         {std::vector<std::string>{"harvest", "--url", h.server.base_url(), "--name", "sample"},
          std::vector<std::string>{"status"}, std::vector<std::string>{"export"},
          std::vector<std::string>{"show", "oai:sample.oaiharvest.local:1"}}) {
        INFO(args.front());
        auto result = h.run_on(other, args);
        INFO(result.err);
        CHECK(result.exit_code == 2);
        CHECK(result.err.find(shown(other) +
                              " is not an oaiharvest database: it holds other tables (invoices)") !=
              std::string::npos);
        check_no_password(result);
        CHECK(test::one_line(result.err));
    }
    CHECK(h.server.request_count() == 0);
    CHECK(test::tables_of(other) == std::vector<std::string>{"invoices"});
    CHECK(test::sql(other, "SELECT id, total FROM invoices") == std::vector<std::string>{"1|9.50"});
}

TEST_CASE(
    "Reading commands on an empty PostgreSQL database say it holds no mirror yet and create "
    "nothing",
    "[integration][postgres]") {
    Harness h = small_harness();
    const std::string empty = test::new_mirror_url();
    for (std::vector<std::string> args :
         {std::vector<std::string>{"status"}, std::vector<std::string>{"status", "--json"},
          std::vector<std::string>{"export", "--format", "csv"},
          std::vector<std::string>{"show", "oai:sample.oaiharvest.local:1"},
          std::vector<std::string>{"search", "diplomacy"}}) {
        INFO(args.front());
        auto result = h.run_on(empty, args);
        INFO(result.err);
        CHECK(result.exit_code == 2);
        CHECK(result.err.find("holds no mirror yet") != std::string::npos);
        CHECK(result.err.find(shown(empty) + " is not an oaiharvest database") !=
              std::string::npos);
        CHECK(result.out.empty());
        check_no_password(result);
        CHECK(test::one_line(result.err));
    }
    CHECK(test::tables_of(empty).empty());
}

TEST_CASE(
    "search --fts5 on a PostgreSQL mirror says it does not work there, exit 2, the records "
    "unchanged",
    "[integration][postgres]") {
    Harness h = small_harness();
    h.db = test::new_mirror_url();
    h.use_config("[http]\nrequest_interval = \"0s\"\n");
    REQUIRE(h.harvest().exit_code == 0);
    const auto before = h.exported();
    const std::size_t requests = h.server.request_count();
    auto result = h.run({"search", "--fts5", "diplomacy"});
    INFO(result.err);
    CHECK(result.signal == 0);
    CHECK(result.exit_code == 2);
    CHECK(result.err.find("PostgreSQL") != std::string::npos);
    check_no_password(result);
    CHECK(test::one_line(result.err));
    CHECK(h.exported() == before);
    CHECK(h.status()[0]["last_run"]["outcome"] == "ok");
    CHECK(h.server.request_count() == requests);
}

TEST_CASE(
    "serve, and a daemon serving beside its harvests, serve a PostgreSQL mirror, naming it without "
    "its password",
    "[integration][postgres][serve]") {
    Harness h = small_harness();
    h.db = test::new_mirror_url();
    h.use_config("[http]\nrequest_interval = \"0s\"\n[[endpoint]]\nname = \"sample\"\nurl = \"" +
                 h.server.base_url() +
                 "\"\nschedule = \"0 * * * *\"\n[serve]\nin_daemon = true\nlisten = "
                 "\"127.0.0.1:0\"\n");
    REQUIRE(h.harvest().exit_code == 0);
    // The provider lists what changed before the second of its response.
    REQUIRE(test::wait_past_second(util::now_utc()));
    const auto before = h.exported();
    {
        test::ServeProcess server(h.db, h.config);
        const auto identify = test::http_get(server.port(), "/oai?verb=Identify");
        CHECK(identify.status == 200);
        CHECK(identify.body.find("<repositoryName>") != std::string::npos);
        const auto listed =
            test::http_get(server.port(), "/oai?verb=ListIdentifiers&metadataPrefix=mets");
        CHECK(listed.status == 200);
        CHECK(listed.body.find("oai:sample.oaiharvest.local:1<") != std::string::npos);
        CHECK(test::http_get(server.port(), "/").status == 200);
        auto stopped = server.stop();
        INFO(stopped.err);
        CHECK(stopped.exit_code == 0);
        CHECK(stopped.err.find("serving postgresql://***@") != std::string::npos);
        check_no_password(stopped);
    }
    auto daemon = h.run({"daemon", "--once"});
    INFO(daemon.err);
    CHECK(daemon.exit_code == 0);
    CHECK(daemon.err.find("serving postgresql://***@") != std::string::npos);
    check_no_password(daemon);
    CHECK(h.exported() == before);
}

TEST_CASE(
    "reconcile and the daemon work on a PostgreSQL mirror: a record no longer listed is found "
    "gone, a scheduled endpoint is harvested",
    "[integration][postgres]") {
    Harness h = small_harness();
    h.db = test::new_mirror_url();
    h.use_config("[http]\nrequest_interval = \"0s\"\n[[endpoint]]\nname = \"sample\"\nurl = \"" +
                 h.server.base_url() + "\"\nschedule = \"0 * * * *\"\n");
    // The daemon's first run harvests the endpoint, never harvested yet.
    auto daemon = h.run({"daemon", "--once"});
    INFO(daemon.err);
    REQUIRE(daemon.exit_code == 0);
    REQUIRE(h.exported().size() == 30);
    CHECK(h.status()[0]["last_run"]["outcome"] == "ok");

    // Record 3 leaves the server's lists without a deleted header: only a reconcile sees it.
    auto repo = sample::make_sample_repository(h.generate);
    std::erase_if(repo.records,
                  [](const auto& r) { return r.identifier == "oai:sample.oaiharvest.local:3"; });
    h.server.set_repository(std::move(repo));
    auto reconcile = h.run({"reconcile", "sample"});
    INFO(reconcile.err);
    REQUIRE(reconcile.exit_code == 0);
    CHECK(reconcile.err.find("1 gone") != std::string::npos);
    const auto status = h.status();
    CHECK(status[0]["gone"] == 1);
    CHECK(status[0]["last_reconcile"]["outcome"] == "ok");
    std::size_t gone = 0;
    for (const auto& r : h.exported()) {
        if (r["identifier"] == "oai:sample.oaiharvest.local:3") {
            CHECK(r["deleted"] == true);
            ++gone;
        }
    }
    CHECK(gone == 1);
}
