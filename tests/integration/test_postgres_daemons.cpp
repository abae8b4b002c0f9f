// Several daemons on one PostgreSQL mirror (issue 18, deliverable 5): three `oaiharvest daemon`
// processes share 40 endpoints served on this machine under two host names; one daemon is
// killed with SIGKILL while its harvest child holds an endpoint's lease mid-list. At the end
// every record is in the mirror exactly once, every scope is complete, the killed list went on
// from its saved token, and no host was ever asked twice at once or sooner than its interval.
// The kill point is a server-side hold, found in the database by the endpoint's lease: no
// sleeps decide anything.

#include <signal.h>
#include <sys/types.h>

#include <algorithm>
#include <atomic>
#include <catch2/catch.hpp>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <map>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "eventually.hpp"
#include "harness.hpp"
#include "postgres_fixture.hpp"

using namespace oaiharvest;
using namespace std::chrono_literals;
using test::BackgroundProcess;

// The test's helpers: t:: in the test case.
namespace shared_mirror_test {

using SteadyClock = std::chrono::steady_clock;

constexpr std::size_t k_endpoints = 40;
constexpr std::size_t k_records = 25;  // each endpoint's repository
constexpr std::size_t k_page_size = 10;
constexpr std::size_t k_daemons = 3;
constexpr auto k_request_interval = 20ms;
// The test's clock and the one the daemons keep the interval by may differ by this much.
constexpr auto k_clock_tolerance = 2ms;
constexpr auto k_deadline = 60s;  // bounds a hang; the test takes seconds

// The two-int key of an endpoint's lease: pg_try_advisory_lock(k_lease_class, endpoint id).
// pg_locks shows it as classid = k_lease_class, objid = the endpoint's id, objsubid = 2.
constexpr std::int64_t k_lease_class = 1868655717;  // 0x6f616c65, "oale"

// The held endpoint's page 3 of 3: the sample provider's token for it ends "offset%3D21". Two
// pages before it, so that at the kill at least page 1 is committed (page 2 may still be on
// the writer's thread) and there is a token to resume from.
constexpr const char* k_third_page = "offset%3D21";

struct Endpoint {
    std::string name;
    std::string host;  // "127.0.0.1" or "localhost": the politeness host
    std::unique_ptr<testing::TestOaiServer> server;
    std::string url() const {
        return "http://" + host + ":" + std::to_string(server->port()) + sample::k_oai_path;
    }
};

// One connection to the mirror, kept for the test's polling.
class Mirror {
public:
    explicit Mirror(const std::string& url) : m_conn(store::pq::Connection::open(url)) {}
    // The rows of the statement, each row's columns joined by '|'.
    std::vector<std::string> rows(const std::string& statement) {
        auto result = m_conn.exec(statement);
        std::vector<std::string> out;
        for (int row = 0; row < result.rows(); ++row) {
            std::string line;
            for (int column = 0; column < result.columns(); ++column) {
                line += (column ? "|" : "") + std::string(result.text(row, column));
            }
            out.push_back(line);
        }
        return out;
    }
    // The one value of a statement that returns one row of one column; nullopt without a row.
    std::optional<std::string> value(const std::string& statement) {
        auto all = rows(statement);
        if (all.empty()) {
            return std::nullopt;
        }
        REQUIRE(all.size() == 1);
        return all.front();
    }

private:
    store::pq::Connection m_conn;
};

// The process's state letter from /proc/PID/stat, and its parent; nullopt when it is gone.
struct ProcStat {
    char state = '?';
    pid_t parent = 0;
};
std::optional<ProcStat> proc_stat(pid_t pid) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    // "pid (comm) state ppid ...": comm may hold spaces and parentheses, so read after the last.
    auto close = text.rfind(')');
    if (close == std::string::npos) {
        return std::nullopt;
    }
    std::istringstream fields(text.substr(close + 1));
    ProcStat stat;
    if (!(fields >> stat.state >> stat.parent)) {
        return std::nullopt;
    }
    return stat;
}

// True once the process has ended (a zombie not yet waited for included).
bool has_ended(pid_t pid) {
    auto stat = proc_stat(pid);
    return !stat || stat->state == 'Z' || stat->state == 'X';
}

// A request as one politeness host saw it. A client holds the host's turn from before its
// request until the interval after the response; when the kill fell in that time, the client may
// have been one the kill ended, and its turn ended there: its span is cut at the kill, and the
// next request need not wait out the interval after it.
struct HostSpan {
    std::string endpoint;
    std::size_t index = 0;
    SteadyClock::time_point start;
    SteadyClock::time_point end;
    bool killed_turn = false;
};

