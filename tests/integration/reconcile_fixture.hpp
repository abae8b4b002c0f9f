#pragma once
// What the reconcile tests share: a ChangingRepository served on 127.0.0.1 to the real binary
// through a config naming it "sample", and the mirror compared with expected_view().

#include <catch2/catch.hpp>
#include <map>

#include "harness.hpp"
#include "store/sqlite.hpp"
#include "support/changing_repository.hpp"

namespace oaiharvest::test::reconcile {

using testing::ChangingRepository;
using testing::Expected;
using testing::ServedRecord;
using testing::ServerBehaviour;

inline ServedRecord record(const std::string& n, std::string datestamp,
                           std::vector<std::string> sets = {}) {
    return {"oai:x:" + n,
            std::move(datestamp),
            std::move(sets),
            false,
            {{"oai_dc", "DC " + n}, {"mods", "MODS " + n}}};
}

inline std::string quoted(const std::vector<std::string>& items) {
    std::string out = "[";
    for (const auto& item : items) {
        out += (out.size() > 1 ? ", \"" : "\"") + item + "\"";
    }
    return out + "]";
}

struct Mirror {
    explicit Mirror(ServerBehaviour behaviour = {}, std::vector<std::string> prefixes = {"oai_dc"},
                    std::vector<std::string> set_specs = {}, std::string extra = {})
        : repo(behaviour), sets(set_specs) {
        repo.set_base_url(h.server.base_url());
        h.server.set_script(repo.script());
        h.use_config(
            "[http]\nrequest_interval = \"0s\"\nretries = 0\n\n[[endpoint]]\n"
            "name = \"sample\"\nurl = \"" +
            h.server.base_url() + "\"\nprefixes = " + quoted(prefixes) +
            "\nsets = " + quoted(set_specs) + "\noverlap = \"0s\"\n" + extra);
    }

    test::ProcessResult run(const std::string& command) {
        auto result = h.run({command, "sample"});
        INFO(command << ": " << result.err);
        CHECK(result.exit_code == 0);
        return result;
    }
    test::ProcessResult harvest() { return run("harvest"); }
    test::ProcessResult reconcile() { return run("reconcile"); }

    // The mirror in one format, by identifier, as `export --include-deleted` shows it.
    std::map<std::string, nlohmann::json> view(const std::string& prefix) const {
        std::map<std::string, nlohmann::json> out;
        for (auto& line : h.exported()) {
            if (line["metadata_prefix"] == prefix) {
                out[line["identifier"].get<std::string>()] = line;
            }
        }
        return out;
    }

    // gone_at of the record, read from the database; nullopt when NULL or absent.
    std::optional<std::string> gone_at(const std::string& identifier,
                                       const std::string& prefix) const {
        store::sql::Database db(h.db, store::sql::Database::Mode::read_only);
        store::sql::Statement stmt(
            db, "SELECT gone_at FROM records WHERE identifier = ?1 AND metadata_prefix = ?2");
        stmt.bind(1, identifier).bind(2, prefix);
        return stmt.step() ? stmt.optional_text(0) : std::nullopt;
    }

    // Runs one statement on the mirror (to age a run, say).
    void execute(const std::string& statement) const {
        store::sql::Database db(h.db, store::sql::Database::Mode::read_write);
        db.exec(statement.c_str());
    }

    // The mirror holds exactly what a mirror equal to the server holds in that format.
    void check_equal(const std::string& prefix) const {
        auto expected = repo.expected_view(prefix, sets);
        auto mirror = view(prefix);
        for (const auto& [identifier, want] : expected) {
            INFO(prefix << " " << identifier);
            auto found = mirror.find(identifier);
            REQUIRE(found != mirror.end());
            const auto& got = found->second;
            CHECK(got["deleted"].get<bool>() == (want.status != Expected::Status::live));
            CHECK(gone_at(identifier, prefix).has_value() ==
                  (want.status == Expected::Status::gone));
            if (want.status == Expected::Status::live) {
                CHECK(got["datestamp"] == want.datestamp);
                CHECK(got["sets"].get<std::vector<std::string>>() == want.sets);
                CHECK(got["title"] == want.title);
            }
        }
        for (const auto& [identifier, got] : mirror) {
            INFO(prefix << " " << identifier << " held but not on the server");
            CHECK(expected.contains(identifier));
        }
    }

    Harness h{sample::GenerateOptions{.records = 2}};
    ChangingRepository repo;
    std::vector<std::string> sets;
};

inline bool has_line(const test::ProcessResult& result, const std::string& text) {
    return result.err.find(text) != std::string::npos;
}

}  // namespace oaiharvest::test::reconcile
