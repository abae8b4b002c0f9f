// export's reading loop (store::for_each_record without raw, lib/store/json_stream): the JSON is
// unpacked on a thread of its own a batch ahead; every record arrives once, in order, and a
// failure on either side ends both threads and reaches the caller.

#include <catch2/catch.hpp>
#include <stdexcept>

#include "harvest/normalize.hpp"
#include "store/queries.hpp"
#include "store/sqlite.hpp"
#include "support/raw_mirror.hpp"
#include "support/store_fixture.hpp"

using namespace oaiharvest;
using oaiharvest::test::live_record;

namespace {

// More records than two batches of 256, spread over pages, packed after and before training.
struct Mirror : test::StoreFixture {
    static constexpr int k_records = 700;
    Mirror() {
        for (int first = 1; first <= k_records; first += 100) {
            auto page = db->begin_page(run, scope);
            for (int n = first; n < first + 100 && n <= k_records; ++n) {
                char id[32];
                std::snprintf(id, sizeof id, "oai:x:%04d", n);
                harvest::put(page, live_record(id, "<dc><title>Record " + std::to_string(n) +
                                                       "</title></dc>"));
            }
            page.commit(scope, store::PageEnd{std::nullopt, "2026-01-01T00:00:00Z"}, {});
        }
    }
    std::vector<std::string> identifiers(const store::ExportFilter& filter) {
        std::vector<std::string> out;
        store::for_each_record(*db, filter, [&](const store::StoredRecord& r) {
            out.push_back(nlohmann::json::parse(r.json)["identifier"].get<std::string>());
        });
        return out;
    }
};

}  // namespace

TEST_CASE("The JSON export streams every record once, in order, across batches") {
    Mirror m;
    store::ExportFilter json_only;
    json_only.raw = false;
    auto seen = m.identifiers(json_only);
    REQUIRE(seen.size() == Mirror::k_records);
    CHECK(std::is_sorted(seen.begin(), seen.end()));
    CHECK(std::adjacent_find(seen.begin(), seen.end()) == seen.end());

    // The same records as the raw export, which reads every column on one thread.
    store::ExportFilter raw;
    CHECK(m.identifiers(raw) == seen);
}

TEST_CASE("A failure while writing an exported record stops the reading thread") {
    Mirror m;
    store::ExportFilter json_only;
    json_only.raw = false;
    int visited = 0;
    CHECK_THROWS_WITH(store::for_each_record(*m.db, json_only,
                                             [&](const store::StoredRecord&) {
                                                 if (++visited == 300) {
                                                     throw std::runtime_error("broken pipe");
                                                 }
                                             }),
                      "broken pipe");
    CHECK(visited == 300);
    // The store is usable again: the reading thread has let go of its connection.
    CHECK(m.identifiers(json_only).size() == Mirror::k_records);
}

TEST_CASE("A damaged stored JSON ends the export with an error naming it") {
    Mirror m;
    {
        auto raw = test::raw_connection(m.dir.file("mirror.db"));
        raw->exec(
            "UPDATE items_json SET json = X'28B52FFD00FFFFFFFF' WHERE record_id = "
            "(SELECT id FROM records WHERE identifier = 'oai:x:0600')");
    }
    store::ExportFilter json_only;
    json_only.raw = false;
    int visited = 0;
    CHECK_THROWS_WITH(
        store::for_each_record(*m.db, json_only, [&](const store::StoredRecord&) { ++visited; }),
        Catch::Contains("reading a record's JSON"));
    CHECK(visited < Mirror::k_records);
}