std::string describe(const HostSpan& span, SteadyClock::time_point origin) {
    auto ms = [&](SteadyClock::time_point t) {
        return std::to_string(
                   std::chrono::duration_cast<std::chrono::microseconds>(t - origin).count()) +
               "us";
    };
    return span.endpoint + " request " + std::to_string(span.index) + " [" + ms(span.start) + ", " +
           ms(span.end) + (span.killed_turn ? "], the kill in its turn" : "]");
}

// What the host's spans break, in words: two requests at once, or a request sooner than the
// interval after the previous one ended (not asked after a turn the kill may have ended).
std::vector<std::string> politeness_breaches(std::vector<HostSpan> spans,
                                             SteadyClock::time_point origin) {
    std::sort(spans.begin(), spans.end(),
              [](const HostSpan& a, const HostSpan& b) { return a.start < b.start; });
    std::vector<std::string> breaches;
    for (std::size_t i = 1; i < spans.size(); ++i) {
        const HostSpan& before = spans[i - 1];
        const HostSpan& after = spans[i];
        if (after.start < before.end) {
            breaches.push_back("at once: " + describe(before, origin) + " and " +
                               describe(after, origin));
        } else if (!before.killed_turn &&
                   after.start < before.end + k_request_interval - k_clock_tolerance) {
            breaches.push_back("too soon: " + describe(before, origin) + " then " +
                               describe(after, origin));
        }
    }
    return breaches;
}

std::string join(const std::vector<std::string>& lines) {
    std::string out;
    for (const auto& line : lines) {
        out += line + "\n";
    }
    return out;
}

std::string config_text(const std::string& database, const std::vector<Endpoint>& endpoints) {
    std::ostringstream out;
    out << "database = \"" << database << "\"\n"
        << "[http]\nrequest_interval = \"20ms\"\nretries = 2\ntimeout = \"20s\"\n"
        << "[daemon]\nparallel = 4\nlease_recheck = \"1s\"\n";
    // Never harvested, so due at once; then not for an hour, long after the test.
    for (const auto& e : endpoints) {
        out << "[[endpoint]]\nname = \"" << e.name << "\"\nurl = \"" << e.url()
            << "\"\nprefixes = [\"mets\"]\nschedule = \"@every 1h\"\n";
    }
    return out.str();
}

}  // namespace shared_mirror_test

