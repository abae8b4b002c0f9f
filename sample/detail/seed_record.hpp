#pragma once
// The seed record's metadata, exactly as the fixtures hold it (see seed_record.cpp).

#include <string_view>

namespace oaiharvest::sample::detail {

extern const std::string_view k_seed_mods;  // tests/fixtures/seeds/000_*
extern const std::string_view k_seed_mets;  // tests/fixtures/seeds/001_* (OBJID eprint_85694)
extern const std::string_view k_seed_oai_dc_before_site;
extern const std::string_view k_seed_oai_dc_after_site;

}  // namespace oaiharvest::sample::detail
