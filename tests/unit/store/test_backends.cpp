// What the store promises whichever database holds the mirror (issue 18): each test runs once
// on SQLite and once on PostgreSQL (support/backend_fixture.hpp), with the same expectations.

#include <algorithm>
#include <atomic>
#include <catch2/catch.hpp>
#include <future>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "harvest/normalize.hpp"
#include "store/queries.hpp"
#include "store/store.hpp"
#include "support/backend_fixture.hpp"

using namespace oaiharvest;
using oaiharvest::test::deleted_record;
using oaiharvest::test::live_record;

namespace {

const store::PageEnd k_last{std::nullopt, "2026-01-01T00:00:00Z", std::nullopt, std::nullopt};

store::PageEnd more(const std::string& token) {
    return {store::ListPosition{token, std::nullopt, std::nullopt}, "2026-01-01T00:00:00Z",
            std::nullopt, std::nullopt};
}

// A MODS record of what search reads.
struct Mods {
    std::string title;
    std::string subtitle;
    std::vector<std::pair<std::string, std::string>> names;  // family, given
    std::string abstract;
    std::vector<std::string> subjects;
    std::string issued;
};
std::string mods(const Mods& m) {
    std::string xml =
        "<mods:mods xmlns:mods=\"http://www.loc.gov/mods/v3\"><mods:titleInfo><mods:title>" +
        m.title + "</mods:title>";
    if (!m.subtitle.empty()) {
        xml += "<mods:subTitle>" + m.subtitle + "</mods:subTitle>";
    }
    xml += "</mods:titleInfo>";
    for (const auto& [family, given] : m.names) {
        xml += "<mods:name type=\"personal\"><mods:namePart type=\"family\">" + family +
               "</mods:namePart><mods:namePart type=\"given\">" + given +
               "</mods:namePart></mods:name>";
    }
    if (!m.abstract.empty()) {
        xml += "<mods:abstract>" + m.abstract + "</mods:abstract>";
    }
    for (const auto& subject : m.subjects) {
        xml += "<mods:subject><mods:topic>" + subject + "</mods:topic></mods:subject>";
    }
    if (!m.issued.empty()) {
        xml += "<mods:originInfo><mods:dateIssued>" + m.issued +
               "</mods:dateIssued></mods:originInfo>";
    }
    return xml + "</mods:mods>";
}
std::string mods(const std::string& title) {
    return mods(Mods{.title = title});
}

struct Fixture : test::BackendFixture {
    using BackendFixture::BackendFixture;

    store::PageCounts put(const std::vector<oai::Record>& records, store::ScopeState& into,
                          store::RunId in_run) {
        auto page = db->begin_page(in_run, into);
        for (const auto& record : records) {
            harvest::put(page, record);
        }
        page.commit(into, k_last, {});
        return page.counts();
    }
    store::PageCounts put(const std::vector<oai::Record>& records) {
        return put(records, scope, run);
    }
};

// A copy that must be normalized when written, and whose normalizer throws: a page that fails
// half-way through its writes.
store::RecordCopy failing_copy(const std::string& identifier) {
    return harvest::copy_of(live_record(identifier, "<a>fails</a>"));
}
void failing_normalizer(store::RecordCopy& /*copy*/, const std::string& /*endpoint*/,
                        const std::string& /*prefix*/) {
    throw std::runtime_error("injected failure while writing");
}

// A record's copies as "endpoint/identifier/prefix", with " deleted" for a deleted one.
std::vector<std::string> names_of(const std::vector<store::StoredRecord>& records) {
    std::vector<std::string> out;
    for (const auto& r : records) {
        out.push_back(r.endpoint + "/" + r.identifier + "/" + r.metadata_prefix +
                      (r.deleted ? " deleted" : ""));
    }
    return out;
}

}  // namespace

TEST_CASE("A page's records and the scope's next token are committed together or not at all",
          "[store][backends]") {
    auto backend = GENERATE(test::Backend::sqlite, test::Backend::postgres);
    INFO(test::name_of(backend));
    Fixture f(backend);
    {
        auto page = f.db->begin_page(f.run, f.scope);
        harvest::put(page, live_record("oai:x:1", "<a>one</a>"));
        // Destroyed without commit: as if the process died here.
    }
    CHECK(test::all_records(*f.db).empty());
    CHECK_FALSE(f.db->scope(f.endpoint.id, "mets", "").pending_token);
    CHECK_FALSE(f.db->has_unfinished_list(f.endpoint.id));

    auto page = f.db->begin_page(f.run, f.scope);
    harvest::put(page, live_record("oai:x:1", "<a>one</a>"));
    harvest::put(page, live_record("oai:x:2", "<a>two</a>"));
    page.commit(f.scope, more("token-2"), {});
    CHECK(f.scope.pending_token == "token-2");

    // What the next process sees: both the records and the token to resume from.
    auto later = f.reopen();
    CHECK(later->scope(f.endpoint.id, "mets", "").pending_token == "token-2");
    CHECK(later->has_unfinished_list(f.endpoint.id));
    CHECK(test::all_records(*later).size() == 2);
    auto reader = f.reopen_read_only();
    CHECK(test::all_records(*reader).size() == 2);
    const auto status = store::scope_status(*reader, {});
    REQUIRE(status.size() == 1);
    CHECK(status[0].pending_token == "token-2");
    CHECK(status[0].records == 2);
    REQUIRE(status[0].last_run);
    CHECK(status[0].last_run->pages == 1);
    CHECK(status[0].last_run->records_new == 2);
}

