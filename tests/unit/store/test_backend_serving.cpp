// What `oaiharvest serve` reads (served.hpp, browse.hpp, scope_metrics.hpp) on both backends:
// the same mirror, filled alike on SQLite and on PostgreSQL, gives the same lists, records,
// facets and figures, in the same order (issue 18). SQLite's answers are the reference; each
// check also asserts that they hold something, so that two empty answers do not pass.

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "harvest/normalize.hpp"
#include "oai/reader.hpp"
#include "store/browse.hpp"
#include "store/scope_metrics.hpp"
#include "store/served.hpp"
#include "support/backend_fixture.hpp"
#include "support/fixture_records.hpp"
#include "support/fixtures.hpp"

using namespace oaiharvest;
using store::Content;
using store::RecordFilter;
using test::live_record;

namespace {

std::string mods_record(const std::string& title, const std::string& names,
                        const std::string& year) {
    return "<mods:mods xmlns:mods=\"http://www.loc.gov/mods/v3\"><mods:titleInfo><mods:title>" +
           title + "</mods:title></mods:titleInfo>" + names +
           (year.empty() ? ""
                         : "<mods:originInfo><mods:dateIssued>" + year +
                               "</mods:dateIssued></mods:originInfo>") +
           "</mods:mods>";
}

std::string person(const std::string& family, const std::string& given) {
    return "<mods:name type=\"personal\"><mods:namePart type=\"family\">" + family +
           "</mods:namePart><mods:namePart type=\"given\">" + given +
           "</mods:namePart></mods:name>";
}

std::string corporate(const std::string& name) {
    return "<mods:name type=\"corporate\"><mods:namePart>" + name + "</mods:namePart></mods:name>";
}

void put(store::Store& db, const store::EndpointFacts& endpoint, const std::string& prefix,
         const std::vector<oai::Record>& records) {
    auto scope = db.scope(endpoint.id, prefix, "");
    const auto run = db.begin_run(scope, util::now_utc(), std::nullopt, std::nullopt, false);
    auto page = db.begin_page(run, scope);
    for (const auto& record : records) {
        harvest::put(page, record);
    }
    page.commit(scope, store::PageEnd{std::nullopt, "2026-06-01T00:00:00Z"}, {});
    db.finish_run(run, store::Outcome::ok, util::now_utc(), {}, std::nullopt);
}

// The mirror both backends hold: the EPrints fixture's records in mets and (the first page) in
// oai_dc; records whose copies tie or differ in datestamp across formats, in day and seconds
// granularity, and one whose datestamp is no date; hierarchical sets; names with and without a
// family part, Cyrillic among them; records without a year; a deleted current copy; and an
// identifier that a later endpoint holds too. Times that a harvest takes from the clock are set to
// fixed ones, so that both mirrors hold the same values.
struct ServedMirror {
    explicit ServedMirror(test::Backend which) : raw(which) {
        {
            auto mirror = store::Store::open(raw.database());
            auto eprints = mirror->endpoint("eprints", "http://127.0.0.1:1/oai");
            for (const char* page : {"page1", "page2", "page3_last"}) {
                put(*mirror, eprints, "mets",
                    test::response_records(std::string("eprints-3.4/ListRecords_mets_") + page +
                                           ".xml"));
            }
            put(*mirror, eprints, "oai_dc",
                test::response_records("eprints-3.4/ListRecords_oai_dc_page1.xml"));

            auto local = mirror->endpoint("local", "http://127.0.0.1:2/oai");
            const std::string unesco = corporate("UNESCO");
            put(*mirror, local, "mods",
                {live_record("oai:l:1",
                             mods_record("One", person("Ўринбоев", "Азиз") + unesco, "1999"),
                             "2026-01-05", {"a", "a:b"}),
                 live_record("oai:l:2",
                             mods_record("Two", person("Adams", "Ann") + person("Zed", "Z"), ""),
                             "2026-01-05T00:00:00Z", {"a:b:c"}),
                 live_record("oai:l:3",
                             mods_record("Three", unesco + person("UNESCO", "U"), "2001"),
                             "2026-01-06T10:00:00Z", {"ab"}),
                 live_record("oai:l:4", mods_record("Four", person("Adams", "Bea"), "2001"),
                             "2026-01-07T00:00:00Z", {"b"}),
                 live_record("oai:l:5", mods_record("Five", "", "2024"), "2026-01-08T00:00:00Z"),
                 live_record("oai:l:6", mods_record("Six", person("Baker", "B"), ""), "9999-99-99"),
                 live_record("oai:l:7", mods_record("Seven", "", ""), "2026-01-11T00:00:00Z")});
            put(*mirror, local, "oai_dc",
                {live_record(
                     "oai:l:1",
                     "<oai_dc:dc xmlns:oai_dc=\"http://www.openarchives.org/OAI/2.0/oai_dc/\" "
                     "xmlns:dc=\"http://purl.org/dc/elements/1.1/\"><dc:title>One in "
                     "DC</dc:title></oai_dc:dc>",
                     "2026-01-05T00:00:00Z", {"a"}),
                 live_record(
                     "oai:l:2",
                     "<oai_dc:dc xmlns:oai_dc=\"http://www.openarchives.org/OAI/2.0/oai_dc/\" "
                     "xmlns:dc=\"http://purl.org/dc/elements/1.1/\"><dc:title>Two "
                     "newer</dc:title></oai_dc:dc>",
                     "2026-02-01T00:00:00Z", {"a:b:c"}),
                 test::deleted_record("oai:l:4", "2026-03-01T00:00:00Z"),
                 live_record(
                     "oai:l:5",
                     "<oai_dc:dc xmlns:oai_dc=\"http://www.openarchives.org/OAI/2.0/oai_dc/\" "
                     "xmlns:dc=\"http://purl.org/dc/elements/1.1/\"><dc:title>Five "
                     "old</dc:title></oai_dc:dc>",
                     "2025-12-31", {}),
                 live_record("oai:l:6", mods_record("Six in DC", "", ""), "2026-01-10T00:00:00Z"),
                 live_record("oai:l:7", mods_record("Seven in DC", "", ""),
                             "2026-01-11T00:00:00Z")});
            auto later = mirror->endpoint("later", "http://127.0.0.1:3/oai");
            put(*mirror, later, "mods",
                {live_record("oai:l:3", mods_record("Three elsewhere", "", "2002"),
                             "2026-01-09T00:00:00Z"),
                 live_record("oai:later:1", mods_record("Later", person("Adams", "C"), "2002"),
                             "2026-01-09T00:00:00Z", {"a"})});
        }
        // Many rows share a last_changed, so that lists order them by row id.
        raw.exec(
            "UPDATE records SET last_changed = '2026-04-0' || (id % 7 + 1) || 'T00:00:00Z', "
            "first_seen = '2026-04-01T00:00:00Z', last_seen = '2026-04-01T00:00:00Z'");
        raw.exec(
            "UPDATE harvest_runs SET started_at = '2026-04-01T00:00:00Z', finished_at = "
            "'2026-04-01T00:00:0' || (id % 10) || 'Z'");
        raw.close();
        db = store::Store::open_read_only(raw.database());
    }
    test::EmptyDatabase raw;
    std::unique_ptr<store::Store> db;
};

std::string shown(const store::ServedCopy& c) {
    std::string sets;
    for (const auto& s : c.sets) {
        sets += s + ",";
    }
    return std::to_string(c.row_id) + " " + c.endpoint + " " + c.identifier + " " +
           c.metadata_prefix + " " + c.last_changed + (c.deleted ? " deleted" : "") +
           (c.current ? " current" : "") + " [" + sets + "] " +
           (c.metadata ? "xml:" + *c.metadata : "-") + " " + (c.json ? "json:" + *c.json : "-");
}

// Every copy of the selection, page by page as the provider follows a list.
std::vector<std::string> walk_served(store::Store& db, const store::Selection& selection, int limit,
                                     Content content) {
    std::vector<std::string> out;
    store::ServedPosition position;
    for (int pages = 0; pages < 1000; ++pages) {
        auto page = store::served_page(db, selection, position, limit, content);
        for (const auto& c : page) {
            out.push_back(shown(c));
        }
        if (static_cast<int>(page.size()) < limit) {
            return out;
        }
        position = {page.back().last_changed, page.back().row_id};
    }
    FAIL("the list never ends");
    return out;
}

std::string shown(const store::RecordSummary& r) {
    std::string names;
    for (const auto& n : r.names) {
        names += n + ";";
    }
    return std::to_string(r.key) + " " + r.identifier + " " + r.datestamp + " " +
           (r.year ? std::to_string(*r.year) : "-") + " " + r.title.value_or("-") + " " + names;
}

std::vector<std::string> walk_records(store::Store& db, const std::string& endpoint,
                                      const RecordFilter& filter, int limit) {
    std::vector<std::string> out;
    store::RecordCursor after;
    for (int pages = 0; pages < 1000; ++pages) {
        auto list = store::browse_records(db, endpoint, filter, after, limit);
        for (const auto& r : list.records) {
            out.push_back(shown(r));
        }
        if (!list.more) {
            return out;
        }
        REQUIRE_FALSE(list.records.empty());
        after.identifier = list.records.back().identifier;
        after.key = list.records.back().key;
    }
    FAIL("the list never ends");
    return out;
}

template <typename Next>
std::vector<std::string> walk_facets(Next next) {
    std::vector<std::string> out;
    std::string after;
    for (int pages = 0; pages < 1000; ++pages) {
        auto list = next(after);
        for (const auto& f : list.facets) {
            out.push_back(f.value + " " + (f.records ? std::to_string(*f.records) : "-"));
        }
        if (!list.more) {
            return out;
        }
        REQUIRE_FALSE(list.facets.empty());
        after = list.facets.back().value;
    }
    FAIL("the list never ends");
    return out;
}

std::string first_word(const std::string& s) {
    return s.substr(0, s.find(' '));
}

}  // namespace

