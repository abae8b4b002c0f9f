// Normalization on harvest's side of the store seam: what a record becomes, and that the store
// asks for it only when a copy is written.
#include <catch2/catch.hpp>

#include "harvest/normalize.hpp"
#include "store/store.hpp"
#include "support/store_fixture.hpp"

using namespace oaiharvest;

namespace {

const char* k_dc =
    "<oai_dc:dc xmlns:oai_dc=\"http://www.openarchives.org/OAI/2.0/oai_dc/\" "
    "xmlns:dc=\"http://purl.org/dc/elements/1.1/\"><dc:title>On seams</dc:title></oai_dc:dc>";

int g_late_normalizations = 0;
void counting_normalizer(store::RecordCopy& copy, const std::string& endpoint,
                         const std::string& prefix) {
    ++g_late_normalizations;
    harvest::normalize_copy(copy, endpoint, prefix);
}

store::PageEnd last_page() {
    return store::PageEnd{std::nullopt, "2026-01-01T00:00:00Z"};
}

}  // namespace

TEST_CASE("A record is described with its header's JSON fields", "[harvest][normalize]") {
    auto copy = harvest::copy_of(
        test::live_record("oai:x:1", k_dc, "2026-01-01T00:00:00Z", {"b", "a", "b"}));
    harvest::normalize(copy, "sample", "oai_dc");
    REQUIRE(copy.normalized);
    CHECK(copy.normalized->description.title == "On seams");
    CHECK_FALSE(copy.normalized->description.parse_error);
    const auto& json = copy.normalized->json;
    CHECK(json.find("\"endpoint\":\"sample\",\"identifier\":\"oai:x:1\","
                    "\"datestamp\":\"2026-01-01T00:00:00Z\",\"deleted\":false,"
                    "\"metadata_prefix\":\"oai_dc\",\"sets\":[\"a\",\"b\"],"
                    "\"title\":\"On seams\"") != std::string::npos);
}

TEST_CASE("A datestamp that is not a date is shown as none, and said why", "[harvest][normalize]") {
    auto copy = harvest::copy_of(test::live_record("oai:x:1", k_dc, "2026-99-99"));
    harvest::normalize(copy, "sample", "oai_dc");
    CHECK(copy.normalized->description.parse_error ==
          "the header's datestamp \"2026-99-99\" is not a date");
    CHECK(copy.normalized->json.find("\"datestamp\":null") != std::string::npos);
}

TEST_CASE("A record whose metadata was dropped is described by why", "[harvest][normalize]") {
    auto record = test::live_record("oai:x:1", "");
    record.dropped = "metadata larger than the cap";
    auto copy = harvest::copy_of(record);
    harvest::normalize(copy, "sample", "oai_dc");
    CHECK(copy.normalized->description.parse_error == "metadata larger than the cap");
}

TEST_CASE("A deletion is described as nothing but its header", "[harvest][normalize]") {
    auto copy = harvest::copy_of(test::deleted_record("oai:x:1", "2026-01-01T00:00:00Z"));
    harvest::normalize(copy, "sample", "oai_dc");
    CHECK_FALSE(copy.normalized->description.title);
    CHECK(copy.normalized->json.find("\"deleted\":true") != std::string::npos);
}

TEST_CASE("The store asks for a normal form only for a copy it writes without one",
          "[harvest][normalize]") {
    test::StoreFixture f;
    g_late_normalizations = 0;
    const auto record = test::live_record("oai:x:1", k_dc);
    {
        auto page = f.db->begin_page(f.run, f.scope);
        CHECK_FALSE(page.is_unchanged(harvest::copy_of(record)));
        harvest::put(page, record);  // normalized before put: nothing asked
        page.commit(f.scope, last_page(), {});
    }
    CHECK(g_late_normalizations == 0);

    SECTION("an unchanged copy is never normalized") {
        auto page = f.db->begin_page(f.run, f.scope);
        auto copy = harvest::copy_of(record);
        CHECK(page.is_unchanged(copy));
        page.put(std::move(copy), &counting_normalizer);
        page.commit(f.scope, last_page(), {});
        CHECK(page.counts().records_unchanged == 1);
        CHECK(g_late_normalizations == 0);
    }
    SECTION("a changed copy put without its normal form is normalized when written") {
        auto page = f.db->begin_page(f.run, f.scope);
        auto copy =
            harvest::copy_of(test::live_record("oai:x:1", k_dc, "2026-02-01T00:00:00Z", {"new"}));
        CHECK_FALSE(page.is_unchanged(copy));
        page.put(std::move(copy), &counting_normalizer);
        CHECK(g_late_normalizations == 0);  // held until the commit
        page.commit(f.scope, last_page(), {});
        CHECK(page.counts().records_updated == 1);
        CHECK(g_late_normalizations == 1);
    }
}
