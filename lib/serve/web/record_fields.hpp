#pragma once
// The body of a record's page: every field of its record JSON, as a heading and a definition
// list, its URLs and files as links when they are http(s). Pure; thread-safe.

#include <nlohmann/json.hpp>

#include "serve/web/html.hpp"
#include "store/queries.hpp"

namespace oaiharvest::serve::web {

// Writes the <article> of `record` (the copy's parsed JSON; a key missing or of another type
// than the contract's is left out, never trusted), the copy giving what the JSON does not
// hold (when it last changed in the mirror).
void record_fields(Html& h, const nlohmann::json& record, const store::StoredRecord& copy);

// "726 bytes", "1.4 MiB".
std::string size_text(std::int64_t bytes);

// The BCP 47 tag of a record's language ("uz" for "uzb", "ru" for "ru"), for <article lang>;
// nullopt for a language not known to be one.
std::optional<std::string> language_tag(std::string_view language);

}  // namespace oaiharvest::serve::web
