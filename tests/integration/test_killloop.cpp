// Crash safety: the real binary is killed with SIGKILL at many points of one list and resumed
// each time; the mirror it ends with must equal an uninterrupted harvest's. Kill points are
// server-side holds, so the test knows where the child is when it kills it: no sleeps.

#include <signal.h>

#include <catch2/catch.hpp>
#include <set>

#include "harness.hpp"

using namespace oaiharvest;
using namespace std::chrono_literals;
using test::Harness;

namespace {

constexpr std::size_t k_page_size = 10;
constexpr std::size_t k_pages = 30;
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

struct KillPoint {
    std::string verb;         // the request held
    std::size_t page = 0;     // for ListRecords
    std::size_t after_bytes;  // 0: before the response head; else mid-body
};

std::vector<KillPoint> kill_points() {
    std::vector<KillPoint> points{{"Identify", 0, 0}};
    for (std::size_t page = 1; page <= k_pages; ++page) {
        // Before the head of page n is also just after page n-1 committed.
        points.push_back({"ListRecords", page, 0});
        if (page % 3 == 1) {
            points.push_back({"ListRecords", page, 3'000});
        }
    }
    return points;
}

testing::Script hold_at(const KillPoint& point) {
    return [point](const testing::RequestInfo& request) -> std::optional<testing::Fault> {
        if (request.verb != point.verb ||
            (point.verb == "ListRecords" && page_of(request) != point.page)) {
            return std::nullopt;
        }
        return testing::Hold{"kill", point.after_bytes};
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

}  // namespace

TEST_CASE(
    "A harvest killed with SIGKILL at 41 points of a 30-page list ends with the mirror of "
    "an uninterrupted harvest",
    "[integration][crash]") {
    sample::GenerateOptions generate;
    generate.records = k_page_size * k_pages;
    sample::ProviderOptions provider;
    provider.page_size = k_page_size;
    Harness h(generate, provider);
    h.use_config("[http]\nrequest_interval = \"0s\"\n");  // politeness is not under test

    std::size_t next_page = 1;  // the first page not committed yet
    for (const auto& point : kill_points()) {
        INFO("kill point: " << point.verb << " page " << point.page << ", after "
                            << point.after_bytes << " body bytes");
        const std::size_t first_request = h.server.request_count();
        h.server.set_script(hold_at(point));
        auto child = h.start_harvest();
        REQUIRE(h.server.wait_for_hold("kill", k_generous));
        child->signal(SIGKILL);
        auto ended = child->wait();
        h.server.release("kill");
        INFO(ended.err);
        REQUIRE(ended.signal == SIGKILL);

        // The run went on from the saved token: it asked for no page already committed.
        auto asked = list_requests_since(h.server, first_request);
        if (point.verb == "ListRecords") {
            REQUIRE_FALSE(asked.empty());
            CHECK(page_of(asked.front()) == next_page);
            CHECK(page_of(asked.back()) == point.page);
        }

        auto status = h.status();
        // A page commits on a second thread while the next one downloads: killed while page p
        // is asked for, the mirror holds p-1 pages, or p-2 when that commit was under way. It
        // never holds a page it has not finished reading, nor falls further behind.
        const std::size_t committed =
            status.empty() ? 0 : status[0]["records"].get<std::size_t>() / k_page_size;
        if (point.verb == "ListRecords") {
            CHECK(committed + 1 <= point.page);
            CHECK(committed + 2 >= point.page);
        }
        CHECK(committed + 1 >= next_page);  // what was committed stays committed
        next_page = committed + 1;
        if (next_page > 1) {
            REQUIRE(status.size() == 1);
            // An interrupted scope shows where it stands: the token of its next page.
            REQUIRE(status[0]["pending_token"].is_string());
            CHECK(status[0]["pending_token"].get<std::string>().ends_with(
                "offset%3D" + std::to_string((next_page - 1) * k_page_size + 1)));
            CHECK(status[0]["next_from"].is_null());
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

    // A complete scope shows no token and the from of its next harvest.
    auto status = h.status();
    CHECK(status[0]["pending_token"].is_null());
    CHECK(status[0]["next_from"].is_string());

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
    // The normalized record has no harvest-time field: the mirrors must be equal as they are.
    CHECK(mirrored == expected);
}
