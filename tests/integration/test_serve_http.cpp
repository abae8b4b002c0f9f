// `oaiharvest serve` as an HTTP server (issue 14): /healthz and /metrics, nothing served outside
// the routes, requests too large refused while the server goes on, the free port it takes when
// asked for port 0, and its stop on SIGTERM or SIGINT.

#include <catch2/catch.hpp>
#include <csignal>
#include <regex>

#include "eventually.hpp"
#include "harness.hpp"
#include "serve_fixture.hpp"
#include "support/schema_check.hpp"

using namespace oaiharvest;

namespace {

bool has(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

// The served mirror still answers: its health, and a schema-valid Identify.
void check_still_serving(const test::ServeProcess& server) {
    CHECK(test::http_get(server.port(), "/healthz").status == 200);
    auto identify = test::oai_request(server, test::Method::get, {{"verb", "Identify"}});
    CHECK(identify.status == 200);
    CHECK(test::schema_errors(identify.body).value_or("") == "");
}

}  // namespace

TEST_CASE(
    "The health check answers 200 and /metrics counts the records of each scope as they change",
    "[integration][serve]") {
    test::ServedSample s;
    auto health = test::http_get(s.server->port(), "/healthz");
    CHECK(health.status == 200);
    CHECK(health.body.starts_with("ok"));

    auto metrics = test::http_get(s.server->port(), "/metrics");
    REQUIRE(metrics.status == 200);
    CHECK(metrics.content_type.starts_with("text/plain; version=0.0.4"));
    auto status = s.h.status();
    REQUIRE(status.size() == 2);
    for (const auto& scope : status) {
        const auto labels = "{endpoint=\"sample\",metadata_prefix=\"" +
                            scope["metadata_prefix"].get<std::string>() + "\",set=\"\"}";
        INFO(metrics.body);
        CHECK(has(metrics.body,
                  "\noaiharvest_records" + labels + " " + scope["records"].dump() + "\n"));
        CHECK(has(metrics.body,
                  "\noaiharvest_records_deleted" + labels + " " + scope["deleted"].dump() + "\n"));
    }
    CHECK(has(metrics.body,
              "oaiharvest_records{endpoint=\"sample\",metadata_prefix=\"mets\","
              "set=\"\"} 60\n"));

    // Read at each scrape: a second harvest is counted at once.
    s.harvest_source();
    auto later = test::http_get(s.server->port(), "/metrics");
    CHECK(has(later.body,
              "oaiharvest_runs_total{endpoint=\"sample\",metadata_prefix=\"mets\","
              "set=\"\",kind=\"harvest\",outcome=\"ok\"} 2\n"));
}

TEST_CASE("Nothing is served outside the routes: other paths 404, other methods 404 or 405",
          "[integration][serve]") {
    test::ServedSample s;
    struct Refused {
        std::string method;
        std::string target;
    };
    const std::vector<Refused> requests{
        {"DELETE", "/oai"},    {"PUT", "/oai"},          {"PATCH", "/oai"},
        {"OPTIONS", "/oai"},   {"DELETE", "/healthz"},   {"PUT", "/metrics"},
        {"POST", "/metrics"},  {"POST", "/healthz"},     {"POST", "/"},
        {"DELETE", "/"},       {"GET", "/no/such/page"}, {"GET", "/oai/extra?verb=Identify"},
        {"GET", "/metrics/x"}, {"GET", "/healthz/x"},    {"GET", "/.git/config"},
    };
    for (const auto& r : requests) {
        auto reply = test::http_request(s.server->port(), r.method, r.target);
        INFO(r.method << " " << r.target << " -> " << reply.status << "\n" << reply.body);
        CHECK((reply.status == 404 || reply.status == 405));
        CHECK_FALSE(has(reply.body, "<OAI-PMH"));
        CHECK_FALSE(has(reply.body, "oaiharvest_records"));
        CHECK_FALSE(has(reply.body, "oai:sample.oaiharvest.local"));
    }
    // A path that climbs out of the root is refused before any route.
    auto climb = test::http_get(s.server->port(), "/../../../etc/passwd");
    INFO(climb.body);
    CHECK((climb.status == 400 || climb.status == 404));
    CHECK_FALSE(has(climb.body, "root:"));
    check_still_serving(*s.server);
}

TEST_CASE(
    "A 1 MB body is refused with 413, a 10 KB URL with 414, a POST not a form with 415, and "
    "the server goes on serving",
    "[integration][serve]") {
    test::ServedSample s;
    const std::string big = "verb=Identify&padding=" + std::string(1024 * 1024, 'a');
    CHECK(test::http_post(s.server->port(), "/oai", big).status == 413);
    check_still_serving(*s.server);
    CHECK(test::http_post_chunked(s.server->port(), "/oai", big).status == 413);
    check_still_serving(*s.server);

    auto long_url = test::http_get(s.server->port(),
                                   "/oai?verb=Identify&padding=" + std::string(10 * 1024, 'b'));
    CHECK(long_url.status == 414);
    check_still_serving(*s.server);

    auto not_form = test::http_post(s.server->port(), "/oai", "verb=Identify", "text/plain");
    CHECK(not_form.status == 415);
    CHECK_FALSE(has(not_form.body, "OAI-PMH"));
    check_still_serving(*s.server);
}

TEST_CASE("A POST to /oai is a form whatever the case of its media type", "[integration][serve]") {
    test::ServedSample s;
    // RFC 9110 section 8.3.1: type and subtype are case-insensitive.
    for (const std::string type :
         {"application/x-www-form-urlencoded", "application/x-www-form-urlencoded; charset=UTF-8",
          "Application/X-WWW-Form-URLEncoded"}) {
        INFO(type);
        auto reply = test::http_post(s.server->port(), "/oai", "verb=Identify", type);
        CHECK(reply.status == 200);
        CHECK(has(reply.body, "<Identify>"));
    }
}

TEST_CASE("serve --listen 127.0.0.1:0 listens on a free port and logs which",
          "[integration][serve]") {
    test::ServedSample s;
    test::BackgroundProcess serve({"--db", s.h.db, "serve", "--listen", "127.0.0.1:0"});
    static const std::regex k_serving(
        R"(serving \S+ at http://127\.0\.0\.1:(\d+)/ \(OAI-PMH at /oai\))");
    std::smatch match;
    std::string log;
    CHECK(test::eventually([&] {
        log = serve.err_so_far();
        return std::regex_search(log, match, k_serving) || has(log, "oaiharvest:");
    }));
    INFO(log);
    REQUIRE(std::regex_search(log, match, k_serving));
    const int port = std::stoi(match[1].str());
    CHECK(port > 0);
    CHECK(test::http_get(port, "/healthz").status == 200);
    serve.signal(SIGTERM);
    CHECK(serve.wait().exit_code == 0);
}

TEST_CASE("serve stops cleanly on SIGTERM and on SIGINT", "[integration][serve]") {
    test::ServedSample s;
    for (int signal : {SIGTERM, SIGINT}) {
        INFO("signal " << signal);
        test::ServeProcess server(s.h.db, s.h.config);
        check_still_serving(server);
        auto ended = server.stop(signal);
        CHECK(ended.signal == 0);
        CHECK(ended.exit_code == 0);
        CHECK(has(ended.err, "serving stopped"));
        CHECK(test::http_get(server.port(), "/healthz").status == 0);
    }
}
