#pragma once
// What the integration tests share: a sample repository served on 127.0.0.1, a fresh database,
// the oaiharvest binary run against both, and ways to read the result.

#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
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
    // Given to every run as -c FILE when set (see use_config).
    std::optional<std::string> config;

    // Writes `toml` to a config file in dir and uses it from now on.
    void use_config(const std::string& toml);

    // oaiharvest --db DB args...
    ProcessResult run(std::vector<std::string> args) const;
    // The same on another database (a second mirror of the same server, to compare with).
    ProcessResult run_on(const std::string& database, std::vector<std::string> args) const;
    // harvest args, as BackgroundProcess, for tests that kill it.
    std::unique_ptr<BackgroundProcess> start_harvest(std::vector<std::string> extra = {}) const;
    // harvest --url SERVER --name sample extra...
    ProcessResult harvest(std::vector<std::string> extra = {}) const;
    // Every line of `export --format jsonl --include-deleted`, parsed.
    std::vector<nlohmann::json> exported(std::vector<std::string> extra = {}) const;
    std::vector<nlohmann::json> exported_from(const std::string& database) const;
    // `status --json`, parsed.
    nlohmann::json status() const;
};

// Exclusive XML canonicalization (C14N): equal for documents that differ only in attribute
// order, quoting, namespace declarations nobody uses, and the like.
std::string canonical_xml(const std::string& xml);

// The element as it stands alone: the xsi declaration that EPrints leaves on the OAI-PMH root
// is added when the element uses xsi without declaring it.
std::string standalone(const std::string& element);

// The text's lines, without their "\n".
std::vector<std::string> lines_of(const std::string& text);

}  // namespace oaiharvest::test
