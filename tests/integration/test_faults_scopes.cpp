// Several prefixes and sets: each is its own scope, and a scope the endpoint cannot serve fails
// alone, with a message that says why. Through the binary, for the exit code and stderr.

#include "test_faults_fixture.hpp"

using namespace oaiharvest;
using test::Harness;

namespace {

const std::string k_book = "74797065733D626F6F6B";           // types=book
const std::string k_article = "74797065733D61727469636C65";  // types=article

nlohmann::json scope_status(const nlohmann::json& status, const std::string& prefix,
                            const nlohmann::json& set) {
    for (const auto& s : status) {
        if (s["metadata_prefix"] == prefix && s["set"] == set) {
            return s;
        }
    }
    return nullptr;
}

}  // namespace

TEST_CASE("cannotDisseminateFormat fails only its prefix's scope",
          "[integration][faults][scopes]") {
    sample::GenerateOptions generate;
    generate.records = 40;
    Harness h(generate);
    h.use_config("[http]\nrequest_interval = \"0s\"\n");
    auto result = h.harvest({"--prefix", "mets", "--prefix", "marcxml"});
    INFO(result.err);
    CHECK(result.exit_code == 1);
    CHECK(result.err.find("sample marcxml") != std::string::npos);
    CHECK(result.err.find("cannotDisseminateFormat") != std::string::npos);
    CHECK(result.err.find("sample mets: 39 new, 0 updated, 1 deleted") != std::string::npos);
    auto status = h.status();
    REQUIRE(status.size() == 2);
    CHECK(scope_status(status, "mets", nullptr)["last_run"]["outcome"] == "ok");
    CHECK(scope_status(status, "mets", nullptr)["records"] == 40);
    auto failed = scope_status(status, "marcxml", nullptr);
    CHECK(failed["last_run"]["outcome"] == "failed");
    CHECK(failed["last_run"]["error"].get<std::string>().starts_with("cannotDisseminateFormat"));
}

TEST_CASE("noSetHierarchy fails only its set's scope", "[integration][faults][scopes]") {
    sample::GenerateOptions generate;
    generate.records = 40;
    Harness h(generate);
    h.use_config("[http]\nrequest_interval = \"0s\"\n");
    h.server.set_script([](const testing::RequestInfo& r) -> std::optional<testing::Fault> {
        auto set = r.args.find("set");
        if (set != r.args.end() && set->second == k_article) {
            return testing::oai_error(200, "noSetHierarchy",
                                      "This repository does not support sets.");
        }
        return std::nullopt;
    });
    auto result = h.harvest({"--set", k_book, "--set", k_article});
    INFO(result.err);
    CHECK(result.exit_code == 1);
    CHECK(result.err.find("set " + k_article + ": 0 new") != std::string::npos);
    CHECK(result.err.find("FAILED: noSetHierarchy: This repository does not support sets.") !=
          std::string::npos);
    auto status = h.status();
    REQUIRE(status.size() == 2);
    CHECK(scope_status(status, "mets", k_book)["last_run"]["outcome"] == "ok");
    CHECK(scope_status(status, "mets", k_article)["last_run"]["outcome"] == "failed");
}