TEST_CASE("A page whose writing throws half-way leaves nothing of it, and the next page commits",
          "[store][backends]") {
    auto backend = GENERATE(test::Backend::sqlite, test::Backend::postgres);
    INFO(test::name_of(backend));
    Fixture f(backend);
    f.put({live_record("oai:x:0", "<a>before</a>")});
    const store::ScopeState before = f.scope;
    SECTION("held until the commit") {
        auto page = f.db->begin_page(f.run, f.scope);
        harvest::put(page, live_record("oai:x:1", "<a>one</a>"));
        page.put(failing_copy("oai:x:2"), failing_normalizer);
        CHECK_THROWS_WITH(page.commit(f.scope, more("token-2"), {}),
                          Catch::Contains("injected failure while writing"));
    }
    SECTION("written through, a page too big to hold") {
        const std::string xml = "<p>" + std::string(64 * 1024, 'x') + "</p>";
        auto page = f.db->begin_page(f.run, f.scope);
        bool writing_through = false;
        page.before_write_through([&] { writing_through = true; });
        for (std::size_t i = 0; !writing_through; ++i) {
            harvest::put(page, live_record("oai:big:" + std::to_string(i), xml));
        }
        CHECK_THROWS_WITH(page.put(failing_copy("oai:x:2"), failing_normalizer),
                          Catch::Contains("injected failure while writing"));
        // Destroyed without commit.
    }
    CHECK(f.scope.pending_token == before.pending_token);
    CHECK(f.scope.list_pages == before.list_pages);
    CHECK(names_of(test::all_records(*f.reopen_read_only())) ==
          std::vector<std::string>{"sample/oai:x:0/mets"});
    CHECK_FALSE(f.reopen()->scope(f.endpoint.id, "mets", "").pending_token);

    // Nothing is left open on the connection: the next page commits.
    f.put({live_record("oai:x:1", "<a>one</a>")});
    CHECK(test::all_records(*f.reopen_read_only()).size() == 2);
}

TEST_CASE("Records harvested again unchanged are counted unchanged, in the page and the run",
          "[store][backends]") {
    auto backend = GENERATE(test::Backend::sqlite, test::Backend::postgres);
    INFO(test::name_of(backend));
    Fixture f(backend);
    const std::vector<oai::Record> page{
        live_record("oai:x:1", "<a>one</a>", "2026-01-01T00:00:00Z", {"b", "a"}),
        deleted_record("oai:x:2", "2026-01-02T00:00:00Z"),
        live_record("oai:x:3", "", "2026-01-03T00:00:00Z")};
    auto first = f.put(page);
    CHECK(first.records_new == 1);
    CHECK(first.records_deleted == 1);
    CHECK(first.records_kept_metadata == 1);
    auto second = f.put(page);
    CHECK(second.records_unchanged == 3);
    CHECK(second.records_new + second.records_updated + second.records_deleted +
              second.records_stale + second.records_kept_metadata ==
          0);
    const auto status = store::scope_status(*f.db, {"sample"});
    REQUIRE(status.size() == 1);
    REQUIRE(status[0].last_run);
    CHECK(status[0].last_run->pages == 2);
    CHECK(status[0].last_run->records_new == 1);
    CHECK(status[0].last_run->records_unchanged == 3);
    CHECK(status[0].last_run->records_deleted == 1);
    CHECK(status[0].last_run->records_kept_metadata == 1);
}

namespace {

// A mirror of two endpoints, the first in two formats: records live, deleted, withdrawn, one
// changed in the other format since, one in a set.
struct MirrorFixture : Fixture {
    explicit MirrorFixture(test::Backend which) : Fixture(which) {
        put({live_record("oai:x:1", "<a>mets 1</a>", "2026-01-01T00:00:00Z", {"s1"}),
             live_record("oai:x:2", "<a>mets 2</a>", "2026-01-01T00:00:00Z"),
             deleted_record("oai:x:3", "2026-01-02T00:00:00Z"),
             live_record("oai:x:5", "", "2026-01-03T00:00:00Z", {"s1"})});
        // oai_dc holds a newer copy of x:1: the mets one is no longer current.
        put({live_record("oai:x:1", "<a>dc 1</a>", "2026-02-01T00:00:00Z"),
             live_record("oai:x:4", "<a>dc 4</a>", "2026-01-01T00:00:00Z")},
            dc, dc_run);
        put({live_record("oai:y:1", "<a>other y</a>", "2026-01-01T00:00:00Z"),
             live_record("oai:x:1", "<a>other 1</a>", "2026-01-01T00:00:00Z")},
            other_scope, other_run);
        // x:2 changed long ago, for --since.
        exec(
            "UPDATE records SET last_changed = '2020-01-01T00:00:00Z' WHERE identifier = "
            "'oai:x:2'");
    }
    std::vector<std::string> exported(const store::ExportFilter& filter) {
        std::vector<store::StoredRecord> out;
        store::for_each_record(*db, filter,
                               [&](const store::StoredRecord& r) { out.push_back(r); });
        if (!filter.raw) {
            // The JSON alone: the record's names are read out of it.
            std::vector<std::string> names;
            for (const auto& r : out) {
                const auto json = nlohmann::json::parse(r.json);
                names.push_back(json.at("identifier").get<std::string>());
            }
            return names;
        }
        return names_of(out);
    }

