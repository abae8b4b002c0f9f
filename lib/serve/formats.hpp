#pragma once
// What ListMetadataFormats says of a format harvested into the mirror: its namespace and schema,
// read from a document stored in it, as the server that sent it declared them. Pure;
// thread-safe.

#include <optional>
#include <string>
#include <string_view>

#include "oai/provider_response.hpp"

namespace oaiharvest::serve {

// oai_dc, which the provider makes for every record.
oai::ServedFormat oai_dc_format();

// `sample`: one stored document of the format (nullopt when none is stored). The namespace of
// its root element, and the schema xsi:schemaLocation pairs with it; where the document does
// not say, what the format's prefix conventionally means (mods, mets, marcxml, ...), else a
// namespace naming the prefix.
oai::ServedFormat harvested_format(const std::string& metadata_prefix,
                                   const std::optional<std::string>& sample);

}  // namespace oaiharvest::serve
