// A row that becomes deleted keeps its metadata, and its JSON is the stored one patched to the
// deletion's header: byte for byte what describing the kept metadata again would give (the
// store no longer describes anything; lib/harvest does).
#include <catch2/catch.hpp>

#include "harvest/normalize.hpp"
#include "metadata/metadata.hpp"
#include "store/deleted_json.hpp"
#include "store/queries.hpp"
#include "store/store.hpp"
#include "support/backend_fixture.hpp"
#include "support/fixtures.hpp"

using namespace oaiharvest;

namespace {

const char* k_broken = "<mets:mets xmlns:mets=\"http://www.loc.gov/METS/\"><unclosed>";

std::vector<std::string> sample_metadata() {
    return {test::read_fixture("seeds/000_6d3e3e1f7bd03d25.txt"),
            test::read_fixture("seeds/001_41e69035f2cc746a.txt"),
            test::read_fixture("seeds/002_a6393a2a1a9e2c74.txt"), k_broken};
}

metadata::Envelope envelope(const std::string& datestamp, bool deleted,
                            std::vector<std::string> sets) {
    const bool date = !store::datestamp_error(datestamp);
    return {"sample", "oai:x:1", date ? datestamp : "", deleted, "mods", std::move(sets)};
}

// What the JSON of the record with this metadata and header is when described afresh.
std::string described(const std::string& xml, const std::string& datestamp, bool deleted,
                      const std::vector<std::string>& sets) {
    auto description = metadata::describe(xml);
    if (!description.parse_error) {
        description.parse_error = store::datestamp_error(datestamp);
    }
    return metadata::to_json_text(envelope(datestamp, deleted, sets), description);
}

}  // namespace

TEST_CASE("A deleted row's patched JSON equals the JSON of its metadata described again",
          "[store][deleted]") {
    struct Change {
        const char* name;
        std::string from;
        std::string to;
    };
    const std::vector<Change> changes{
        {"dated, then deleted later", "2026-01-01T00:00:00Z", "2026-02-01T00:00:00Z"},
        {"a datestamp that is not a date, then a date", "9999-99-99", "2026-02-01"},
        {"a date, then a datestamp that is not a date", "2026-01-01", "2026-13-45\x01"},
        {"not a date either time", "bad", "worse"}};
    for (const auto& xml : sample_metadata()) {
        for (const auto& change : changes) {
            INFO(change.name << "\n" << xml.substr(0, 80));
            const auto stored = described(xml, change.from, false, {"a", "b"});
            auto patched =
                store::detail::deleted_json(stored, envelope(change.to, true, {"c"}), change.to);
            REQUIRE(patched);
            const auto expected = described(xml, change.to, true, {"c"});
            CHECK(patched->json == expected);
            CHECK(patched->unreadable ==
                  (expected.find("\"parse_error\":null") == std::string::npos));
        }
    }
}

TEST_CASE("A stored JSON that is not a record's is not patched", "[store][deleted]") {
    const auto entry = envelope("2026-01-01", true, {});
    CHECK_FALSE(store::detail::deleted_json("not json", entry, "2026-01-01"));
    CHECK_FALSE(store::detail::deleted_json("[1,2]", entry, "2026-01-01"));
    CHECK_FALSE(store::detail::deleted_json("{\"deleted\":false}", entry, "2026-01-01"));
}

TEST_CASE("Each way a row becomes deleted stores the JSON of its kept metadata described again",
          "[store][deleted][backends]") {
    auto backend = GENERATE(test::Backend::sqlite, test::Backend::postgres);
    INFO(test::name_of(backend));
    test::BackendFixture f(backend);
    store::ScopeState dc = f.db->scope(f.endpoint.id, "oai_dc", "");
    const auto xml = test::read_fixture("seeds/001_41e69035f2cc746a.txt");
    auto put = [&](const oai::Record& record, store::ScopeState& scope) {
        auto page = f.db->begin_page(f.run, scope);
        harvest::put(page, record);
        page.commit(scope, store::PageEnd{std::nullopt, "2026-01-01T00:00:00Z"}, {});
        return page.counts();
    };
    auto stored_json = [&](const std::string& prefix) {
        std::string json;
        f.db->scope(f.endpoint.id, prefix, "");
        store::for_each_record(*f.db, {std::nullopt, std::nullopt, true},
                               [&](const store::StoredRecord& r) {
                                   if (r.metadata_prefix == prefix) {
                                       json = r.json;
                                   }
                               });
        return json;
    };
    auto expected = [&](const std::string& datestamp, const std::string& prefix,
                        std::vector<std::string> sets) {
        auto description = metadata::describe(xml);
        if (!description.parse_error) {
            description.parse_error = store::datestamp_error(datestamp);
        }
        auto entry = envelope(datestamp, true, std::move(sets));
        entry.metadata_prefix = prefix;
        return metadata::to_json_text(entry, description);
    };
    put(test::live_record("oai:x:1", xml, "2026-01-01T00:00:00Z", {"s1"}), f.scope);
    REQUIRE(store::search(*f.db, "diplomacy", 5).value().size() == 1);

    // A deleted header without setSpecs (as EPrints sends them) keeps the record's last sets;
    // one with setSpecs gives its own.
    SECTION("a deleted header") {
        auto counts = put(test::deleted_record("oai:x:1", "2026-02-01T00:00:00Z"), f.scope);
        CHECK(counts.records_deleted == 1);
        CHECK(stored_json("mets") == expected("2026-02-01T00:00:00Z", "mets", {"s1"}));
        const auto stored = store::find_records(*f.db, "oai:x:1");
        REQUIRE(stored.size() == 1);
        CHECK(stored[0].sets == std::vector<std::string>{"s1"});
    }
    SECTION("a deleted header with its own sets") {
        auto deletion = test::deleted_record("oai:x:1", "2026-02-01T00:00:00Z");
        deletion.header.set_specs = {"s2"};
        put(deletion, f.scope);
        CHECK(stored_json("mets") == expected("2026-02-01T00:00:00Z", "mets", {"s2"}));
    }
    SECTION("a deleted header with a datestamp that is not a date") {
        auto counts = put(test::deleted_record("oai:x:1", "2026-99-01"), f.scope);
        CHECK(counts.unreadable_records == 1);
        CHECK(stored_json("mets") == expected("2026-99-01", "mets", {"s1"}));
    }
    SECTION("a deletion harvested in another format") {
        put(test::deleted_record("oai:x:1", "2026-02-01T00:00:00Z"), dc);
        CHECK(stored_json("mets") == expected("2026-02-01T00:00:00Z", "mets", {"s1"}));
    }
    SECTION("a live header without metadata") {
        auto counts =
            put(test::live_record("oai:x:1", "", "2026-02-01T00:00:00Z", {"s2"}), f.scope);
        CHECK(counts.records_kept_metadata == 1);
        CHECK(stored_json("mets") == expected("2026-02-01T00:00:00Z", "mets", {"s2"}));
    }
    // The full-text index finds live records only.
    CHECK(store::search(*f.db, "diplomacy", 5).value().empty());
}
