#pragma once
// A record's documents as `show` and `export` give them (docs/cli.md, docs/documents.md): where
// each came from, where its body is, what it is, and what the text extraction found.

#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "store/documents.hpp"

namespace oaiharvest::cli {

// One document; `path` is where its body is to be read (null until stored). `text` is null
// until the body's text was extracted.
nlohmann::ordered_json document_json(store::Store& store, const store::ListedDocument& document,
                                     const std::optional<std::string>& path);

}  // namespace oaiharvest::cli
