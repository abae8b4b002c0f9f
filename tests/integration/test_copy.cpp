// `oaiharvest copy` (issue 18): a mirror from SQLite into PostgreSQL and back, equal on every
// side, harvests continuing on the copy where they stood; and what it refuses.
#include <catch2/catch.hpp>

#include "harness.hpp"
#include "store/lock.hpp"
#include "support/postgres_server.hpp"

using namespace oaiharvest;
using test::Harness;

namespace {

void require_ok(const test::ProcessResult& result) {
    INFO(result.err);
    REQUIRE(result.exit_code == 0);
}

// What the mirror shows its readers, times of runs included (a copy keeps them).
struct Shown {
    std::string jsonl;
    std::string csv;
    std::string status;
    std::string show;
    std::string search;
};

Shown shown(const Harness& h, const std::string& db) {
    Shown out;
    auto get = [&](std::vector<std::string> args) {
        auto result = h.run_on(db, std::move(args));
        INFO(result.err);
        REQUIRE(result.exit_code == 0);
        return result.out;
    };
    out.jsonl = get({"export", "--format", "jsonl", "--include-deleted"});
    out.csv = get({"export", "--format", "csv", "--include-deleted"});
    out.status = get({"status", "--json"});
    out.show = get({"show", "oai:sample.oaiharvest.local:2"});
    out.search = get({"search", "--limit", "1000", "tarix*"});
    return out;
}

void check_same(const Shown& a, const Shown& b) {
    CHECK(a.jsonl == b.jsonl);
    CHECK(a.csv == b.csv);
    CHECK(a.status == b.status);
    CHECK(a.show == b.show);
    // The same records; the order of equally good hits may differ between backends.
    auto sorted = [](const std::string& text) {
        auto lines = test::lines_of(text);
        std::sort(lines.begin(), lines.end());
        return lines;
    };
    CHECK(sorted(a.search) == sorted(b.search));
}

}  // namespace

TEST_CASE(
    "A mirror copied into PostgreSQL and back shows the same on all three, and harvests "
    "go on there where they stood",
    "[integration][copy][postgres]") {
    Harness h;
    require_ok(h.harvest({"--prefix", "mets", "--prefix", "oai_dc"}));
    const std::string pg = test::postgres().new_database();
    const std::string back = h.dir.file("back.db");

    auto to_pg = h.run({"copy", "--from", h.db, "--to", pg, "--batch", "7"});
    INFO(to_pg.err);
    REQUIRE(to_pg.exit_code == 0);
    CHECK(to_pg.err.find("copied 600 records") != std::string::npos);
    CHECK(to_pg.err.find("both sides are equal") != std::string::npos);
    require_ok(h.run({"copy", "--from", pg, "--to", back}));

    const auto original = shown(h, h.db);
    CHECK(original.jsonl.size() > 100000);
    check_same(original, shown(h, pg));
    check_same(original, shown(h, back));

    // The scopes' saved points came along: the next harvest of the copy is incremental and
    // finds nothing to change.
    auto again = h.run_on(pg, {"harvest", "--url", h.server.base_url(), "--name", "sample",
                               "--prefix", "mets", "--prefix", "oai_dc"});
    INFO(again.err);
    REQUIRE(again.exit_code == 0);
    CHECK(again.err.find("sample mets: 0 new, 0 updated, 0 deleted") != std::string::npos);
    CHECK(shown(h, pg).jsonl == original.jsonl);
}

TEST_CASE("A list in progress is copied with its token, and the copy resumes it",
          "[integration][copy][postgres]") {
    Harness h;
    h.use_config("[http]\nretries = 0\nrequest_interval = \"0s\"\n");
    // The first page comes; every page after it fails: the scope keeps the token of page 2.
    h.server.set_script([](const testing::RequestInfo& request) -> std::optional<testing::Fault> {
        if (request.args.count("resumptionToken")) {
            return testing::http_status(500);
        }
        return std::nullopt;
    });
    auto first = h.harvest();
    REQUIRE(first.exit_code == 1);
    const auto before = h.status();
    REQUIRE(before[0]["pending_token"].is_string());

    const std::string pg = test::postgres().new_database();
    require_ok(h.run({"copy", "--from", h.db, "--to", pg}));
    h.server.set_script(nullptr);
    auto resumed = h.run_on(pg, {"harvest", "--url", h.server.base_url(), "--name", "sample"});
    INFO(resumed.err);
    REQUIRE(resumed.exit_code == 0);
    auto status = nlohmann::json::parse(h.run_on(pg, {"status", "--json"}).out);
    CHECK(status[0]["records"] == 300);
    CHECK(status[0]["pending_token"].is_null());
    // It went on from page 2: the first page's records were not asked for again.
    std::size_t without_token = 0;
    for (const auto& request : h.server.requests()) {
        without_token += request.verb == "ListRecords" && !request.args.count("resumptionToken");
    }
    CHECK(without_token == 1);
    CHECK(status[0]["last_run"]["pages"] == 2);
}

TEST_CASE(
    "copy refuses the same mirror twice, a destination that holds a mirror, a missing "
    "source, and a mirror a harvest holds",
    "[integration][copy][postgres]") {
    Harness h;
    require_ok(h.harvest());
    const auto exported = h.exported();

    auto same = h.run({"copy", "--from", h.db, "--to", h.db});
    CHECK(same.exit_code == 2);
    CHECK(same.err.find("name the same database") != std::string::npos);

    const std::string pg = test::postgres().new_database();
    require_ok(h.run({"copy", "--from", h.db, "--to", pg}));
    auto twice = h.run({"copy", "--from", h.db, "--to", pg});
    CHECK(twice.exit_code == 2);
    CHECK(twice.err.find("already holds a mirror (300 records)") != std::string::npos);
    CHECK(h.exported_from(pg) == exported);

    auto missing = h.run({"copy", "--from", h.dir.file("none.db"), "--to", h.dir.file("x.db")});
    CHECK(missing.exit_code == 2);
    CHECK(missing.err.find("none.db") != std::string::npos);

    // A harvest holding the source's lock: nothing is copied while it may write.
    auto lock = store::HarvestLock::acquire(h.db);
    REQUIRE(lock);
    const std::string other = test::postgres().new_database();
    auto locked = h.run({"copy", "--from", h.db, "--to", other});
    CHECK(locked.exit_code == 3);
    auto empty = h.run_on(other, {"status"});
    CHECK(empty.exit_code == 2);  // never made a mirror
}
