// The store's browse queries (lib/store/browse): each list a page at a time from a cursor, a
// record once by its current copy and only while it is live, and the values to browse by.

#include <catch2/catch.hpp>
#include <set>

#include "store/browse.hpp"
#include "support/store_fixture.hpp"
#include "web_mirror.hpp"

using namespace oaiharvest;
using store::RecordFilter;

namespace {

// Every record of a list, page by page as the web pages follow it.
std::vector<store::RecordSummary> walk(store::Store& db, const std::string& endpoint,
                                       const RecordFilter& filter, int limit) {
    std::vector<store::RecordSummary> all;
    store::RecordCursor after;
    for (int pages = 0; pages < 1000; ++pages) {
        auto list = store::browse_records(db, endpoint, filter, after, limit);
        CHECK(static_cast<int>(list.records.size()) <= limit);
        for (auto& r : list.records) {
            all.push_back(std::move(r));
        }
        if (!list.more) {
            return all;
        }
        REQUIRE_FALSE(all.empty());
        if (filter.by == RecordFilter::By::all || filter.by == RecordFilter::By::set) {
            after.identifier = all.back().identifier;
        } else {
            after.key = all.back().key;
        }
    }
    FAIL("the list never ends");
    return all;
}

template <typename Next>
std::vector<store::Facet> walk_facets(Next next) {
    std::vector<store::Facet> all;
    std::string after;
    for (int pages = 0; pages < 1000; ++pages) {
        auto list = next(after);
        for (auto& f : list.facets) {
            all.push_back(std::move(f));
        }
        if (!list.more) {
            return all;
        }
        after = all.back().value;
    }
    FAIL("the list never ends");
    return all;
}

std::vector<std::string> values(const std::vector<store::Facet>& facets) {
    std::vector<std::string> out;
    for (const auto& f : facets) {
        out.push_back(f.value);
    }
    return out;
}

std::string eprint(int id) {
    return "oai:eprints.oailab.local:" + std::to_string(id);
}

std::string mods_titled(const std::string& title) {
    return "<mods:mods xmlns:mods=\"http://www.loc.gov/mods/v3\"><mods:titleInfo><mods:title>" +
           title + "</mods:title></mods:titleInfo></mods:mods>";
}

}  // namespace

TEST_CASE("The endpoints are listed with the identifiers each holds", "[web][browse]") {
    test::WebMirror m;
    const auto endpoints = store::endpoint_summaries(m.store());
    REQUIRE(endpoints.size() == 2);
    CHECK(endpoints[0].name == "eprints");
    CHECK(endpoints[0].base_url == "http://127.0.0.1:18180/cgi/oai2");
    CHECK(endpoints[0].records == 258);  // 253 live, 5 deleted; 100 of them in oai_dc too
    CHECK(endpoints[1].name == "hostile");
    CHECK(endpoints[1].records == 2);
    CHECK(store::endpoint_summary(m.store(), "hostile")->records == 2);
    CHECK_FALSE(store::endpoint_summary(m.store(), "nowhere"));
}

TEST_CASE("An endpoint's records page by page are each live record once, by identifier",
          "[web][browse]") {
    test::WebMirror m;
    for (int limit : {20, 7, 1000}) {
        INFO("limit " << limit);
        const auto all = walk(m.store(), "eprints", {}, limit);
        CHECK(all.size() == 253);
        std::set<std::string> seen;
        for (std::size_t i = 0; i < all.size(); ++i) {
            CHECK(seen.insert(all[i].identifier).second);
            CHECK(all[i].title);
            if (i > 0) {
                CHECK(all[i - 1].identifier < all[i].identifier);
            }
        }
        for (int deleted : {13, 57, 101, 199, 250}) {
            CHECK_FALSE(seen.contains(eprint(deleted)));
        }
    }
    const auto first = store::browse_records(m.store(), "eprints", {}, {}, 2);
    REQUIRE(first.records.size() == 2);
    CHECK(first.more);
    CHECK(first.records[0].identifier == eprint(1));
    CHECK(first.records[0].year == 2026);
    CHECK(first.records[0].names == std::vector<std::string>{"Nazarova, Feruza"});
    CHECK(first.records[1].identifier == eprint(10));
}

TEST_CASE("A cursor past the end, an unknown endpoint and a zero limit give no records",
          "[web][browse]") {
    test::WebMirror m;
    store::RecordCursor end;
    end.identifier = "zzz";
    CHECK(store::browse_records(m.store(), "eprints", {}, end, 20).records.empty());
    CHECK(store::browse_records(m.store(), "nowhere", {}, {}, 20).records.empty());
    CHECK(store::browse_records(m.store(), "eprints", {}, {}, 0).records.empty());
}