    store::ScopeState dc = db->scope(endpoint.id, "oai_dc", "");
    store::RunId dc_run = db->begin_run(dc, util::now_utc(), std::nullopt, std::nullopt, false);
    store::ScopeState in_set = db->scope(endpoint.id, "mets", "s1");
    store::EndpointFacts other = db->endpoint("other", "http://127.0.0.1:2/oai");
    store::ScopeState other_scope = db->scope(other.id, "mets", "");
    store::RunId other_run =
        db->begin_run(other_scope, util::now_utc(), std::nullopt, std::nullopt, false);
};

}  // namespace

TEST_CASE("An export visits the same current copies in the same order, whatever its filters",
          "[store][backends]") {
    auto backend = GENERATE(test::Backend::sqlite, test::Backend::postgres);
    INFO(test::name_of(backend));
    MirrorFixture f(backend);
    using Names = std::vector<std::string>;
    // In the order the endpoints were first harvested, then by identifier and prefix.
    CHECK(f.exported({std::nullopt, std::nullopt, false}) ==
          Names{"sample/oai:x:1/oai_dc", "sample/oai:x:2/mets", "sample/oai:x:4/oai_dc",
                "other/oai:x:1/mets", "other/oai:y:1/mets"});
    CHECK(f.exported({std::nullopt, std::nullopt, true}) ==
          Names{"sample/oai:x:1/oai_dc", "sample/oai:x:2/mets", "sample/oai:x:3/mets deleted",
                "sample/oai:x:4/oai_dc", "sample/oai:x:5/mets deleted", "other/oai:x:1/mets",
                "other/oai:y:1/mets"});
    CHECK(f.exported({"other", std::nullopt, true}) ==
          Names{"other/oai:x:1/mets", "other/oai:y:1/mets"});
    CHECK(f.exported({"sample", "2025-01-01T00:00:00Z", false}) ==
          Names{"sample/oai:x:1/oai_dc", "sample/oai:x:4/oai_dc"});
    // A copy not current is not exported even when it alone passes --since.
    f.exec(
        "UPDATE records SET last_changed = '2020-01-01T00:00:00Z' WHERE metadata_prefix = "
        "'oai_dc'");
    CHECK(f.exported({"sample", "2025-01-01T00:00:00Z", true}) ==
          Names{"sample/oai:x:3/mets deleted", "sample/oai:x:5/mets deleted"});
    CHECK(f.exported({std::nullopt, std::nullopt, false, false}) ==
          Names{"oai:x:1", "oai:x:2", "oai:x:4", "oai:x:1", "oai:y:1"});
    CHECK(f.exported({"nobody", std::nullopt, true}).empty());
}

TEST_CASE("find_records gives every stored copy of an identifier, with its fields",
          "[store][backends]") {
    auto backend = GENERATE(test::Backend::sqlite, test::Backend::postgres);
    INFO(test::name_of(backend));
    MirrorFixture f(backend);
    const auto copies = store::find_records(*f.db, "oai:x:1");
    // By endpoint name, then prefix; copies that are not current included.
    REQUIRE(names_of(copies) == std::vector<std::string>{"other/oai:x:1/mets",
                                                         "sample/oai:x:1/mets",
                                                         "sample/oai:x:1/oai_dc"});
    CHECK(copies[1].datestamp == "2026-01-01T00:00:00Z");
    CHECK(copies[1].sets == std::vector<std::string>{"s1"});
    CHECK(copies[1].metadata == "<a>mets 1</a>");
    CHECK(copies[2].metadata == "<a>dc 1</a>");
    CHECK(copies[2].sets.empty());
    for (const auto& copy : copies) {
        INFO(copy.endpoint << " " << copy.metadata_prefix);
        const auto json = nlohmann::json::parse(copy.json);
        CHECK(json.at("identifier") == "oai:x:1");
        CHECK(copy.last_changed.size() == std::string("2026-01-01T00:00:00Z").size());
    }

    const auto tombstone = store::find_records(*f.db, "oai:x:3");
    REQUIRE(tombstone.size() == 1);
    CHECK(tombstone[0].deleted);
    CHECK_FALSE(tombstone[0].metadata);
    const auto withdrawn = store::find_records(*f.db, "oai:x:5");
    REQUIRE(withdrawn.size() == 1);
    CHECK(withdrawn[0].deleted);
    CHECK(withdrawn[0].sets == std::vector<std::string>{"s1"});
    CHECK(store::find_records(*f.db, "oai:none").empty());
}

