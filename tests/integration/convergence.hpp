#pragma once
// Convergence tests: a ChangingRepository served on 127.0.0.1 whose data the test changes
// between and during harvests, the real binary harvesting it, and a comparison of the mirror
// (as `export --include-deleted` shows it) with what the server holds.

#include <catch2/catch.hpp>
#include <map>
#include <string>
#include <vector>

#include "harness.hpp"
#include "support/changing_repository.hpp"

namespace oaiharvest::test {

struct ChangingServer {
    explicit ChangingServer(testing::ServerBehaviour behaviour = {}, std::string config = {})
        : repo(behaviour, h.server.base_url()) {
        h.server.set_script(repo.script());
        // Politeness and retries are not under test here.
        h.use_config("[http]\nrequest_interval = \"0s\"\nretries = 0\n" + config);
    }
    Harness h;
    testing::ChangingRepository repo;
};

inline testing::ServedRecord record(const std::string& identifier, const std::string& datestamp,
                                    const std::string& title, std::vector<std::string> sets = {},
                                    std::vector<std::string> prefixes = {"oai_dc"}) {
    testing::ServedRecord r;
    r.identifier = identifier;
    r.datestamp = datestamp;
    r.sets = std::move(sets);
    for (const auto& prefix : prefixes) {
        r.titles[prefix] = title;
    }
    return r;
}

// The mirror's exported records in one format, by identifier.
inline std::map<std::string, nlohmann::json> mirror_of(const Harness& h,
                                                       const std::string& prefix) {
    std::map<std::string, nlohmann::json> rows;
    for (auto& row : h.exported()) {
        if (row["metadata_prefix"] == prefix) {
            rows[row["identifier"].get<std::string>()] = row;
        }
    }
    return rows;
}

// The mirror in that format holds what the server does: every live record with its datestamp,
// sets and title; every deleted or vanished record it knows of as deleted; nothing else live.
inline void require_mirror_equals_server(const Harness& h, const testing::ChangingRepository& repo,
                                         const std::string& prefix = "oai_dc",
                                         const std::vector<std::string>& sets = {}) {
    using Status = testing::Expected::Status;
    const auto expected = repo.expected_view(prefix, sets);
    const auto mirror = mirror_of(h, prefix);
    for (const auto& [identifier, want] : expected) {
        INFO(prefix << " " << identifier);
        auto found = mirror.find(identifier);
        if (want.status == Status::live) {
            REQUIRE(found != mirror.end());
            const auto& row = found->second;
            CHECK(row["deleted"] == false);
            CHECK(row["datestamp"] == want.datestamp);
            CHECK(row["sets"].get<std::vector<std::string>>() == want.sets);
            CHECK(row["title"] == want.title);
        } else if (found != mirror.end()) {
            CHECK(found->second["deleted"] == true);
            if (want.status == Status::deleted) {
                CHECK(found->second["datestamp"] == want.datestamp);
            }
        }
    }
    for (const auto& [identifier, row] : mirror) {
        if (!expected.contains(identifier)) {
            INFO(prefix << " " << identifier << " is in the mirror, not on the server");
            CHECK(row["deleted"] == true);
        }
    }
}

inline void require_run(const ProcessResult& result) {
    INFO(result.err);
    REQUIRE(result.exit_code == 0);
}

}  // namespace oaiharvest::test
