// Export's current copies among a record's formats: NewestCopies alone, and for_each_record
// over a mirror holding a record in three formats (lib/store/newest_copies.hpp, queries.cpp).

#include <catch2/catch.hpp>

#include "harvest/normalize.hpp"
#include "store/newest_copies.hpp"
#include "store/queries.hpp"
#include "store/store.hpp"
#include "support/store_fixture.hpp"

using namespace oaiharvest;
using oaiharvest::test::live_record;
using Copies = store::detail::NewestCopies<std::string>;

namespace {

struct Row {
    std::int64_t endpoint;
    std::string identifier;
    std::optional<double> julian;
    bool wanted;
    std::string name;
};

std::vector<std::string> emitted(const std::vector<Row>& rows) {
    Copies copies;
    std::vector<std::string> out;
    auto emit = [&](const std::string& name) { out.push_back(name); };
    for (const auto& r : rows) {
        copies.next(r.endpoint, r.identifier, r.julian, r.wanted, emit) = r.name;
    }
    copies.finish(emit);
    return out;
}

using Names = std::vector<std::string>;

}  // namespace

TEST_CASE("Only a record's newest copies are emitted, ties and undated copies included",
          "[store][export]") {
    CHECK(emitted({}).empty());
    CHECK(emitted({{1, "a", 10.0, true, "a/mets"}}) == Names{"a/mets"});
    // An older copy among newer ones, and two copies at the same time.
    CHECK(emitted({{1, "a", 10.0, true, "a/dc"},
                   {1, "a", 12.0, true, "a/mets"},
                   {1, "a", 12.0, true, "a/mods"},
                   {1, "b", 3.0, true, "b/dc"}}) == Names{"a/mets", "a/mods", "b/dc"});
    // A datestamp that is no date is never newer, and never older.
    CHECK(emitted({{1, "a", std::nullopt, true, "a/dc"}, {1, "a", 12.0, true, "a/mets"}}) ==
          Names{"a/dc", "a/mets"});
    CHECK(emitted({{1, "a", std::nullopt, true, "a/dc"}}) == Names{"a/dc"});
}

TEST_CASE(
    "A copy not wanted still hides older ones, and the same identifier at another "
    "endpoint is another record",
    "[store][export]") {
    // The newest copy is a deletion the export leaves out: the older live copy stays out too.
    CHECK(emitted({{1, "a", 10.0, true, "a/dc"}, {1, "a", 12.0, false, "a/mets"}}).empty());
    CHECK(emitted({{1, "a", 12.0, true, "1/a"}, {2, "a", 10.0, true, "2/a"}}) ==
          Names{"1/a", "2/a"});
}

TEST_CASE("Export gives the copies of the newest datestamp, in either granularity",
          "[store][export]") {
    test::StoreFixture f;
    auto dc = f.db->scope(f.endpoint.id, "oai_dc", "");
    auto mods = f.db->scope(f.endpoint.id, "mods", "");
    auto put = [&](store::ScopeState& into, const oai::Record& record) {
        auto page = f.db->begin_page(f.run, into);
        harvest::put(page, record);
        page.commit(into, store::PageEnd{std::nullopt, "2026-06-01T00:00:00Z"}, {});
    };
    // oai:x:1: changed in mets since oai_dc was harvested; the mods copy is of the same day as
    // the mets one, at day granularity.
    put(f.scope, live_record("oai:x:1", "<a>mets</a>", "2026-03-01T00:00:00Z"));
    put(dc, live_record("oai:x:1", "<a>dc</a>", "2026-01-01T00:00:00Z"));
    put(mods, live_record("oai:x:1", "<a>mods</a>", "2026-03-01"));
    put(dc, live_record("oai:x:2", "<a>dc</a>", "2026-01-01T00:00:00Z"));

    for (bool raw : {false, true}) {
        INFO("raw " << raw);
        store::ExportFilter filter{std::nullopt, std::nullopt, false, raw};
        std::vector<std::string> json;
        std::vector<std::string> prefixes;
        store::for_each_record(*f.db, filter, [&](const store::StoredRecord& r) {
            json.push_back(r.json);
            prefixes.push_back(r.metadata_prefix);
        });
        REQUIRE(json.size() == 3);
        CHECK(json[0].find("\"oai:x:1\"") != std::string::npos);
        CHECK(json[1].find("\"oai:x:1\"") != std::string::npos);
        CHECK(json[2].find("\"oai:x:2\"") != std::string::npos);
        if (raw) {
            CHECK(prefixes == Names{"mets", "mods", "oai_dc"});
        }
    }
}
