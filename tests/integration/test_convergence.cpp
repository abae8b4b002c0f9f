// The mirror ends equal to a server whose data changes between and during harvests (issue 12):
// the overlap on from, the saved point without a UTC responseDate, newest wins, headers
// without metadata, and one truth per record across formats. Each test fails on a harvester
// without the behaviour it names.

#include "convergence.hpp"

using namespace oaiharvest;
using test::ChangingServer;
using test::record;
using test::require_mirror_equals_server;
using test::require_run;
using Behaviour = testing::ServerBehaviour;

namespace {

test::ProcessResult harvest(const ChangingServer& s, std::vector<std::string> extra = {}) {
    extra.insert(extra.begin(), {"--prefix", "oai_dc"});
    return s.h.harvest(extra);
}

// Three records, harvested once with the given responseDate.
void first_harvest(ChangingServer& s, const std::string& response_date) {
    s.repo.put(record("oai:x:1", "2026-05-01T10:00:00Z", "One"));
    s.repo.put(record("oai:x:2", "2026-05-02T10:00:00Z", "Two"));
    s.repo.put(record("oai:x:3", "2026-05-03T10:00:00Z", "Three"));
    auto b = s.repo.behaviour();
    b.response_date = response_date;
    s.repo.set_behaviour(b);
    require_run(harvest(s));
    require_mirror_equals_server(s.h, s.repo);
}

void set_response_date(ChangingServer& s, std::optional<std::string> date) {
    auto b = s.repo.behaviour();
    b.response_date = std::move(date);
    s.repo.set_behaviour(b);
}

}  // namespace

TEST_CASE("A record committed late, dated before the last responseDate, is harvested",
          "[integration][convergence]") {
    ChangingServer s;
    first_harvest(s, "2026-06-01T12:00:00Z");
    // Committed after the first list was served, but stamped 30 s before its responseDate.
    s.repo.put(record("oai:x:4", "2026-06-01T11:59:30Z", "Late"));
    set_response_date(s, "2026-06-02T00:00:00Z");
    require_run(harvest(s));
    require_mirror_equals_server(s.h, s.repo);
}

TEST_CASE("A backdated edit within the overlap is harvested", "[integration][convergence]") {
    ChangingServer s;
    first_harvest(s, "2026-06-01T12:00:00Z");
    s.repo.put(record("oai:x:2", "2026-06-01T11:57:00Z", "Two, edited"));
    set_response_date(s, "2026-06-02T00:00:00Z");
    require_run(harvest(s));
    require_mirror_equals_server(s.h, s.repo);
}

TEST_CASE("A server that reads from as exclusive loses no change made at the saved point",
          "[integration][convergence]") {
    ChangingServer s(Behaviour{.from_exclusive = true});
    first_harvest(s, "2026-06-01T12:00:00Z");
    s.repo.put(record("oai:x:1", "2026-06-01T12:00:00Z", "One, edited at the point"));
    set_response_date(s, "2026-06-02T00:00:00Z");
    require_run(harvest(s));
    require_mirror_equals_server(s.h, s.repo);
}

TEST_CASE("Local dates of a day-granular server behind a UTC responseDate are not missed",
          "[integration][convergence]") {
    // UTC-5: at 03:00 UTC on June 2 the server's local date, which its datestamps use, is
    // still June 1.
    ChangingServer s(Behaviour{.day_granularity = true});
    s.repo.put(record("oai:x:1", "2026-05-30", "One"));
    s.repo.put(record("oai:x:2", "2026-06-01", "Two"));
    set_response_date(s, "2026-06-02T03:00:00Z");
    require_run(harvest(s));
    // Edited later that local evening: still June 1 locally.
    s.repo.put(record("oai:x:1", "2026-06-01", "One, edited in the evening"));
    set_response_date(s, "2026-06-02T09:00:00Z");
    require_run(harvest(s));
    require_mirror_equals_server(s.h, s.repo);
    const auto asked = s.h.server.requests().back().args;
    REQUIRE(asked.count("from") == 1);
    CHECK(asked.find("from")->second == "2026-06-01");  // the saved day less one
}