// No ": " late in the name: Catch2's console reporter indents a name's wrapped lines to just
// after it, and loops forever when that is past the console's width.
TEST_CASE(
    "Three daemons sharing a PostgreSQL mirror of 40 endpoints, one of them killed mid-list, "
    "store every record once, complete every scope and never ask a host twice at once",
    "[integration][postgres][daemon][crash]") {
    namespace t = shared_mirror_test;
    static_assert(t::k_request_interval == 20ms, "the config's request_interval");

    sample::GenerateOptions generate;
    generate.records = t::k_records;
    generate.prefixes = {"mets"};
    generate.deleted_every = 0;
    generate.file_every = 0;
    const sample::Repository repository = sample::make_sample_repository(generate);

    // One server per endpoint (a TestOaiServer serves one base URL), every one on 127.0.0.1;
    // half are named by "localhost", a politeness host of its own.
    std::vector<t::Endpoint> endpoints;
    for (std::size_t i = 0; i < t::k_endpoints; ++i) {
        char name[8];
        std::snprintf(name, sizeof name, "e%02zu", i);
        endpoints.push_back(
            {name, i % 2 == 0 ? "127.0.0.1" : "localhost",
             std::make_unique<testing::TestOaiServer>(
                 repository, sample::ProviderOptions{.page_size = t::k_page_size})});
    }
    // The first endpoint's third page is held, the first time it is asked for.
    t::Endpoint& held = endpoints.front();
    auto held_index = std::make_shared<std::atomic<std::size_t>>(SIZE_MAX);
    held.server->set_script(
        [held_index](const testing::RequestInfo& r) -> std::optional<testing::Fault> {
            auto token = r.args.find("resumptionToken");
            if (r.verb != "ListRecords" || token == r.args.end() ||
                token->second.find(t::k_third_page) == std::string::npos) {
                return std::nullopt;
            }
            std::size_t none = SIZE_MAX;
            if (!held_index->compare_exchange_strong(none, r.index)) {
                return std::nullopt;
            }
            return testing::Hold{"kill"};
        });

    test::TempDir dir;
    const std::string database = test::new_mirror_url();
    const std::string config = dir.file("oaiharvest.toml");
    std::ofstream(config) << t::config_text(database, endpoints);

    const auto origin = t::SteadyClock::now();
    std::vector<std::unique_ptr<BackgroundProcess>> daemons;
    for (std::size_t i = 0; i < t::k_daemons; ++i) {
        daemons.push_back(
            std::make_unique<BackgroundProcess>(std::vector<std::string>{"-c", config, "daemon"}));
    }
    // Until the hold: all three keep running (none is refused the database, none fails).
    bool reached = test::eventually(
        [&] {
            if (held.server->wait_for_hold("kill", 0ms)) {
                return true;
            }
            return std::any_of(daemons.begin(), daemons.end(),
                               [](const auto& d) { return t::has_ended(d->pid()); });
        },
        t::k_deadline);
    for (auto& d : daemons) {
        if (t::has_ended(d->pid())) {
            auto ended = d->wait();
            INFO("daemon " << d->pid() << " ended early, exit " << ended.exit_code << ":\n"
                           << ended.err);
            FAIL("a daemon ended before the hold");
        }
    }
    REQUIRE(reached);
    REQUIRE(held.server->wait_for_hold("kill", 0ms));

    // Who holds the held endpoint's lease: the session's application_name names the harvest
    // child, and the child's parent is one of the daemons.
    t::Mirror mirror(database);
    const auto endpoint_id =
        mirror.value("SELECT id FROM endpoints WHERE name = '" + held.name + "'");
    REQUIRE(endpoint_id);
    const auto holder = mirror.rows(
        "SELECT l.pid, a.application_name FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid "
        "WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 2 AND l.classid::int8 = " +
        std::to_string(t::k_lease_class) + " AND l.objid::int8 = " + *endpoint_id +
        " AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())");
    INFO("the lease's holder: " << (holder.empty() ? "none" : holder.front()));
    REQUIRE(holder.size() == 1);
    const std::string backend = holder.front().substr(0, holder.front().find('|'));
    const std::string application = holder.front().substr(holder.front().find('|') + 1);
    const std::string prefix = "oaiharvest pid ";
    REQUIRE(application.starts_with(prefix));
    const pid_t child = static_cast<pid_t>(std::stol(application.substr(prefix.size())));
    const auto child_stat = t::proc_stat(child);
    REQUIRE(child_stat);
    auto found = std::find_if(daemons.begin(), daemons.end(),
                              [&](const auto& d) { return d->pid() == child_stat->parent; });
    INFO("the harvest child " << child << ", its parent " << child_stat->parent);
    REQUIRE(found != daemons.end());
    BackgroundProcess* const victim = found->get();

    // The held scope's run, in progress; the killed daemon's child cannot finish it.
    const std::string held_scope =
        "(SELECT id FROM scopes WHERE endpoint_id = " + *endpoint_id + ")";
    const auto killed_run = mirror.value(
        "SELECT id FROM harvest_runs WHERE outcome = 'running' AND scope_id = " + held_scope);
    REQUIRE(killed_run);

    const auto killed_at = t::SteadyClock::now();
    victim->signal(SIGKILL);
    const auto killed = victim->wait();
    INFO("the killed daemon's log:\n" << killed.err);
    REQUIRE(killed.signal == SIGKILL);
    // Its child dies with it (PR_SET_PDEATHSIG), and its session with it: then the lease has
    // lapsed, and what it committed stays as it is.
    REQUIRE(test::eventually(
        [&] {
            return mirror.rows("SELECT 1 FROM pg_stat_activity WHERE pid = " + backend).empty();
        },
        t::k_deadline));
    // (The server can see the session end before the process has become a zombie.)
    CHECK(test::eventually([&] { return t::has_ended(child); }, t::k_deadline));
    const auto saved_token =
        mirror.value("SELECT pending_token FROM scopes WHERE id = " + held_scope);
    REQUIRE(saved_token);
    REQUIRE_FALSE(saved_token->empty());
    held.server->release("kill");

    // The two left finish everything: every endpoint's one scope has completed its list.
    const std::string complete_scopes =
        "SELECT count(*) FROM scopes WHERE pending_token IS NULL AND last_complete_at IS NOT NULL";
    const bool finished = test::eventually(
        [&] { return mirror.value(complete_scopes) == std::to_string(t::k_endpoints); },
        t::k_deadline);
    // What the sessions were doing then, for a test that did not finish.
    const auto sessions =
        finished ? std::vector<std::string>{}
                 : mirror.rows(
                       "SELECT pid, application_name, state, wait_event_type, wait_event, "
                       "left(query, 100) FROM pg_stat_activity WHERE datname = "
                       "current_database() AND pid <> pg_backend_pid() ORDER BY pid");
    const auto locks = finished ? std::vector<std::string>{}
                                : mirror.rows(
                                      "SELECT pid, locktype, classid, objid, objsubid, "
                                      "relation::regclass, mode, granted FROM pg_locks "
                                      "WHERE locktype <> 'virtualxid' ORDER BY pid");
    std::vector<test::ProcessResult> survivors;
    for (auto& d : daemons) {
        if (d.get() != victim) {
            d->signal(SIGTERM);
        }
    }
    for (auto& d : daemons) {
        if (d.get() != victim) {
            survivors.push_back(d->wait());
        }
    }
    std::string survivors_logs;
    for (const auto& s : survivors) {
        survivors_logs += s.err + "\n";
        INFO("a surviving daemon's log:\n" << s.err);
        CHECK(s.exit_code == 0);
    }
    if (!finished) {
        INFO("the surviving daemons' logs:\n" << survivors_logs);
        INFO("sessions:\n" << t::join(sessions) << "locks:\n" << t::join(locks));
        INFO("scopes not complete, and their runs:\n"
             << t::join(mirror.rows(
                    "SELECT e.name, s.pending_token, s.list_pages, r.id, r.started_at, "
                    "r.finished_at, r.outcome, r.pages, r.resumed, r.error FROM scopes s "
                    "JOIN endpoints e ON e.id = s.endpoint_id LEFT JOIN harvest_runs r ON "
                    "r.scope_id = s.id WHERE s.pending_token IS NOT NULL OR "
                    "s.last_complete_at IS NULL ORDER BY e.name, r.id")));
        FAIL("not every scope completed");
    }

    // Every record of every endpoint exactly once: one row per identifier, 25 per endpoint.
    std::vector<std::string> expected_counts;
    for (const auto& e : endpoints) {
        expected_counts.push_back(e.name + "|" + std::to_string(t::k_records) + "|" +
                                  std::to_string(t::k_records) + "|1");
    }
    CHECK(mirror.rows("SELECT e.name, count(r.id), count(DISTINCT r.identifier), "
                      "count(DISTINCT r.metadata_prefix) FROM endpoints e "
                      "LEFT JOIN records r ON r.endpoint_id = e.id "
                      "GROUP BY e.name ORDER BY e.name") == expected_counts);
    CHECK(mirror.value("SELECT count(*) FROM records WHERE deleted OR metadata IS NULL") == "0");
    // Every scope complete, one per endpoint.
    CHECK(mirror.value("SELECT count(*) FROM scopes") == std::to_string(t::k_endpoints));
    CHECK(mirror.value(complete_scopes) == std::to_string(t::k_endpoints));

    // The held list went on from the token saved before the kill: the first ListRecords after
    // the held one carries it, so no page committed before the kill was asked for again.
    std::optional<testing::RequestInfo> resumed;
    for (const auto& r : held.server->requests()) {
        if (r.index > held_index->load() && r.verb == "ListRecords") {
            resumed = r;
            break;
        }
    }
    REQUIRE(resumed);
    REQUIRE(resumed->args.count("resumptionToken"));
    CHECK(resumed->args.find("resumptionToken")->second == *saved_token);
    // The killed child's run was found dead by the run that took its scope over.
    CHECK(mirror.value("SELECT outcome FROM harvest_runs WHERE id = " + *killed_run) == "died");

    // Politeness: per host, all its servers' spans together. A server's span lies inside the
    // client's exchange (the request was sent before the handler ran; the response's last byte
    // was written before the client read it), and the client holds the host's turn across its
    // whole exchange and the interval after it: so two turns at once show as two spans at
    // once, and a turn taken too soon as a gap shorter than the interval.
    std::map<std::string, std::vector<t::HostSpan>> by_host;
    for (const auto& e : endpoints) {
        for (const auto& span : e.server->spans()) {
            t::HostSpan s{e.name, span.index, span.start, span.end, false};
            if (s.start < killed_at && killed_at < s.end + t::k_request_interval) {
                s.end = std::min(s.end, killed_at);
                s.killed_turn = true;
            }
            by_host[e.host].push_back(s);
        }
    }
    REQUIRE(by_host.size() == 2);
    for (const auto& [host, spans] : by_host) {
        INFO(host << ": " << spans.size() << " requests");
        // Each of its 20 endpoints was asked for its 3 pages at least.
        CHECK(spans.size() >= t::k_endpoints / 2 * 3);
        const auto breaches = t::politeness_breaches(spans, origin);
        INFO(t::join(std::vector<std::string>(
            breaches.begin(),
            breaches.begin() + static_cast<long>(std::min<std::size_t>(breaches.size(), 10)))));
        CHECK(breaches.empty());
    }
}