TEST_CASE(
    "A PostgreSQL mirror serves OAI-PMH lists, records and formats as the same SQLite mirror does",
    "[store][postgres][serve]") {
    ServedMirror sqlite(test::Backend::sqlite);
    ServedMirror pg(test::Backend::postgres);
    auto& a = *sqlite.db;
    auto& b = *pg.db;

    CHECK(store::served_endpoints(b).size() == 3);
    for (std::size_t i = 0; i < store::served_endpoints(a).size(); ++i) {
        CHECK(store::served_endpoints(b).at(i).name == store::served_endpoints(a).at(i).name);
        CHECK(store::served_endpoints(b).at(i).repository_name ==
              store::served_endpoints(a).at(i).repository_name);
    }
    const auto prefixes = store::served_prefixes(a);
    CHECK(prefixes == std::vector<std::string>{"mets", "mods", "oai_dc"});
    CHECK(store::served_prefixes(b) == prefixes);
    for (const auto& prefix : prefixes) {
        INFO(prefix);
        CHECK(store::sample_metadata(a, prefix).has_value());
        CHECK(store::sample_metadata(b, prefix) == store::sample_metadata(a, prefix));
    }
    CHECK(store::earliest_change(a) == std::optional<std::string>("2026-04-01T00:00:00Z"));
    CHECK(store::earliest_change(b) == store::earliest_change(a));
    for (const char* endpoint : {"eprints", "local", "later", "none"}) {
        INFO(endpoint);
        CHECK(store::served_set_specs(b, endpoint) == store::served_set_specs(a, endpoint));
    }
    CHECK(store::served_set_specs(a, "local") ==
          std::vector<std::string>{"a", "a:b", "a:b:c", "ab", "b"});

    std::vector<std::optional<std::string>> sets{std::nullopt, "a", "a:b", "b", "none"};
    for (const auto& s : store::served_set_specs(a, "eprints")) {
        sets.push_back(s);
    }
    for (const std::optional<std::string>& prefix :
         {std::optional<std::string>{}, std::optional<std::string>("mets"),
          std::optional<std::string>("oai_dc"), std::optional<std::string>("mods")}) {
        for (const std::optional<std::string>& endpoint :
             {std::optional<std::string>{}, std::optional<std::string>("eprints"),
              std::optional<std::string>("local"), std::optional<std::string>("later")}) {
            for (const auto& set : sets) {
                for (const auto& [from, until] :
                     std::vector<std::pair<std::optional<std::string>, std::string>>{
                         {std::nullopt, "9999-12-31T23:59:59Z"},
                         {"2026-04-03T00:00:00Z", "2026-04-05T00:00:00Z"}}) {
                    const store::Selection selection{prefix, endpoint, set, from, until};
                    INFO(prefix.value_or("current")
                         << " " << endpoint.value_or("all") << " " << set.value_or("-") << " "
                         << from.value_or("-"));
                    const auto count = store::served_count(a, selection);
                    CHECK(store::served_count(b, selection) == count);
                    const auto headers = walk_served(a, selection, 40, Content::headers);
                    CHECK(static_cast<std::int64_t>(headers.size()) == count);
                    CHECK(walk_served(b, selection, 40, Content::headers) == headers);
                }
            }
        }
    }
    const store::Selection everything{std::nullopt, std::nullopt, std::nullopt, std::nullopt,
                                      "9999-12-31T23:59:59Z"};
    const auto records = walk_served(a, everything, 7, Content::records);
    CHECK(records.size() > 250);
    CHECK(walk_served(b, everything, 7, Content::records) == records);
    const store::Selection mets{"mets", std::nullopt, std::nullopt, std::nullopt,
                                "9999-12-31T23:59:59Z"};
    CHECK(walk_served(b, mets, 1000, Content::records) ==
          walk_served(a, mets, 1000, Content::records));

    std::vector<std::string> identifiers{"oai:l:1", "oai:l:2", "oai:l:3",     "oai:l:4", "oai:l:5",
                                         "oai:l:6", "oai:l:7", "oai:later:1", "oai:none"};
    for (const auto& line : walk_served(a, everything, 1000, Content::headers)) {
        identifiers.push_back(line.substr(line.find(' ', line.find(' ') + 1) + 1));
        identifiers.back() = first_word(identifiers.back());
    }
    for (const auto& identifier : identifiers) {
        INFO(identifier);
        std::vector<std::string> copies_a;
        std::vector<std::string> copies_b;
        for (const auto& c : store::served_record(a, identifier)) {
            copies_a.push_back(shown(c));
        }
        for (const auto& c : store::served_record(b, identifier)) {
            copies_b.push_back(shown(c));
        }
        CHECK(copies_b == copies_a);
    }
    CHECK(store::served_record(a, "oai:l:3").at(0).endpoint == "local");
}