TEST_CASE("Without a responseDate the newest datestamp seen is the saved point, not this clock",
          "[integration][convergence]") {
    ChangingServer s;
    // The server's clock is months behind this machine's: its changes are dated before "now".
    first_harvest(s, "");
    CHECK(s.h.status()[0]["next_from"] == "2026-05-03T10:00:00Z");
    s.repo.put(record("oai:x:4", "2026-05-20T08:00:00Z", "Four"));
    require_run(harvest(s));
    require_mirror_equals_server(s.h, s.repo);
    CHECK(s.h.status()[0]["next_from"] == "2026-05-20T08:00:00Z");
}

TEST_CASE("A responseDate that is not UTC is not taken for the saved point",
          "[integration][convergence]") {
    ChangingServer s;
    first_harvest(s, "2026-06-01T12:00:00+05:00");
    CHECK(s.h.status()[0]["next_from"] == "2026-05-03T10:00:00Z");
}

TEST_CASE("Unchanged records listed again by the overlap are recognised, not rewritten",
          "[integration][convergence]") {
    ChangingServer s;
    first_harvest(s, "2026-06-01T12:00:00Z");
    s.repo.put(record("oai:x:3", "2026-06-01T12:58:00Z", "Three, edited"));
    set_response_date(s, "2026-06-01T13:00:00Z");
    require_run(harvest(s));
    CHECK(s.h.status()[0]["last_run"]["updated"] == 1);
    // The next list asks from 12:55: oai:x:3 again, as it is.
    set_response_date(s, "2026-06-01T14:00:00Z");
    require_run(harvest(s));
    auto run = s.h.status()[0]["last_run"];
    CHECK(run["unchanged"] == 1);
    CHECK(run["updated"] == 0);
    CHECK(run["new"] == 0);
    require_mirror_equals_server(s.h, s.repo);
}

TEST_CASE("The same identifier twice in one list keeps the newer copy, counted",
          "[integration][convergence]") {
    ChangingServer s;
    s.repo.put(record("oai:x:1", "2026-05-10T00:00:00Z", "One, newer"));
    // Listed after the newer copy: read last.
    s.repo.add_duplicate(record("oai:x:1", "2026-05-01T00:00:00Z", "One, older"));
    s.repo.put(record("oai:x:2", "2026-05-02T00:00:00Z", "Two"));
    require_run(harvest(s));
    require_mirror_equals_server(s.h, s.repo);
    CHECK(s.h.status()[0]["last_run"]["stale"] == 1);
}

TEST_CASE("A --full answered by a lagging replica never replaces newer content",
          "[integration][convergence]") {
    ChangingServer s;
    s.repo.put(record("oai:x:1", "2026-05-10T00:00:00Z", "One, current"));
    s.repo.put(record("oai:x:2", "2026-05-02T00:00:00Z", "Two"));
    require_run(harvest(s));
    // The replica still has the version before the edit.
    s.repo.put(record("oai:x:1", "2026-05-01T00:00:00Z", "One, as before"));
    require_run(harvest(s, {"--full"}));
    auto row = test::mirror_of(s.h, "oai_dc").at("oai:x:1");
    CHECK(row["title"] == "One, current");
    CHECK(row["datestamp"] == "2026-05-10T00:00:00Z");
    CHECK(s.h.status()[0]["last_run"]["stale"] == 1);
    // The replica catches up: the mirror is the server again.
    s.repo.put(record("oai:x:1", "2026-05-10T00:00:00Z", "One, current"));
    require_run(harvest(s));
    require_mirror_equals_server(s.h, s.repo);
}

