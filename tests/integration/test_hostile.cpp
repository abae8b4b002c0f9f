// Hostile servers over 127.0.0.1, against the real binary: records and responses built to crash
// the reader or exhaust memory, a gzip bomb, an endless body, a trickle. Each run must end on
// its own, keep the rest of the page, and stay far below 100 MB (the child's own peak, as
// test_memory.cpp reads it).

#include <catch2/catch.hpp>
#include <chrono>
#include <filesystem>

#include "harness.hpp"

using namespace oaiharvest;
using test::Harness;

namespace {

constexpr long k_peak_limit_kib = 100 * 1024;

const std::string k_page_head =
    R"(<?xml version="1.0" encoding="UTF-8"?>)"
    R"(<OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/">)"
    R"(<responseDate>2026-06-03T10:00:00Z</responseDate>)"
    R"(<request verb="ListRecords" metadataPrefix="oai_dc">http://x/</request><ListRecords>)";
const std::string k_page_tail = "</ListRecords></OAI-PMH>";

std::string record_head(const std::string& id) {
    return "<record><header><identifier>" + id +
           "</identifier><datestamp>2026-01-01T00:00:00Z</datestamp></header><metadata>"
           R"(<oai_dc:dc xmlns:oai_dc="http://www.openarchives.org/OAI/2.0/oai_dc/" )"
           R"(xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>Title )" +
           id + "</dc:title><dc:description>";
}
const std::string k_record_tail = "</dc:description></oai_dc:dc></metadata></record>";

std::string record(const std::string& id, const std::string& description = "fine") {
    return record_head(id) + description + k_record_tail;
}

// A page with a good record, the hostile one (its description is `filler`, repeated), and
// another good record.
testing::StreamBody page_around(std::string filler, std::uint64_t filler_bytes) {
    testing::StreamBody body;
    body.head = k_page_head + record("oai:x:1") + record_head("oai:x:2");
    body.filler = std::move(filler);
    body.filler_bytes = filler_bytes;
    body.tail = k_record_tail + record("oai:x:3") + k_page_tail;
    return body;
}

testing::Script on_list_records(testing::Fault fault) {
    return [fault](const testing::RequestInfo& request) -> std::optional<testing::Fault> {
        return request.verb == "ListRecords" ? std::optional(fault) : std::nullopt;
    };
}

long peak_kib(const std::string& err) {
    auto at = err.find("peak memory: ");
    REQUIRE(at != std::string::npos);
    return std::stol(err.substr(at + 13));
}

test::ProcessResult harvest(Harness& h, const std::string& http_settings = {}) {
    h.use_config("[http]\nretries = 0\nrequest_interval = \"0s\"\n" + http_settings);
    return h.run(
        {"-v", "harvest", "--url", h.server.base_url(), "--name", "sample", "--prefix", "oai_dc"});
}

// The good records are stored as usual, the hostile one with its header and a parse_error that
// names the cap.
void check_page_kept(Harness& h, const std::string& cap) {
    auto records = h.exported();
    REQUIRE(records.size() == 3);
    for (const auto& r : records) {
        INFO(r["identifier"] << ": " << r["parse_error"].dump().substr(0, 300) << ", title "
                             << r["title"].dump().substr(0, 100));
        if (r["identifier"] == "oai:x:2") {
            REQUIRE(r["parse_error"].is_string());
            CHECK(r["parse_error"].get<std::string>().find(cap) != std::string::npos);
            CHECK(r["datestamp"] == "2026-01-01T00:00:00Z");
        } else {
            CHECK(r["parse_error"].is_null());
            CHECK(r["title"] == "Title " + r["identifier"].get<std::string>());
        }
    }
}

}  // namespace

TEST_CASE("A record nesting 100,000 elements is kept with a parse_error, and the page goes on",
          "[integration][hostile]") {
    Harness h;
    std::string deep;
    for (int i = 0; i < 100'000; ++i) {
        deep += "<b>";
    }
    deep += "deep";
    for (int i = 0; i < 100'000; ++i) {
        deep += "</b>";
    }
    testing::Respond page;
    page.body =
        k_page_head + record("oai:x:1") + record("oai:x:2", deep) + record("oai:x:3") + k_page_tail;
    h.server.set_script(on_list_records(page));

    auto result = harvest(h);
    INFO(result.err.substr(0, 3000));
    REQUIRE(result.exit_code == 0);
    check_page_kept(h, "nesting");
    CHECK(result.err.find("oai:x:2") != std::string::npos);  // the warning names the record
#ifndef OAIHARVEST_SANITIZED  // ASan's shadow memory is not oaiharvest's: the Release run checks it
    CHECK(peak_kib(result.err) < k_peak_limit_kib);
#endif
}