TEST_CASE("The status of every scope counts the same records", "[store][backends]") {
    auto backend = GENERATE(test::Backend::sqlite, test::Backend::postgres);
    INFO(test::name_of(backend));
    MirrorFixture f(backend);
    f.db->save_endpoint_error("other", "Identify failed", util::now_utc());
    const auto status = store::scope_status(*f.db, {});
    std::vector<std::string> scopes;
    for (const auto& s : status) {
        scopes.push_back(s.endpoint + "/" + s.metadata_prefix + "/" + s.set_spec + " " +
                         std::to_string(s.records) + " " + std::to_string(s.deleted) + " " +
                         std::to_string(s.gone));
    }
    // endpoint/prefix/set records deleted gone; by endpoint, prefix and set.
    CHECK(scopes == std::vector<std::string>{"other/mets/ 2 0 0", "sample/mets/ 4 2 1",
                                             "sample/mets/s1 2 1 1", "sample/oai_dc/ 2 0 0"});
    REQUIRE(status.size() == 4);
    CHECK(status[0].endpoint_error == "Identify failed");
    CHECK(status[0].base_url == "http://127.0.0.1:2/oai");
    REQUIRE(status[1].last_run);
    CHECK(status[1].last_run->kind == "harvest");
    CHECK(status[1].last_run->outcome == "running");
    CHECK(status[1].last_run->records_new == 2);
    CHECK(status[1].last_run->records_deleted == 1);
    CHECK(status[1].last_run->records_kept_metadata == 1);
    CHECK_FALSE(status[1].last_reconcile);
    CHECK_FALSE(status[2].last_run);  // the set's scope was never harvested

    f.db->finish_run(f.run, store::Outcome::failed, util::now_utc(), {}, "it broke");
    const auto one = store::scope_status(*f.db, {"sample"});
    REQUIRE(one.size() == 3);
    REQUIRE(one[0].last_run);
    CHECK(one[0].last_run->outcome == "failed");
    CHECK(one[0].last_run->error == "it broke");
    CHECK(one[0].last_run->finished_at);
}

namespace {

// The identifiers a query finds, sorted: the backends rank alike but need not order ties alike.
std::vector<std::string> found(store::Store& mirror, const std::string& query,
                               search::QuerySyntax syntax = search::QuerySyntax::words) {
    auto hits = store::search(mirror, query, 20, syntax);
    if (!hits) {
        throw std::runtime_error("search for " + query + ": " + hits.error());
    }
    std::vector<std::string> out;
    for (const auto& hit : *hits) {
        out.push_back(hit.identifier);
    }
    std::sort(out.begin(), out.end());
    return out;
}

}  // namespace

TEST_CASE("Search finds the same records in Latin and Cyrillic Uzbek", "[store][backends]") {
    auto backend = GENERATE(test::Backend::sqlite, test::Backend::postgres);
    INFO(test::name_of(backend));
    Fixture f(backend);
    f.put({live_record("oai:latin", mods("Oʻzbekiston tarixi")),
           live_record("oai:cyrillic", mods("Ўзбекистон тарихи")),
           live_record("oai:other", mods("Qoraqalpoq adabiyoti")),
           live_record("oai:gone", mods("Oʻzbekiston tarixi, eski nashr"))});
    f.put({deleted_record("oai:gone", "2026-02-01T00:00:00Z")});
    using Ids = std::vector<std::string>;
    const Ids both{"oai:cyrillic", "oai:latin"};
    for (const char* query :
         {"O'zbekiston", "Oʻzbekiston", "Ўзбекистон", "ozbekiston", "tarix*", "Тарих*",
          "\"Oʻzbekiston tarixi\"", "\"ўзбекистон тарихи\"", "ozbekiston tarixi"}) {
        INFO("query " << query);
        CHECK(found(*f.db, query) == both);
    }
    CHECK(found(*f.db, "adabiyot*") == Ids{"oai:other"});
    CHECK(found(*f.db, "Қорақалпоқ") == Ids{"oai:other"});
    // A phrase is its words in order.
    CHECK(found(*f.db, "\"tarixi ozbekiston\"").empty());
    CHECK(found(*f.db, "ozbekiston adabiyoti").empty());
    CHECK(found(*f.db, "nashr").empty());  // deleted: not found

    // Hits say what they are.
    auto hits = store::search(*f.db, "Қорақалпоқ", 20);
    REQUIRE(hits);
    REQUIRE(hits->size() == 1);
    CHECK((*hits)[0].endpoint == "sample");
    CHECK((*hits)[0].title == "Qoraqalpoq adabiyoti");
    CHECK_FALSE((*hits)[0].in_full_text);

    // The script typed ranks first.
    hits = store::search(*f.db, "Ўзбекистон", 20);
    REQUIRE(hits);
    REQUIRE(hits->size() == 2);
    CHECK((*hits)[0].identifier == "oai:cyrillic");
    hits = store::search(*f.db, "ozbekiston", 20);
    REQUIRE(hits);
    REQUIRE(hits->size() == 2);
    CHECK((*hits)[0].identifier == "oai:latin");
    // limit
    hits = store::search(*f.db, "tarix*", 1);
    REQUIRE(hits);
    CHECK(hits->size() == 1);

    auto no_words = store::search(*f.db, "*** ,", 20);
    REQUIRE_FALSE(no_words);
    CHECK_THAT(no_words.error(), Catch::Contains("no words"));

    // A reader of the mirror finds the same.
    CHECK(found(*f.reopen_read_only(), "ozbekiston") == both);
}