TEST_CASE(
    "A PostgreSQL mirror lists endpoints, records, sets, years and authors for the web pages as "
    "the same SQLite mirror does",
    "[store][postgres][serve]") {
    ServedMirror sqlite(test::Backend::sqlite);
    ServedMirror pg(test::Backend::postgres);
    auto& a = *sqlite.db;
    auto& b = *pg.db;

    const auto summaries = store::endpoint_summaries(a);
    REQUIRE(summaries.size() == 3);
    const auto other = store::endpoint_summaries(b);
    REQUIRE(other.size() == 3);
    for (std::size_t i = 0; i < summaries.size(); ++i) {
        CHECK(other[i].name == summaries[i].name);
        CHECK(other[i].base_url == summaries[i].base_url);
        CHECK(other[i].repository_name == summaries[i].repository_name);
        CHECK(other[i].records == summaries[i].records);
        const auto one = store::endpoint_summary(b, summaries[i].name);
        REQUIRE(one);
        CHECK(one->records == summaries[i].records);
    }
    CHECK_FALSE(store::endpoint_summary(b, "none"));

    for (const char* endpoint : {"eprints", "local", "later", "none"}) {
        INFO(endpoint);
        for (int limit : {2, 1000}) {
            INFO("limit " << limit);
            const auto sets = walk_facets(
                [&](const std::string& after) { return store::sets(a, endpoint, after, limit); });
            CHECK(walk_facets([&](const std::string& after) {
                      return store::sets(b, endpoint, after, limit);
                  }) == sets);
            const auto authors = walk_facets([&](const std::string& after) {
                return store::authors(a, endpoint, after, limit);
            });
            CHECK(walk_facets([&](const std::string& after) {
                      return store::authors(b, endpoint, after, limit);
                  }) == authors);
            const auto years = walk_facets([&](const std::string& after) {
                const auto before = after.empty() ? std::nullopt : std::optional(std::stoll(after));
                return store::years(a, endpoint, before, limit);
            });
            CHECK(walk_facets([&](const std::string& after) {
                      const auto before =
                          after.empty() ? std::nullopt : std::optional(std::stoll(after));
                      return store::years(b, endpoint, before, limit);
                  }) == years);
            CHECK(store::has_undated(b, endpoint) == store::has_undated(a, endpoint));

            std::vector<RecordFilter> filters{{RecordFilter::By::all, "", std::nullopt},
                                              {RecordFilter::By::year, "", std::nullopt},
                                              {RecordFilter::By::set, "none", std::nullopt},
                                              {RecordFilter::By::author, "none", std::nullopt}};
            for (const auto& s : sets) {
                filters.push_back({RecordFilter::By::set, first_word(s), std::nullopt});
            }
            for (const auto& y : years) {
                filters.push_back({RecordFilter::By::year, "", std::stoll(first_word(y))});
            }
            for (const auto& au : authors) {
                filters.push_back(
                    {RecordFilter::By::author, au.substr(0, au.rfind(' ')), std::nullopt});
            }
            for (const auto& filter : filters) {
                INFO("by " << static_cast<int>(filter.by) << " " << filter.value << " "
                           << filter.year.value_or(0));
                CHECK(walk_records(b, endpoint, filter, limit) ==
                      walk_records(a, endpoint, filter, limit));
            }
            if (std::string(endpoint) == "local") {
                CHECK(sets == std::vector<std::string>{"a 1", "a:b 1", "a:b:c 1", "ab 1"});
                CHECK(authors == std::vector<std::string>{"Baker 1", "UNESCO 3", "Ўринбоев 1"});
                CHECK(years == std::vector<std::string>{"2024 -", "2001 -", "1999 -"});
                CHECK(store::has_undated(a, endpoint));
            }
            if (std::string(endpoint) == "eprints") {
                CHECK(walk_records(a, endpoint, filters.front(), limit).size() > 200);
                CHECK(sets.size() > 3);
                CHECK(authors.size() > 20);
                CHECK(years.size() > 3);
            }
        }
    }
}

