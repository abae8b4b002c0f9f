#pragma once
// The seed article's text (tests/fixtures/seeds/002_*), compiled in at build time
// (sample/CMakeLists.txt): the body of the seed record's document.

#include <string_view>

namespace oaiharvest::sample::detail {

extern const std::string_view k_seed_article;

}  // namespace oaiharvest::sample::detail
