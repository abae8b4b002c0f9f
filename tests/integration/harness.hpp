#pragma once
// What the integration tests share: a sample repository served on 127.0.0.1, a fresh database,
// the oaiharvest binary run against both, and ways to read the result.

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "process.hpp"
#include "sample/generate.hpp"
#include "support/oai_server.hpp"
#include "support/temp_dir.hpp"

namespace oaiharvest::test {

struct Harness {
    explicit Harness(sample::GenerateOptions generate = {}, sample::ProviderOptions provider = {});

    TempDir dir;
    sample::GenerateOptions generate;
    testing::TestOaiServer server;
    std::string db = dir.file("mirror.db");

    // oaiharvest --db DB args...
    ProcessResult run(std::vector<std::string> args) const;
    // harvest --url SERVER --name sample extra...
    ProcessResult harvest(std::vector<std::string> extra = {}) const;
    // Every line of `export --format jsonl --include-deleted`, parsed.
    std::vector<nlohmann::json> exported(std::vector<std::string> extra = {}) const;
    // `status --json`, parsed.
    nlohmann::json status() const;
};

// Exclusive XML canonicalization (C14N): equal for documents that differ only in attribute
// order, quoting, namespace declarations nobody uses, and the like.
std::string canonical_xml(const std::string& xml);

// The element as it stands alone: the xsi declaration that EPrints leaves on the OAI-PMH root
// is added when the element uses xsi without declaring it.
std::string standalone(const std::string& element);

}  // namespace oaiharvest::test