TEST_CASE("A 40 MiB record over the record cap is kept as its header, in bounded memory",
          "[integration][hostile]") {
    Harness h;
    h.server.set_script(on_list_records(page_around("abcdefgh ", 40ULL << 20)));

    auto result = harvest(h);
    INFO(result.err.substr(0, 3000));
    REQUIRE(result.exit_code == 0);
    check_page_kept(h, "16MiB record cap");
    CHECK(result.err.find("oai:x:2") != std::string::npos);
    CHECK(peak_kib(result.err) < k_peak_limit_kib);
    CHECK(std::filesystem::file_size(h.db) < 4u << 20);
}

TEST_CASE("The record cap is configurable", "[integration][hostile]") {
    Harness h;
    h.server.set_script(on_list_records(page_around("abcdefgh ", 2ULL << 20)));

    auto result = harvest(h, "max_record_size = \"1MiB\"\n");
    INFO(result.err.substr(0, 3000));
    REQUIRE(result.exit_code == 0);
    check_page_kept(h, "1MiB record cap");
}

TEST_CASE("A gzip bomb fails the page on its compression ratio, in bounded memory",
          "[integration][hostile]") {
    Harness h;
    testing::StreamBody bomb;
    bomb.head = testing::gzip(k_page_head + record("oai:x:1") + record_head("oai:x:2"), "a",
                              64ULL << 20, k_record_tail + k_page_tail);
    REQUIRE(bomb.head.size() < 256u * 1024);
    bomb.headers = {{"Content-Encoding", "gzip"}};
    h.server.set_script(on_list_records(bomb));

    auto result = harvest(h);
    INFO(result.err.substr(0, 3000));
    CHECK(result.exit_code != 0);
    auto status = h.status();
    CHECK(status[0]["last_run"]["outcome"] == "failed");
    CHECK(status[0]["last_run"]["error"].get<std::string>().find("compression ratio") !=
          std::string::npos);
    CHECK(peak_kib(result.err) < k_peak_limit_kib);
}

TEST_CASE("An endless body stops at the response cap, counted decoded, in bounded memory",
          "[integration][hostile]") {
    Harness h;
    testing::StreamBody endless = page_around("abcdefgh ", 0);
    endless.endless = true;
    h.server.set_script(on_list_records(endless));

    auto result = harvest(h, "max_response_size = \"48MiB\"\n");
    INFO(result.err.substr(0, 3000));
    CHECK(result.exit_code != 0);
    auto status = h.status();
    CHECK(status[0]["last_run"]["outcome"] == "failed");
    CHECK(status[0]["last_run"]["error"].get<std::string>().find("larger than 48MiB") !=
          std::string::npos);
    CHECK(peak_kib(result.err) < k_peak_limit_kib);
}

TEST_CASE("A server trickling bytes is cut off at the request deadline", "[integration][hostile]") {
    Harness h;
    testing::StreamBody trickle = page_around(" ", 60);
    trickle.write_size = 1;
    trickle.interval = std::chrono::milliseconds{100};  // 6 s for the whole body
    h.server.set_script(on_list_records(trickle));

    const auto start = std::chrono::steady_clock::now();
    auto result = harvest(h, "timeout = \"1s\"\nrequest_deadline = \"2s\"\n");
    const auto took = std::chrono::steady_clock::now() - start;
    INFO(result.err.substr(0, 3000));
    CHECK(result.exit_code != 0);
    CHECK(took < std::chrono::seconds{5});
    auto status = h.status();
    CHECK(status[0]["last_run"]["outcome"] == "failed");
    CHECK(status[0]["last_run"]["error"].get<std::string>().find("deadline") != std::string::npos);
}

TEST_CASE("An http to http redirect is still followed", "[integration][hostile]") {
    Harness h;
    auto redirected = std::make_shared<std::atomic<bool>>(false);
    const std::string base = h.server.base_url();
    h.server.set_script(
        [redirected, base](const testing::RequestInfo& request) -> std::optional<testing::Fault> {
            if (request.verb != "ListRecords" || redirected->exchange(true)) {
                return std::nullopt;
            }
            testing::Respond moved;
            moved.status = 302;
            moved.headers = {{"Location", base + "?" + request.query}};
            return moved;
        });

    auto result = harvest(h);
    INFO(result.err.substr(0, 3000));
    REQUIRE(result.exit_code == 0);
    CHECK(redirected->load());
    CHECK(h.status()[0]["records"] == h.generate.records);
}