TEST_CASE("A record is listed by its newest copy, and not while that copy is deleted",
          "[web][browse]") {
    test::StoreFixture f;
    auto mods = f.db->scope(f.endpoint.id, "mods", "");
    auto put = [&](store::ScopeState& into, const oai::Record& record) {
        auto page = f.db->begin_page(f.run, into);
        harvest::put(page, record);
        page.commit(into, store::PageEnd{std::nullopt, "2026-06-01T00:00:00Z"}, {});
    };
    // oai:x:1 changed since its mets copy was harvested; oai:x:2's two copies are equally new;
    // oai:x:3 was deleted after its mets copy was harvested.
    put(f.scope, test::live_record("oai:x:1", mods_titled("Old"), "2026-01-01T00:00:00Z"));
    put(mods, test::live_record("oai:x:1", mods_titled("New"), "2026-03-01T00:00:00Z"));
    put(f.scope, test::live_record("oai:x:2", mods_titled("Two"), "2026-01-01"));
    put(mods, test::live_record("oai:x:2", mods_titled("Two"), "2026-01-01T00:00:00Z"));
    put(f.scope, test::live_record("oai:x:3", mods_titled("Three"), "2026-01-01T00:00:00Z"));
    put(mods, test::deleted_record("oai:x:3", "2026-02-01T00:00:00Z"));
    const auto all = walk(*f.db, "sample", {}, 20);
    REQUIRE(all.size() == 2);
    CHECK(all[0].identifier == "oai:x:1");
    CHECK(all[0].title == "New");
    CHECK(all[1].identifier == "oai:x:2");
    // None has a date issued: they are the list of the year unknown, the same two.
    CHECK(store::has_undated(*f.db, "sample"));
    CHECK(store::years(*f.db, "sample", std::nullopt, 10).facets.empty());
    RecordFilter undated{RecordFilter::By::year, {}, std::nullopt};
    const auto by_year = walk(*f.db, "sample", undated, 1);
    REQUIRE(by_year.size() == 2);
    // In the order their shown copies were stored: oai:x:1's mods copy before oai:x:2's mets.
    CHECK(by_year[0].title == "New");
    CHECK(by_year[1].title == "Two");
}

TEST_CASE("A set's records are those with its setSpec, as many as the set list counts",
          "[web][browse]") {
    test::WebMirror m;
    const auto sets = walk_facets(
        [&](const std::string& after) { return store::sets(m.store(), "eprints", after, 5); });
    const auto whole = store::sets(m.store(), "eprints", "", 1000);
    CHECK_FALSE(whole.more);
    CHECK(values(sets) == values(whole.facets));
    CHECK(sets.size() == 31);  // the distinct setSpecs of the live records
    for (const auto& set : sets) {
        INFO(set.value);
        RecordFilter filter{RecordFilter::By::set, set.value, std::nullopt};
        CHECK(static_cast<std::int64_t>(walk(m.store(), "eprints", filter, 20).size()) ==
              set.records.value());
    }
    RecordFilter none{RecordFilter::By::set, "no such set", std::nullopt};
    CHECK(walk(m.store(), "eprints", none, 20).empty());
}

TEST_CASE("The years, each with records, and the records without one hold every live record once",
          "[web][browse]") {
    test::WebMirror m;
    std::vector<store::Facet> years;
    std::optional<std::int64_t> before;
    while (true) {
        auto page = store::years(m.store(), "eprints", before, 4);
        years.insert(years.end(), page.facets.begin(), page.facets.end());
        if (!page.more) {
            break;
        }
        before = std::stoll(years.back().value);
    }
    REQUIRE(years.size() == 15);
    CHECK(years.front().value == "2026");
    CHECK(years.back().value == "2012");
    std::set<std::string> seen;
    for (const auto& year : years) {
        INFO(year.value);
        CHECK_FALSE(year.records);  // not counted
        RecordFilter filter{RecordFilter::By::year, {}, std::stoll(year.value)};
        const auto records = walk(m.store(), "eprints", filter, 6);
        CHECK_FALSE(records.empty());
        for (std::size_t i = 0; i < records.size(); ++i) {
            CHECK(records[i].year == std::stoll(year.value));
            CHECK(seen.insert(records[i].identifier).second);
            if (i > 0) {
                CHECK(records[i - 1].key < records[i].key);
            }
        }
    }
    CHECK_FALSE(store::has_undated(m.store(), "eprints"));
    CHECK(seen.size() == 253);
    // The hostile endpoint's years are its own: 2024 and 1999, not the EPrints ones.
    CHECK(values(store::years(m.store(), "hostile", std::nullopt, 10).facets) ==
          std::vector<std::string>{"2024", "1999"});
    CHECK(store::years(m.store(), "eprints", 2012, 10).facets.empty());
}

TEST_CASE("Authors are family names, else display forms, each with its records", "[web][browse]") {
    test::WebMirror m;
    const auto hostile = store::authors(m.store(), "hostile", "", 100);
    CHECK(values(hostile.facets) ==
          std::vector<std::string>{test::k_hostile_family, "UNESCO", "Ўринбоев"});
    RecordFilter unesco{RecordFilter::By::author, "UNESCO", std::nullopt};
    const auto by_unesco = walk(m.store(), "hostile", unesco, 20);
    REQUIRE(by_unesco.size() == 1);
    CHECK(by_unesco[0].title == test::k_cyrillic_title);

    const auto all = walk_facets([&](const std::string& after) {
        return store::authors(m.store(), "eprints", after, 1000);
    });
    const auto paged = walk_facets(
        [&](const std::string& after) { return store::authors(m.store(), "eprints", after, 3); });
    CHECK(values(paged) == values(all));
    const auto nazarova =
        std::find_if(all.begin(), all.end(), [](const auto& f) { return f.value == "Назарова"; });
    REQUIRE(nazarova != all.end());
    RecordFilter filter{RecordFilter::By::author, "Назарова", std::nullopt};
    const auto records = walk(m.store(), "eprints", filter, 5);
    CHECK(static_cast<std::int64_t>(records.size()) == nazarova->records.value());
    CHECK(records.front().identifier == eprint(2));
}