TEST_CASE("A header without metadata never wipes the metadata stored before, nor reads as live",
          "[integration][convergence]") {
    ChangingServer s(
        Behaviour{.response_date = "2026-05-02T00:00:00Z", .header_only_for_missing_format = true});
    s.repo.put(record("oai:x:1", "2026-05-01T00:00:00Z", "One", {}, {"oai_dc", "mods"}));
    require_run(s.h.harvest({"--prefix", "mods"}));
    // Re-dated, and now the server sends mods as a bare header.
    s.repo.put(record("oai:x:1", "2026-05-05T00:00:00Z", "One", {}, {"oai_dc"}));
    require_run(s.h.harvest({"--prefix", "mods"}));
    // Held as no longer offered in mods, its metadata kept: not an empty live record.
    auto row = test::mirror_of(s.h, "mods").at("oai:x:1");
    CHECK(row["deleted"] == true);
    CHECK(row["title"] == "One");
    CHECK(row["datestamp"] == "2026-05-05T00:00:00Z");
    CHECK(s.h.status()[0]["last_run"]["kept_metadata"] == 1);
    require_mirror_equals_server(s.h, s.repo, "mods");
}

TEST_CASE("A deletion harvested in one format applies to the record's other formats",
          "[integration][convergence]") {
    ChangingServer s(Behaviour{.response_date = "2026-05-15T00:00:00Z"});
    s.repo.put(
        record("oai:x:1", "2026-05-01T00:00:00Z", "Samarkand letters", {}, {"oai_dc", "mods"}));
    s.repo.put(record("oai:x:2", "2026-05-02T00:00:00Z", "Bukhara", {}, {"oai_dc", "mods"}));
    require_run(s.h.harvest({"--prefix", "oai_dc", "--prefix", "mods"}));
    testing::ServedRecord gone = record("oai:x:1", "2026-06-01T00:00:00Z", "", {}, {});
    gone.deleted = true;
    s.repo.put(gone);
    // Only oai_dc is harvested: mods has not heard of the deletion from its own list.
    require_run(harvest(s));
    require_mirror_equals_server(s.h, s.repo, "oai_dc");
    require_mirror_equals_server(s.h, s.repo, "mods");

    // show prefers mods, and says deleted.
    auto shown = s.h.run({"show", "oai:x:1"});
    INFO(shown.err);
    REQUIRE(shown.exit_code == 0);
    auto record_json = nlohmann::json::parse(shown.out);
    CHECK(record_json["metadata_prefix"] == "mods");
    CHECK(record_json["deleted"] == true);
    auto found = s.h.run({"search", "Samarkand"});
    CHECK(found.out.find("oai:x:1") == std::string::npos);

    // A lagging mods list still showing the record live does not bring it back.
    s.repo.put(
        record("oai:x:1", "2026-05-01T00:00:00Z", "Samarkand letters", {}, {"oai_dc", "mods"}));
    require_run(s.h.harvest({"--prefix", "mods", "--full"}));
    CHECK(test::mirror_of(s.h, "mods").at("oai:x:1")["deleted"] == true);
}

TEST_CASE("show, search and export present a record's newest copy across formats",
          "[integration][convergence]") {
    ChangingServer s(Behaviour{.response_date = "2026-05-15T00:00:00Z"});
    s.repo.put(record("oai:x:1", "2026-05-01T00:00:00Z", "Old title", {}, {"oai_dc", "mods"}));
    require_run(s.h.harvest({"--prefix", "oai_dc", "--prefix", "mods"}));
    s.repo.put(record("oai:x:1", "2026-06-01T00:00:00Z", "New title", {}, {"oai_dc", "mods"}));
    require_run(harvest(s));  // oai_dc only: the mods copy is now older

    auto shown = s.h.run({"show", "oai:x:1"});
    REQUIRE(shown.exit_code == 0);
    CHECK(nlohmann::json::parse(shown.out)["title"] == "New title");
    auto found = s.h.run({"search", "Old"});
    CHECK(found.out.find("oai:x:1") == std::string::npos);
    for (const auto& row : s.h.exported()) {
        CHECK(row["title"] == "New title");
    }
}

