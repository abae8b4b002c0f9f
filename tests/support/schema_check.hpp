#pragma once
// Offline XML Schema validation for tests: is a document a valid OAI-PMH response, with its
// oai_dc, MODS 3.3 or METS payload validated too? The official schemas are the byte copies in
// tests/fixtures/schemas/, joined by oai-pmh-all.xsd and found through catalog.xml; nothing is
// fetched (see tests/fixtures/schemas/SOURCES.md for what they are and what they cannot check).
//
// Thread-safe. The schema is parsed once per process, on the first call, and shared read-only;
// each call validates with its own context. The first call adds catalog.xml to libxml2's
// process-wide catalog.

#include <optional>
#include <string>
#include <string_view>

namespace oaiharvest::test {

// nullopt when `xml_document` is well-formed and valid against oai-pmh-all.xsd. Otherwise
// libxml2's messages, one a line, each "line N: ..." with N the document's line. The document
// is parsed without network access and without entity substitution. Throws std::runtime_error
// when the schemas themselves cannot be loaded (a broken checkout), since no answer is then
// honest.
std::optional<std::string> schema_errors(std::string_view xml_document);

}  // namespace oaiharvest::test
