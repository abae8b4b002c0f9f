#include <catch2/catch.hpp>

#include "util/hash.hpp"

using namespace oaiharvest::util;

TEST_CASE("ContentHasher separates parts and is stable", "[util][hash]") {
    auto h = [](std::string_view a, std::string_view b) {
        return ContentHasher{}.add(a).add(b).digest();
    };
    CHECK(h("ab", "c") != h("a", "bc"));
    CHECK(h("ab", "c") == h("ab", "c"));
    CHECK(h("", "") != h("x", ""));
}