TEST_CASE("FTS5 query syntax is searched on SQLite and refused with a message on PostgreSQL",
          "[store][backends]") {
    auto backend = GENERATE(test::Backend::sqlite, test::Backend::postgres);
    INFO(test::name_of(backend));
    Fixture f(backend);
    f.put({live_record("oai:latin", mods("Oʻzbekiston tarixi"))});
    std::expected<std::vector<store::SearchHit>, std::string> hits;
    REQUIRE_NOTHROW(hits =
                        store::search(*f.db, "tarix* OR adabiyot", 20, search::QuerySyntax::fts5));
    if (backend == test::Backend::sqlite) {
        REQUIRE(hits);
        CHECK(hits->size() == 1);
    } else {
        REQUIRE_FALSE(hits);
        CHECK_THAT(hits.error(), Catch::Contains("plain words"));
    }
}

TEST_CASE("is_unchanged on another thread reads the last commit while a page commits",
          "[store][backends]") {
    auto backend = GENERATE(test::Backend::sqlite, test::Backend::postgres);
    INFO(test::name_of(backend));
    Fixture f(backend);
    const auto one = live_record("oai:x:1", "<a>one</a>");
    const auto two = live_record("oai:x:1", "<a>two</a>");
    f.put({one});
    // The first page writes through (too big to hold), so its transaction is open while the
    // second page is filled: it changes x:1, not yet committed.
    const std::string xml = "<p>" + std::string(64 * 1024, 'x') + "</p>";
    auto first = f.db->begin_page(f.run, f.scope);
    bool writing_through = false;
    first.before_write_through([&] { writing_through = true; });
    for (std::size_t i = 0; !writing_through; ++i) {
        harvest::put(first, live_record("oai:big:" + std::to_string(i), xml));
    }
    harvest::put(first, two);
    auto second = f.db->begin_page(f.run, f.scope);
    auto looked_up = std::async(std::launch::async, [&] {
        return std::pair{second.is_unchanged(harvest::copy_of(one)),
                         second.is_unchanged(harvest::copy_of(two))};
    });
    const auto [as_one, as_two] = looked_up.get();
    CHECK(as_one);
    CHECK_FALSE(as_two);

    // Looked up over and over on the second thread while this one commits, until it sees the
    // commit: a lookup that failed or waited for the commit's lock would throw or time out.
    std::atomic<bool> commit_failed = false;
    auto during_commit = std::async(std::launch::async, [&] {
        std::int64_t lookups = 1;
        while (!second.is_unchanged(harvest::copy_of(two)) && !commit_failed) {
            ++lookups;
        }
        return lookups;
    });
    try {
        first.commit(f.scope, k_last, {});
    } catch (...) {
        commit_failed = true;
        throw;
    }
    CHECK(during_commit.get() >= 1);
    CHECK(second.is_unchanged(harvest::copy_of(two)));
    CHECK_FALSE(second.is_unchanged(harvest::copy_of(one)));
    harvest::put(second, two);
    second.commit(f.scope, k_last, {});
    CHECK(second.counts().records_unchanged == 1);
}

TEST_CASE("A searched phrase is matched within one field, never across two", "[store][backends]") {
    auto backend = GENERATE(test::Backend::sqlite, test::Backend::postgres);
    INFO(test::name_of(backend));
    Fixture f(backend);
    f.put({live_record("oai:subtitle",
                       mods(Mods{.title = "Tarix", .subtitle = "Oʻzbekiston xalqlari"})),
           live_record("oai:abstract",
                       mods(Mods{.title = "Adabiyot", .abstract = "Tarixi va bugungi kuni"})),
           live_record("oai:names", mods(Mods{.title = "Sheʼriyat",
                                              .names = {{"Karimova", "Nodira"}},
                                              .subjects = {"Sheʼriyat tarixi", "Navoiy"}}))});
    using Ids = std::vector<std::string>;
    // Within a field: found.
    CHECK(found(*f.db, "\"ozbekiston xalqlari\"") == Ids{"oai:subtitle"});
    CHECK(found(*f.db, "\"tarixi va\"") == Ids{"oai:abstract"});
    // Several subjects are one field, as several names are.
    CHECK(found(*f.db, "\"tarixi navoiy\"") == Ids{"oai:names"});
    // The words of two fields next to each other are no phrase.
    CHECK(found(*f.db, "\"tarix ozbekiston\"").empty());
    CHECK(found(*f.db, "\"adabiyot tarixi\"").empty());
    CHECK(found(*f.db, "\"sheriyat nodira\"").empty());
    CHECK(found(*f.db, "\"sheriyat karimova\"").empty());
    // As words, they are found wherever they are.
    CHECK(found(*f.db, "adabiyot tarixi") == Ids{"oai:abstract"});
}

