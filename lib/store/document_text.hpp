#pragma once
// The text of the mirror's documents (issue 15; schema/011_document_text.sql): one row per body
// (sha256), whatever number of documents share it, indexed for store::search (queries.hpp).
// The documents themselves (schema 10, lib/store/documents.hpp) are the documents stage's; this
// is what that stage calls after it stored a body. Same threading as Store.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "fulltext/text.hpp"
#include "store/store.hpp"

namespace oaiharvest::store {

// The sha256s of stored documents whose text has not been extracted yet (no document_texts
// row), at most `limit`, each once, in the order the bodies were first stored.
std::vector<std::string> texts_wanted(Store& store, std::size_t limit);

// The MIME type a stored body was served with (else the one its record listed), for the
// extraction of a body whose text a kill cut short; nullopt when no stored document has it.
std::optional<std::string> stored_body_type(Store& store, const std::string& sha256);

// Stores what extraction found for the body `sha256` (replacing an earlier result) and indexes
// its text; stamped with the time now.
void put_text(Store& store, const std::string& sha256, const fulltext::ExtractedText& text);

// Removes the texts, and their index entries, of bodies no documents row holds any more.
// Returns how many.
std::int64_t drop_unused_texts(Store& store);

// What extraction found for one body, for `show`; nullopt when not extracted yet.
struct TextFacts {
    fulltext::TextStatus status = fulltext::TextStatus::failed;
    std::optional<std::int64_t> pages;
    std::optional<std::string> error;
    std::string extracted_at;  // UTC "YYYY-MM-DDThh:mm:ssZ"
    std::int64_t text_bytes = 0;
};
std::optional<TextFacts> text_facts(Store& store, const std::string& sha256);

}  // namespace oaiharvest::store