// The cases an incremental harvest cannot see, which the next reconcile repairs: the mirror is
// equal to the server after one harvest and one reconcile.

namespace {

test::ProcessResult reconcile(const ChangingServer& s) {
    return s.h.run(
        {"reconcile", "--url", s.h.server.base_url(), "--name", "sample", "--prefix", "oai_dc"});
}

}  // namespace

TEST_CASE("A responseDate hours ahead of the datestamps: harvest, then reconcile, end equal",
          "[integration][convergence]") {
    ChangingServer s;
    first_harvest(s, "2026-06-01T15:00:00Z");
    // The datestamps' clock is three hours behind the responseDate's.
    s.repo.put(record("oai:x:2", "2026-06-01T12:30:00Z", "Two, edited"));
    set_response_date(s, "2026-06-01T16:00:00Z");
    require_run(harvest(s));
    CHECK(test::mirror_of(s.h, "oai_dc").at("oai:x:2")["title"] == "Two");  // missed
    require_run(reconcile(s));
    require_mirror_equals_server(s.h, s.repo);
}

TEST_CASE(
    "An edit during an incremental list sorted by datestamp: reconcile fetches the record "
    "it skipped",
    "[integration][convergence]") {
    ChangingServer s(Behaviour{.page_size = 2, .order = Behaviour::Order::datestamp});
    for (int n = 1; n <= 6; ++n) {
        s.repo.put(record("oai:x:" + std::to_string(n),
                          "2026-05-0" + std::to_string(n) + "T00:00:00Z", "Version 1"));
    }
    set_response_date(s, "2026-06-01T00:00:00Z");
    require_run(harvest(s));
    for (int n = 1; n <= 4; ++n) {
        s.repo.put(record("oai:x:" + std::to_string(n),
                          "2026-06-02T00:0" + std::to_string(n - 1) + ":00Z", "Version 2"));
    }
    // While the second page is asked for, oai:x:1 (on the first page) is edited again and
    // moves to the end: the offset of page two now skips oai:x:3.
    s.repo.on_list_page([](std::size_t page, testing::ChangingRepository& repo) {
        if (page == 1) {
            repo.put(record("oai:x:1", "2026-06-02T00:10:00Z", "Version 3"));
        }
    });
    set_response_date(s, "2026-06-02T01:00:00Z");
    require_run(harvest(s));
    s.repo.on_list_page(nullptr);
    CHECK(test::mirror_of(s.h, "oai_dc").at("oai:x:3")["title"] == "Version 1");  // skipped
    require_run(reconcile(s));
    require_mirror_equals_server(s.h, s.repo);
}

TEST_CASE("A record removed during a first list shifts the pages: reconcile ends equal",
          "[integration][convergence]") {
    ChangingServer s(Behaviour{.deleted_record = "no", .page_size = 2});
    for (int n = 1; n <= 6; ++n) {
        s.repo.put(record("oai:x:" + std::to_string(n),
                          "2026-05-0" + std::to_string(n) + "T00:00:00Z",
                          "Record " + std::to_string(n)));
    }
    s.repo.on_list_page([](std::size_t page, testing::ChangingRepository& repo) {
        if (page == 1) {
            repo.remove("oai:x:1");  // deletedRecord "no": it just vanishes
        }
    });
    require_run(harvest(s));
    s.repo.on_list_page(nullptr);
    const auto after_harvest = test::mirror_of(s.h, "oai_dc");
    CHECK_FALSE(after_harvest.contains("oai:x:3"));  // never harvested
    CHECK(after_harvest.at("oai:x:1")["deleted"] == false);
    require_run(reconcile(s));
    require_mirror_equals_server(s.h, s.repo);
    CHECK(test::mirror_of(s.h, "oai_dc").at("oai:x:1")["deleted"] == true);
}