TEST_CASE("A search hit carries the current copy's title, year and first three names",
          "[store][backends]") {
    auto backend = GENERATE(test::Backend::sqlite, test::Backend::postgres);
    INFO(test::name_of(backend));
    Fixture f(backend);
    store::ScopeState dc = f.db->scope(f.endpoint.id, "oai_dc", "");
    f.put({live_record("oai:x:1", mods(Mods{.title = "Eski sarlavha tarixi"}),
                       "2026-01-01T00:00:00Z"),
           live_record("oai:x:2", mods(Mods{.title = "Navoiy tarixi",
                                            .names = {{"Karimova", "Nodira"},
                                                      {"Aliyev", "Bobur"},
                                                      {"Qodirova", "Dilnoza"},
                                                      {"Rahimov", "Erkin"}},
                                            .issued = "2019-05-01"}))});
    // x:1 changed since, harvested in another format: only that copy is searched.
    f.put({live_record("oai:x:1", mods(Mods{.title = "Yangi sarlavha tarixi"}),
                       "2026-02-01T00:00:00Z")},
          dc, f.run);
    using Ids = std::vector<std::string>;
    CHECK(found(*f.db, "eski").empty());
    CHECK(found(*f.db, "yangi") == Ids{"oai:x:1"});
    CHECK(found(*f.db, "tarixi") == Ids{"oai:x:1", "oai:x:2"});
    auto hits = store::search(*f.db, "sarlavha", 20);
    REQUIRE(hits);
    REQUIRE(hits->size() == 1);
    CHECK((*hits)[0].title == "Yangi sarlavha tarixi");
    CHECK_FALSE((*hits)[0].year);

    hits = store::search(*f.db, "navoiy", 20);
    REQUIRE(hits);
    REQUIRE(hits->size() == 1);
    const auto& hit = (*hits)[0];
    CHECK(hit.endpoint == "sample");
    CHECK(hit.identifier == "oai:x:2");
    CHECK(hit.year == 2019);
    REQUIRE(hit.names.size() == 3);
    CHECK(hit.names[0].find("Karimova") != std::string::npos);
    CHECK(hit.names[1].find("Aliyev") != std::string::npos);
    CHECK(hit.names[2].find("Qodirova") != std::string::npos);
    // Found through a name.
    CHECK(found(*f.db, "rahimov") == Ids{"oai:x:2"});
}

TEST_CASE("A Cyrillic word with a letter the Latin table does not know is found as typed",
          "[store][backends]") {
    auto backend = GENERATE(test::Backend::sqlite, test::Backend::postgres);
    INFO(test::name_of(backend));
    Fixture f(backend);
    // Serbian њ, љ and ђ have no Uzbek Latin: their keys keep them.
    f.put({live_record("oai:njegos", mods("Горски вијенац: Његош")),
           live_record("oai:ljubljana", mods("Љубљана и Ђаковица"))});
    using Ids = std::vector<std::string>;
    CHECK(found(*f.db, "Његош") == Ids{"oai:njegos"});
    CHECK(found(*f.db, "његош") == Ids{"oai:njegos"});
    CHECK(found(*f.db, "Љубљана") == Ids{"oai:ljubljana"});
    CHECK(found(*f.db, "Ђаков*") == Ids{"oai:ljubljana"});
    CHECK(found(*f.db, "\"вијенац његош\"") == Ids{"oai:njegos"});
    CHECK(found(*f.db, "gorski") == Ids{"oai:njegos"});
}

TEST_CASE("An endpoint's facts, plan and error are kept and shown by status", "[store][backends]") {
    auto backend = GENERATE(test::Backend::sqlite, test::Backend::postgres);
    INFO(test::name_of(backend));
    Fixture f(backend);
    CHECK_FALSE(f.db->find_endpoint("nobody"));
    store::RepositoryFacts facts;
    facts.repository_name = "Sample Repository";
    facts.protocol_version = "2.0";
    facts.granularity = "YYYY-MM-DDThh:mm:ssZ";
    facts.deleted_record = "persistent";
    const auto identified = *util::parse_utc("2026-03-01T10:00:00Z");
    f.db->save_identify(f.endpoint.id, facts, identified);
    f.db->save_next_due(f.endpoint.id, *util::parse_utc("2026-03-02T00:00:00Z"));
    f.db->save_endpoint_error("sample", "Identify: HTTP 503", identified);

    // The same name again keeps the endpoint and takes the new URL.
    auto again = f.db->endpoint("sample", "http://127.0.0.1:3/oai");
    CHECK(again.id == f.endpoint.id);
    CHECK(again.base_url == "http://127.0.0.1:3/oai");
    CHECK(again.granularity == "YYYY-MM-DDThh:mm:ssZ");
    CHECK(again.deleted_record == "persistent");
    CHECK(again.identified_at == "2026-03-01T10:00:00Z");
    auto found = f.reopen_read_only()->find_endpoint("sample");
    REQUIRE(found);
    CHECK(found->id == f.endpoint.id);
    CHECK(found->base_url == "http://127.0.0.1:3/oai");

    auto status = store::scope_status(*f.db, {"sample"});
    REQUIRE(status.size() == 1);
    CHECK(status[0].repository_name == "Sample Repository");
    CHECK(status[0].granularity == "YYYY-MM-DDThh:mm:ssZ");
    CHECK(status[0].deleted_record == "persistent");
    CHECK(status[0].next_due == "2026-03-02T00:00:00Z");
    CHECK(status[0].endpoint_error == "Identify: HTTP 503");
    CHECK(status[0].endpoint_error_at == "2026-03-01T10:00:00Z");

    // Cleared: the next harvest got past Identify; the daemon has no plan.
    f.db->save_endpoint_error("sample", std::nullopt, identified);
    f.db->save_next_due(f.endpoint.id, std::nullopt);
    // An empty fact is none.
    facts.repository_name.clear();
    f.db->save_identify(f.endpoint.id, facts, identified);
    status = store::scope_status(*f.db, {"sample"});
    REQUIRE(status.size() == 1);
    CHECK_FALSE(status[0].endpoint_error);
    CHECK_FALSE(status[0].endpoint_error_at);
    CHECK_FALSE(status[0].next_due);
    CHECK_FALSE(status[0].repository_name);

    // An endpoint without a scope yet has one entry, without a prefix.
    f.db->endpoint("fresh", "http://127.0.0.1:4/oai");
    status = store::scope_status(*f.db, {});
    REQUIRE(status.size() == 2);
    CHECK(status[0].endpoint == "fresh");
    CHECK(status[0].metadata_prefix.empty());
    CHECK_FALSE(status[0].last_run);
}

