// Incremental windows, in-process with a fake clock: which from each list asks, at which
// granularity, and how often Identify is asked.

#include "test_faults_fixture.hpp"

using namespace oaiharvest;
using namespace std::chrono_literals;
using test::InProcess;

namespace {

std::vector<testing::RequestInfo> requests_of(const testing::TestOaiServer& server,
                                              const std::string& verb) {
    std::vector<testing::RequestInfo> out;
    for (const auto& r : server.requests()) {
        if (r.verb == verb) {
            out.push_back(r);
        }
    }
    return out;
}

std::optional<std::string> from_of(const testing::RequestInfo& request) {
    auto from = request.args.find("from");
    return from == request.args.end() ? std::nullopt : std::optional(from->second);
}

// Every response gets its own responseDate: 2026-01-01T00:00:00Z plus its request index in
// minutes, so a test can tell which request's date was kept.
std::string date_of_request(std::size_t index) {
    return util::format_utc_seconds(*util::parse_utc("2026-01-01T00:00:00Z") +
                                    std::chrono::minutes(index));
}

// An incremental from: the saved point less the default overlap of 5 minutes.
std::string minus_overlap(const std::string& point) {
    return util::format_utc_seconds(*util::parse_utc(point) - std::chrono::minutes(5));
}

testing::Script dated_responses(const test::RewritingProvider& provider) {
    return provider.script([](const testing::RequestInfo& r, std::string body) {
        return std::optional(
            test::replace_spans(body, "<responseDate>", "</responseDate>",
                                "<responseDate>" + date_of_request(r.index) + "</responseDate>"));
    });
}

}  // namespace

TEST_CASE(
    "The next list asks from the responseDate of the first request of the last complete "
    "list",
    "[integration][windows]") {
    InProcess t;
    test::RewritingProvider provider(t.h.generate, {}, t.h.server.base_url());
    t.h.server.set_script(dated_responses(provider));
    REQUIRE(t.run_scope().outcome == store::Outcome::ok);
    auto first = requests_of(t.h.server, "ListRecords");
    REQUIRE(first.size() == 3);
    CHECK_FALSE(from_of(first[0]));  // the first harvest asks for everything
    CHECK(t.h.status()[0]["next_from"] == date_of_request(first[0].index));

    REQUIRE(t.run_scope().outcome == store::Outcome::ok);
    auto second = requests_of(t.h.server, "ListRecords");
    REQUIRE(second.size() > 3);
    // The saved point less the default overlap (5 minutes).
    CHECK(from_of(second[3]) == minus_overlap(date_of_request(first[0].index)));
    CHECK(t.h.status()[0]["next_from"] == date_of_request(second[3].index));
}

TEST_CASE("A resumed list keeps its own window, and next_from is its first request's date",
          "[integration][windows]") {
    InProcess t;
    t.policy.max_retry_after = 60'000ms;
    t.h.server.set_response_date("2025-01-01T00:00:00Z");
    REQUIRE(t.run_scope().outcome == store::Outcome::ok);

    // The second list is cut after its first page.
    t.h.server.set_response_date("2025-06-01T00:00:00Z");
    t.h.server.set_script(test::on_list_requests({1}, testing::http_status(503, "86400")));
    REQUIRE(t.run_scope().outcome == store::Outcome::failed);
    CHECK(t.h.status()[0]["next_from"] == "2025-01-01T00:00:00Z");  // not advanced

    t.h.server.set_script(nullptr);
    t.h.server.set_response_date("2025-07-01T00:00:00Z");
    auto resumed = t.run_scope();
    REQUIRE(resumed.outcome == store::Outcome::ok);
    CHECK(resumed.resumed);
    auto status = t.h.status();
    CHECK(status[0]["next_from"] == "2025-06-01T00:00:00Z");
    CHECK(status[0]["pending_token"].is_null());

    const std::size_t before = requests_of(t.h.server, "ListRecords").size();
    REQUIRE(t.run_scope().outcome == store::Outcome::ok);
    auto next_list = requests_of(t.h.server, "ListRecords").at(before);
    CHECK(from_of(next_list) == "2025-05-31T23:55:00Z");  // less the overlap
}

TEST_CASE("from is sent in days when Identify says the endpoint counts in days",
          "[integration][windows]") {
    InProcess t;
    test::RewritingProvider provider(t.h.generate, {}, t.h.server.base_url());
    t.h.server.set_script(provider.script(
        [](const testing::RequestInfo& r, std::string body) -> std::optional<std::string> {
            if (r.verb != "Identify") {
                return std::nullopt;
            }
            return test::replace_spans(body, "YYYY-MM-DDThh:mm:ssZ", "", "YYYY-MM-DD");
        }));
    t.h.server.set_response_date("2026-02-03T04:05:06Z");
    REQUIRE(t.run_scope().outcome == store::Outcome::ok);
    CHECK(t.h.status()[0]["granularity"] == "YYYY-MM-DD");
    REQUIRE(t.run_scope().outcome == store::Outcome::ok);
    // The saved day less the overlap, rounded up to a whole day.
    CHECK(from_of(requests_of(t.h.server, "ListRecords").back()) == "2026-02-02");
}

TEST_CASE("from is sent in days when Identify fails", "[integration][windows]") {
    InProcess t;
    t.policy.retries = 1;
    t.h.server.set_script([](const testing::RequestInfo& r) -> std::optional<testing::Fault> {
        return r.verb == "Identify" ? std::optional(testing::http_status(500)) : std::nullopt;
    });
    t.h.server.set_response_date("2026-02-03T04:05:06Z");
    REQUIRE(t.run_scope().outcome == store::Outcome::ok);
    REQUIRE(t.run_scope().outcome == store::Outcome::ok);
    // The saved day less the overlap, rounded up to a whole day.
    CHECK(from_of(requests_of(t.h.server, "ListRecords").back()) == "2026-02-02");
}

