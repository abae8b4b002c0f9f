// HTTP faults, in-process with a fake clock: what is retried, how long the harvest waits, what
// fails the scope at once, and that nothing is lost or stored twice.

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include "test_faults_fixture.hpp"

using namespace oaiharvest;
using namespace std::chrono_literals;
using test::InProcess;
using test::on_list_requests;
using Waits = std::vector<std::chrono::milliseconds>;

namespace {

// A port on 127.0.0.1 that nothing listens on: connecting is refused.
int closed_port() {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof address;
    bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address);
    getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
    close(fd);
    return ntohs(address.sin_port);
}

// Each wait of an exponential backoff from 2 s: retry n waits between half and all of 2^n s.
void check_backoff(const Waits& waits) {
    for (std::size_t i = 0; i < waits.size(); ++i) {
        auto step = 2'000ms * (1 << i);
        INFO("retry " << i + 1 << " waited " << waits[i].count() << " ms");
        CHECK(waits[i] >= step / 2);
        CHECK(waits[i] <= step);
    }
}

bool contains(const std::optional<std::string>& text, const std::string& part) {
    return text && text->find(part) != std::string::npos;
}

}  // namespace

TEST_CASE("503 and 429 are retried after the Retry-After asked, in seconds or as an HTTP-date",
          "[integration][faults][http]") {
    InProcess t;
    std::size_t n = 0;
    t.h.server.set_script(on_list_requests(
        [](std::size_t i) { return i == 1 || i == 2; },
        [&n](std::size_t) {
            // The clock starts at 10:00:00 and the first wait is 7 s: the date asks for 53 more.
            return ++n == 1 ? testing::http_status(503, "7")
                            : testing::http_status(429, "Wed, 03 Jun 2026 10:01:00 GMT");
        }));
    auto scope = t.run_scope();
    INFO(scope.error.value_or(""));
    REQUIRE(scope.outcome == store::Outcome::ok);
    CHECK(t.clock.sleeps() == Waits{7'000ms, 53'000ms});
    CHECK(scope.events.retries == 2);
    CHECK(scope.pages == 3);
    test::require_every_record_once(t.h, 300);
    CHECK(t.h.status()[0]["last_run"]["retries"] == 2);
}

TEST_CASE("5xx, reset connections and timeouts are retried with exponential backoff and jitter",
          "[integration][faults][http]") {
    InProcess t;
    t.options.stall_timeout = 1s;  // curl's least
    const std::vector<testing::Fault> faults{testing::http_status(500), testing::ResetConnection{},
                                             testing::http_status(502),
                                             testing::Delay{30s, 0}};  // > the 1 s stall timeout
    t.h.server.set_script(on_list_requests([](std::size_t i) { return i >= 1 && i <= 4; },
                                           [faults](std::size_t i) { return faults[i - 1]; }));
    auto scope = t.run_scope();
    INFO(scope.error.value_or(""));
    REQUIRE(scope.outcome == store::Outcome::ok);
    CHECK(scope.events.retries == 4);
    auto waits = t.clock.sleeps();
    REQUIRE(waits.size() == 4);
    check_backoff(waits);
    test::require_every_record_once(t.h, 300);
}

TEST_CASE("A refused connection is retried http.retries times, then fails naming the cause",
          "[integration][faults][http]") {
    InProcess t;
    t.policy.retries = 3;
    auto url = "http://127.0.0.1:" + std::to_string(closed_port()) + "/cgi/oai2";
    auto report = t.run({}, {"mets"}, {}, url);
    REQUIRE(report.scopes.size() == 1);
    const auto& scope = report.scopes[0];
    CHECK(scope.outcome == store::Outcome::failed);
    CHECK(contains(scope.error, "connect"));
    CHECK(contains(scope.error, "gave up after 3 retries"));
    CHECK(scope.events.retries == 3);
    CHECK_FALSE(report.ok());
    // Identify and ListRecords: each retried three times with a growing wait.
    auto waits = t.clock.sleeps();
    REQUIRE(waits.size() == 6);
    check_backoff(Waits(waits.begin(), waits.begin() + 3));
    check_backoff(Waits(waits.begin() + 3, waits.end()));
}

TEST_CASE("A Retry-After beyond max_retry_after fails the scope now, and the next harvest resumes",
          "[integration][faults][http]") {
    InProcess t;
    t.policy.max_retry_after = 600'000ms;
    t.h.server.set_script(on_list_requests({1}, testing::http_status(503, "7200")));
    auto failed = t.run_scope();
    CHECK(failed.outcome == store::Outcome::failed);
    CHECK(contains(failed.error, "retry after 7200 s, longer than max_retry_after (600 s)"));
    CHECK(t.clock.sleeps().empty());
    auto status = t.h.status();
    CHECK(status[0]["records"] == 100);  // the first page stays committed
    CHECK(status[0]["pending_token"].is_string());
    CHECK(status[0]["last_run"]["outcome"] == "failed");

    t.h.server.set_script(nullptr);
    auto resumed = t.run_scope();
    REQUIRE(resumed.outcome == store::Outcome::ok);
    CHECK(resumed.resumed);
    CHECK(resumed.pages == 2);
    test::require_every_record_once(t.h, 300);
}