TEST_CASE("A run's pages, events and outcome add up, and runs of a killed process are found",
          "[store][backends]") {
    auto backend = GENERATE(test::Backend::sqlite, test::Backend::postgres);
    INFO(test::name_of(backend));
    Fixture f(backend);
    CHECK(f.db->last_run_id() == f.run);
    auto page = f.db->begin_page(f.run, f.scope);
    harvest::put(page, live_record("oai:x:1", "<a>one</a>"));
    page.commit(f.scope,
                store::PageEnd{store::ListPosition{"t2", 100, 250}, "2026-01-01T00:00:00Z"},
                store::RunEvents{2, 1, 3});
    CHECK(f.db->has_unfinished_list(f.endpoint.id));
    auto status = store::scope_status(*f.db, {});
    REQUIRE(status.size() == 1);
    CHECK(status[0].pending_token == "t2");
    CHECK(status[0].pending_cursor == 100);
    CHECK(status[0].complete_list_size == 250);
    CHECK(status[0].list_records == 1);

    // The token was refused: the list is forgotten, here and in the database.
    f.db->abandon_list(f.scope);
    CHECK_FALSE(f.scope.pending_token);
    CHECK_FALSE(f.db->has_unfinished_list(f.endpoint.id));
    const auto saved = f.reopen()->scope(f.endpoint.id, "mets", "");
    CHECK_FALSE(saved.pending_token);
    CHECK_FALSE(saved.pending_cursor);
    CHECK(saved.list_records == 0);
    CHECK(saved.list_pages == 0);

    f.db->finish_run(f.run, store::Outcome::interrupted, *util::parse_utc("2026-01-02T00:00:00Z"),
                     store::RunEvents{1, 0, 1}, "stopped");
    status = store::scope_status(*f.db, {});
    REQUIRE(status[0].last_run);
    const auto& run = *status[0].last_run;
    CHECK(run.outcome == "interrupted");
    CHECK(run.finished_at == "2026-01-02T00:00:00Z");
    CHECK(run.error == "stopped");
    CHECK(run.pages == 1);
    CHECK(run.records_new == 1);
    CHECK(run.retries == 3);
    CHECK(run.token_restarts == 1);
    CHECK(run.repaired_characters == 4);
    CHECK_FALSE(f.db->last_run_died(f.endpoint.id));

    // A stop's runs are died only when asked; runs before `after` never.
    CHECK(f.db->mark_runs_died(f.endpoint.id, f.run, true, "late", util::now_utc()) == 0);
    CHECK(f.db->mark_runs_died(std::nullopt, 0, false, "killed", util::now_utc()) == 0);
    CHECK(f.db->mark_runs_died(f.endpoint.id, 0, true, "killed", util::now_utc()) == 1);
    CHECK(f.db->last_run_died(f.endpoint.id));
    status = store::scope_status(*f.db, {});
    REQUIRE(status[0].last_run);
    CHECK(status[0].last_run->outcome == "died");
    CHECK(status[0].last_run->error == "killed");
    CHECK(status[0].last_run->finished_at == "2026-01-02T00:00:00Z");  // kept

    const auto next = f.db->begin_run(f.scope, util::now_utc(), "2026-01-01", std::nullopt, true);
    CHECK(next > f.run);
    CHECK(f.db->last_run_id() == next);
    CHECK(f.db->last_run_died(f.endpoint.id));  // running, as far as the store knows
    auto other = f.db->endpoint("other", "http://127.0.0.1:2/oai");
    CHECK(f.db->mark_runs_died(other.id, 0, false, "killed", util::now_utc()) == 0);
    CHECK(f.db->mark_runs_died(std::nullopt, f.run, false, "killed", util::now_utc()) == 1);
    f.db->finish_run(next, store::Outcome::ok, util::now_utc(), {}, std::nullopt);
    CHECK_FALSE(f.db->last_run_died(f.endpoint.id));
}