TEST_CASE("Identify is asked again only when a day has passed", "[integration][windows]") {
    InProcess t;
    REQUIRE(t.run_scope().outcome == store::Outcome::ok);
    CHECK(requests_of(t.h.server, "Identify").size() == 1);
    t.clock.advance(23h);
    REQUIRE(t.run_scope().outcome == store::Outcome::ok);
    CHECK(requests_of(t.h.server, "Identify").size() == 1);
    t.clock.advance(2h);
    REQUIRE(t.run_scope().outcome == store::Outcome::ok);
    CHECK(requests_of(t.h.server, "Identify").size() == 2);
}

namespace {

const std::string k_until = "2025-07-01T00:00:00Z";        // about record 147
const std::string k_early_until = "2025-03-01T00:00:00Z";  // before the first run's date
const std::string k_late_from = "2025-10-01T00:00:00Z";    // about record 223
const std::string k_early_from = "2025-03-01T00:00:00Z";   // before the saved point
const std::string k_far_until = "2027-01-01T00:00:00Z";    // after every responseDate

struct WindowCase {
    const char* name;
    harvest::Window window;
    std::optional<std::string> next_from;  // expected after the run with `window`
};

std::optional<std::string> saved_from(const test::Harness& h) {
    auto value = h.status()[0]["next_from"];
    return value.is_string() ? std::optional(value.get<std::string>()) : std::nullopt;
}

// After any window, a plain harvest brings the mirror to every record the server has.
void plain_harvest_completes(InProcess& t) {
    t.h.server.set_response_date("2026-03-01T00:00:00Z");
    REQUIRE(t.run_scope().outcome == store::Outcome::ok);
    test::require_every_record_once(t.h, 300);
    CHECK(saved_from(t.h) == "2026-03-01T00:00:00Z");
}

}  // namespace

TEST_CASE("No window of a first run moves the saved from past records not in the mirror",
          "[integration][windows]") {
    const std::string date = "2026-02-01T00:00:00Z";
    auto c = GENERATE_COPY(
        WindowCase{"plain", {}, date},
        WindowCase{"--full", {std::nullopt, std::nullopt, true}, date},
        WindowCase{"--until", {std::nullopt, k_until, false}, k_until},
        WindowCase{"--until after the responseDate", {std::nullopt, k_far_until, false}, date},
        WindowCase{"--full --until", {std::nullopt, k_until, true}, k_until},
        WindowCase{"--from", {k_late_from, std::nullopt, false}, std::nullopt},
        WindowCase{"--from --until", {k_early_from, k_until, false}, std::nullopt},
        WindowCase{"--full --from", {k_late_from, std::nullopt, true}, std::nullopt});
    INFO(c.name);
    InProcess t;
    t.h.server.set_response_date(date);
    REQUIRE(t.run_scope(c.window).outcome == store::Outcome::ok);
    CHECK(saved_from(t.h) == c.next_from);
    plain_harvest_completes(t);
}

TEST_CASE("No window of a later run moves the saved from past records not in the mirror",
          "[integration][windows]") {
    const std::string saved = "2025-05-07T00:00:00Z";  // between records 100 and 101
    const std::string date = "2026-02-01T00:00:00Z";
    auto c = GENERATE_COPY(
        WindowCase{"plain", {}, date},
        WindowCase{"--full", {std::nullopt, std::nullopt, true}, date},
        WindowCase{"--until", {std::nullopt, k_until, false}, k_until},
        WindowCase{"--until before the saved from", {std::nullopt, k_early_until, false}, saved},
        WindowCase{"--until after the responseDate", {std::nullopt, k_far_until, false}, date},
        WindowCase{"--from after the saved from", {k_late_from, std::nullopt, false}, saved},
        WindowCase{"--from before the saved from", {k_early_from, std::nullopt, false}, date},
        WindowCase{"--from before --until", {k_early_from, k_until, false}, k_until},
        WindowCase{"--from after --until", {k_late_from, k_far_until, false}, saved},
        WindowCase{"--full --until", {std::nullopt, k_until, true}, k_until},
        WindowCase{
            "--full --until before the saved from", {std::nullopt, k_early_until, true}, saved},
        WindowCase{"--full --from after the saved from", {k_late_from, std::nullopt, true}, saved});
    INFO(c.name);
    sample::GenerateOptions first;
    first.records = 100;
    InProcess t;
    t.h.server.set_repository(sample::make_sample_repository(first));
    t.h.server.set_response_date(saved);
    REQUIRE(t.run_scope().outcome == store::Outcome::ok);
    REQUIRE(saved_from(t.h) == saved);

    t.h.server.set_repository(sample::make_sample_repository(t.h.generate));  // 300 records
    t.h.server.set_response_date(date);
    REQUIRE(t.run_scope(c.window).outcome == store::Outcome::ok);
    CHECK(saved_from(t.h) == c.next_from);
    plain_harvest_completes(t);
}

TEST_CASE("harvest --until on a first run, then harvest, stores every record",
          "[integration][windows]") {
    test::Harness h;
    h.use_config("[http]\nrequest_interval = \"0s\"\n");  // politeness is not under test
    std::vector<std::string> first_window;
    SECTION("--until") {
        first_window = {"--until", "2025-07-01"};
    }
    SECTION("--from a late date") {
        first_window = {"--from", "2025-12-20"};
    }
    REQUIRE(h.harvest(first_window).exit_code == 0);
    REQUIRE(h.harvest().exit_code == 0);
    test::require_every_record_once(h, 300);
}