TEST_CASE("Another 4xx fails the scope at once with the status and the start of the body",
          "[integration][faults][http]") {
    InProcess t;
    t.h.server.set_script(on_list_requests(
        {0}, testing::http_status(403, std::nullopt,
                                  "<html><body>Forbidden: harvesting needs a key</body></html>")));
    auto scope = t.run_scope();
    CHECK(scope.outcome == store::Outcome::failed);
    CHECK(contains(scope.error, "HTTP 403"));
    CHECK(contains(scope.error, "Forbidden: harvesting needs a key"));
    CHECK(scope.events.retries == 0);
    CHECK(t.clock.sleeps().empty());
    CHECK(test::count_requests(t.h.server, "ListRecords") == 1);
}

TEST_CASE("An OAI error sent with HTTP 422 is read as the OAI error, not as an HTTP failure",
          "[integration][faults][http]") {
    InProcess t;
    t.h.server.set_script(
        on_list_requests({0}, testing::oai_error(422, "badArgument", "Zenodo wants a set")));
    auto scope = t.run_scope();
    CHECK(scope.outcome == store::Outcome::failed);
    CHECK(contains(scope.error, "badArgument: Zenodo wants a set"));
    CHECK_FALSE(contains(scope.error, "HTTP 422"));
    CHECK(scope.events.retries == 0);
}

TEST_CASE("A truncated body, an HTML page with 200 or a non-XML body is a failed page, retried",
          "[integration][faults][http]") {
    InProcess t;
    const std::vector<testing::Fault> faults{
        testing::TruncateBody{4'000, sample::Framing::chunked},
        testing::eprints_system_error(),
        testing::Respond{200, {}, R"({"status":"maintenance"})", "application/json"},
        testing::TruncateBody{4'000, sample::Framing::content_length},
        testing::Respond{200, {}, "<html><body>Down for maintenance</body></html>", "text/xml"},
    };
    t.h.server.set_script(on_list_requests([](std::size_t i) { return i >= 1 && i <= 5; },
                                           [faults](std::size_t i) { return faults[i - 1]; }));
    auto scope = t.run_scope();
    INFO(scope.error.value_or(""));
    REQUIRE(scope.outcome == store::Outcome::ok);
    CHECK(scope.events.retries == 5);
    CHECK(scope.pages == 3);
    CHECK(scope.counts.records_new + scope.counts.records_deleted == 300);
    test::require_every_record_once(t.h, 300);
}

TEST_CASE("A page failing every retry fails the scope, and the pages before it stay committed",
          "[integration][faults][http]") {
    InProcess t;
    t.policy.retries = 2;
    t.h.server.set_script(
        on_list_requests([](std::size_t i) { return i >= 1; },
                         [](std::size_t) { return testing::eprints_system_error(); }));
    auto scope = t.run_scope();
    CHECK(scope.outcome == store::Outcome::failed);
    CHECK(contains(scope.error, "EPrints System Error"));
    CHECK(contains(scope.error, "gave up after 2 retries"));
    CHECK(scope.events.retries == 2);
    CHECK(scope.pages == 1);
    auto status = t.h.status();
    CHECK(status[0]["records"] == 100);
    CHECK(status[0]["pending_token"].is_string());
    CHECK(status[0]["last_run"]["retries"] == 2);
}

TEST_CASE(
    "A server failing half its requests (503, reset, truncated, HTML 200) still yields "
    "every record once",
    "[integration][faults][http]") {
    sample::GenerateOptions generate;
    sample::ProviderOptions provider;
    provider.page_size = 10;  // 30 pages, 31 with Identify: many chances to go wrong
    InProcess t(generate, provider);
    const std::vector<testing::Fault> faults{testing::http_status(503), testing::ResetConnection{},
                                             testing::TruncateBody{2'000, sample::Framing::chunked},
                                             testing::eprints_system_error()};
    t.h.server.set_script([faults](const testing::RequestInfo& r) -> std::optional<testing::Fault> {
        if (r.index % 2 == 1) {
            return std::nullopt;
        }
        return faults[(r.index / 2) % faults.size()];
    });
    auto scope = t.run_scope();
    INFO(scope.error.value_or(""));
    REQUIRE(scope.outcome == store::Outcome::ok);
    CHECK(scope.pages == 30);
    // Every ListRecords request but the 30 that got through was a failure, retried.
    CHECK(scope.events.retries ==
          static_cast<std::int64_t>(test::count_requests(t.h.server, "ListRecords")) - 30);
    CHECK(scope.events.retries == 30);
    test::require_every_record_once(t.h, 300);

    t.h.server.set_script(nullptr);
    t.h.use_config("[http]\nrequest_interval = \"0s\"\n");
    const std::string clean = t.h.dir.file("clean.db");
    REQUIRE(t.h.run_on(clean, {"harvest", "--url", t.h.server.base_url(), "--name", "sample",
                               "--prefix", "mets"})
                .exit_code == 0);
    CHECK(t.h.exported() == t.h.exported_from(clean));
}