TEST_CASE("An export whose visitor throws stops, and the mirror is read again after it",
          "[store][backends]") {
    auto backend = GENERATE(test::Backend::sqlite, test::Backend::postgres);
    INFO(test::name_of(backend));
    Fixture f(backend);
    f.put({live_record("oai:x:1", "<a>one</a>"), live_record("oai:x:2", "<a>two</a>"),
           live_record("oai:x:3", "<a>three</a>")});
    int visited = 0;
    CHECK_THROWS_WITH(store::for_each_record(*f.db, {std::nullopt, std::nullopt, true},
                                             [&](const store::StoredRecord&) {
                                                 ++visited;
                                                 throw std::runtime_error("the pipe broke");
                                             }),
                      "the pipe broke");
    CHECK(visited == 1);
    CHECK(test::all_records(*f.db).size() == 3);
    CHECK(store::find_records(*f.db, "oai:x:2").size() == 1);
    // And the store still writes.
    f.put({live_record("oai:x:4", "<a>four</a>")});
    CHECK(test::all_records(*f.db).size() == 4);
}

TEST_CASE("An empty database becomes a mirror for a harvest, not for a reader",
          "[store][backends]") {
    auto backend = GENERATE(test::Backend::sqlite, test::Backend::postgres);
    INFO(test::name_of(backend));
    test::EmptyDatabase empty(backend);
    if (backend == test::Backend::sqlite) {
        std::fclose(std::fopen(empty.database().c_str(), "w"));  // an empty file
    }
    CHECK_THROWS_AS(store::Store::open_read_only(empty.database()), store::StoreError);
    CHECK_THROWS_WITH(store::Store::open_read_only(empty.database()),
                      Catch::Contains("is not an oaiharvest database"));
    const int version = store::Store::open(empty.database())->schema_version();
    CHECK(version >= 12);
    auto reader = store::Store::open_read_only(empty.database());
    CHECK(reader->schema_version() == version);
    CHECK(scope_status(*reader, {}).empty());
    CHECK(test::all_records(*reader).empty());
}

TEST_CASE("Another application's database is refused and left as it was", "[store][backends]") {
    auto backend = GENERATE(test::Backend::sqlite, test::Backend::postgres);
    INFO(test::name_of(backend));
    test::EmptyDatabase other(backend);
    other.exec("CREATE TABLE notes (body TEXT); INSERT INTO notes VALUES ('x')");
    other.close();
    CHECK_THROWS_WITH(store::Store::open(other.database()),
                      Catch::Contains("is not an oaiharvest database") && Catch::Contains("notes"));
    CHECK_THROWS_WITH(store::Store::open_read_only(other.database()),
                      Catch::Contains("is not an oaiharvest database") && Catch::Contains("notes"));
    CHECK(other.scalar("SELECT count(*) FROM notes") == "1");
    CHECK_THROWS(other.scalar("SELECT count(*) FROM schema_migrations"));
}

TEST_CASE("A mirror newer than the binary is refused, for a harvest and for a reader",
          "[store][backends]") {
    auto backend = GENERATE(test::Backend::sqlite, test::Backend::postgres);
    INFO(test::name_of(backend));
    test::EmptyDatabase newer(backend);
    { auto created = store::Store::open(newer.database()); }
    if (backend == test::Backend::sqlite) {
        newer.exec("PRAGMA user_version = 9999");
    } else {
        newer.exec("INSERT INTO schema_migrations VALUES (9999, '9999_future.sql', 'now')");
    }
    newer.close();
    CHECK_THROWS_AS(store::Store::open(newer.database()), store::StoreError);
    CHECK_THROWS_WITH(store::Store::open(newer.database()),
                      Catch::Contains("newer than this oaiharvest"));
    CHECK_THROWS_WITH(store::Store::open_read_only(newer.database()),
                      Catch::Contains("newer than this oaiharvest"));
}

TEST_CASE("A mirror opened for reading writes nothing", "[store][backends]") {
    auto backend = GENERATE(test::Backend::sqlite, test::Backend::postgres);
    INFO(test::name_of(backend));
    Fixture f(backend);
    f.put({live_record("oai:x:1", "<a>one</a>")});
    auto reader = f.reopen_read_only();
    CHECK_THROWS(reader->endpoint("new", "http://127.0.0.1:5/oai"));
    CHECK_THROWS(reader->begin_run(f.scope, util::now_utc(), std::nullopt, std::nullopt, false));
    CHECK_FALSE(f.db->find_endpoint("new"));
    CHECK(f.db->last_run_id() == f.run);
    // It reads what the harvest wrote, then and later.
    CHECK(test::all_records(*reader).size() == 1);
    f.put({live_record("oai:x:2", "<a>two</a>")});
    CHECK(test::all_records(*reader).size() == 2);
}