TEST_CASE("A PostgreSQL mirror gives the metrics of its scopes as the same SQLite mirror does",
          "[store][postgres][serve]") {
    ServedMirror sqlite(test::Backend::sqlite);
    ServedMirror pg(test::Backend::postgres);
    const auto a = store::scope_metrics(*sqlite.db);
    const auto b = store::scope_metrics(*pg.db);
    REQUIRE(a.size() == 5);
    REQUIRE(b.size() == a.size());
    for (std::size_t i = 0; i < a.size(); ++i) {
        INFO(a[i].endpoint << " " << a[i].metadata_prefix);
        CHECK(b[i].endpoint == a[i].endpoint);
        CHECK(b[i].metadata_prefix == a[i].metadata_prefix);
        CHECK(b[i].set_spec == a[i].set_spec);
        CHECK(b[i].records == a[i].records);
        CHECK(b[i].deleted == a[i].deleted);
        CHECK(b[i].last_success == a[i].last_success);
        CHECK(a[i].last_success.has_value());
        CHECK(b[i].failures_since_success == a[i].failures_since_success);
        CHECK(b[i].pages == a[i].pages);
        CHECK(b[i].last_run_duration == a[i].last_run_duration);
        REQUIRE(b[i].runs.size() == a[i].runs.size());
        for (std::size_t r = 0; r < a[i].runs.size(); ++r) {
            CHECK(b[i].runs[r].kind == a[i].runs[r].kind);
            CHECK(b[i].runs[r].outcome == a[i].runs[r].outcome);
            CHECK(b[i].runs[r].runs == a[i].runs[r].runs);
        }
    }
}
