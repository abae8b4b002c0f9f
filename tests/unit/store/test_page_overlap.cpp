// A page filled while the previous one is still to commit (lib/harvest's page pipeline): put()
// reads the last committed state, and commit() must still store and count the truth.

#include <catch2/catch.hpp>

#include "store/queries.hpp"
#include "store/store.hpp"
#include "support/store_fixture.hpp"

using namespace oaiharvest;

namespace {

oai::Record live(const std::string& id, const std::string& xml) {
    return test::live_record(id, xml);
}

struct Fixture : test::StoreFixture {
    std::vector<store::StoredRecord> all() {
        std::vector<store::StoredRecord> out;
        store::for_each_record(*db, {std::nullopt, std::nullopt, true},
                               [&](const store::StoredRecord& r) { out.push_back(r); });
        return out;
    }
};

const store::PageEnd k_more{oai::ResumptionToken{"t1", std::nullopt, std::nullopt},
                            "2026-01-01T00:00:00Z", std::nullopt, std::nullopt};
const store::PageEnd k_last{std::nullopt, "2026-01-01T00:00:00Z", std::nullopt, std::nullopt};

}  // namespace

TEST_CASE("A record in two pages filled before either commits is added once", "[store]") {
    Fixture f;
    auto first = f.db->begin_page(f.run, f.scope);
    first.put(live("oai:x:1", "<a>one</a>"));
    auto second = f.db->begin_page(f.run, f.scope);
    second.put(live("oai:x:1", "<a>one</a>"));  // looks new: the first page is not committed
    first.commit(f.scope, k_more, {});
    second.commit(f.scope, k_last, {});
    CHECK(first.counts().records_new == 1);
    CHECK(second.counts().records_new == 0);
    CHECK(second.counts().records_unchanged == 1);
    REQUIRE(f.all().size() == 1);
}

TEST_CASE("A record changed by the page before is updated, not taken as unchanged", "[store]") {
    Fixture f;
    {
        auto page = f.db->begin_page(f.run, f.scope);
        page.put(live("oai:x:1", "<a>one</a>"));
        page.commit(f.scope, k_more, {});
    }
    auto first = f.db->begin_page(f.run, f.scope);
    first.put(live("oai:x:1", "<a>two</a>"));
    auto second = f.db->begin_page(f.run, f.scope);
    // Matches what is committed, so it is not described now; the first page then changes the
    // stored record, and the second page's commit must notice and describe it after all.
    second.put(live("oai:x:1", "<a>one</a>"));
    first.commit(f.scope, k_more, {});
    second.commit(f.scope, k_last, {});
    CHECK(first.counts().records_updated == 1);
    CHECK(second.counts().records_updated == 1);
    auto records = f.all();
    REQUIRE(records.size() == 1);
    CHECK(records[0].metadata == "<a>one</a>");
}

TEST_CASE("A page's lookups do not wait for a transaction open on the write connection",
          "[store]") {
    Fixture f;
    const std::string xml = "<p>" + std::string(64 * 1024, 'x') + "</p>";
    auto big = f.db->begin_page(f.run, f.scope);
    bool hook_called = false;
    big.before_write_through([&] { hook_called = true; });
    for (std::size_t i = 0; !hook_called; ++i) {
        big.put(live("oai:big:" + std::to_string(i), xml));
    }
    // The big page holds the write connection's transaction; a held page still reads.
    auto small = f.db->begin_page(f.run, f.scope);
    small.put(live("oai:big:0", xml));
    big.commit(f.scope, k_more, {});
    small.commit(f.scope, k_last, {});
    CHECK(small.counts().records_unchanged == 1);
}
