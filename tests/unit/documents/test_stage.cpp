// The documents stage against an in-process server that answers as EPrints 3.4 does.
#include <catch2/catch.hpp>
#include <fstream>
#include <sstream>

#include "documents_fixture.hpp"

using namespace oaiharvest;
using oaiharvest::test::DocumentsFixture;
using oaiharvest::testing::ServedFile;
using test::files_under;

namespace {

ServedFile pdf(const std::string& body, const std::string& etag = "77-abc") {
    ServedFile file;
    file.body = body;
    file.etag = etag;
    file.last_modified = "Tue, 01 Dec 2026 10:00:00 GMT";
    return file;
}

std::string read(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

}  // namespace

TEST_CASE_METHOD(DocumentsFixture, "A listed file is stored once by its sha256") {
    server.put("/a.pdf", pdf("%PDF-1.4 one"));
    file(record("oai:x:1", "2026-11-01T00:00:00Z"), 0, server.url("/a.pdf"));
    file(record("oai:x:2", "2026-11-01T00:00:00Z"), 0, server.url("/a.pdf"));
    std::vector<std::pair<std::string, std::string>> told;
    stage.set_on_stored(
        [&](const std::string& sha, const std::string& type) { told.emplace_back(sha, type); });
    auto report = stage.run(endpoint.id, policy);
    CHECK(report.stored == 1);
    CHECK(server.bodies_sent("/a.pdf") == 1);
    const auto sha = column_of(server.url("/a.pdf"), "sha256");
    // sha256("%PDF-1.4 one")
    CHECK(sha.size() == 64);
    CHECK(read(documents::body_path(dir.file("mirror.db"), sha)) == "%PDF-1.4 one");
    CHECK(column_of(server.url("/a.pdf"), "etag") == "77-abc");
    CHECK(column_of(server.url("/a.pdf"), "mimetype") == "application/pdf");
    REQUIRE(told.size() == 1);
    CHECK(told[0] == std::pair<std::string, std::string>{sha, "application/pdf"});
    CHECK(files_under(folder() / "tmp") == 0);
}

TEST_CASE_METHOD(DocumentsFixture, "Two URLs with the same bytes share one body file") {
    server.put("/a.pdf", pdf("%PDF same"));
    server.put("/b.pdf", pdf("%PDF same"));
    file(record("oai:x:1", "2026-11-01T00:00:00Z"), 0, server.url("/a.pdf"));
    file(record("oai:x:2", "2026-11-01T00:00:00Z"), 0, server.url("/b.pdf"));
    stage.run(endpoint.id, policy);
    CHECK(files_under(folder() / "sha256") == 1);
    CHECK(count("SELECT count(DISTINCT sha256) FROM documents WHERE state = 'stored'") == 1);
}

TEST_CASE_METHOD(DocumentsFixture,
                 "A changed listing record revalidates with the ETag exactly as sent") {
    server.put("/a.pdf", pdf("%PDF-1.4 one"));
    file(record("oai:x:1", "2026-11-01T00:00:00Z"), 0, server.url("/a.pdf"));
    stage.run(endpoint.id, policy);
    record("oai:x:1", "2026-11-02T00:00:00Z");
    auto report = stage.run(endpoint.id, policy);
    CHECK(report.unchanged == 1);
    CHECK(server.requests("/a.pdf") == 2);
    CHECK(server.bodies_sent("/a.pdf") == 1);
    CHECK(server.last_if_none_match("/a.pdf") == "77-abc");
    CHECK(column_of(server.url("/a.pdf"), "revalidate") == "0");
    CHECK(column_of(server.url("/a.pdf"), "checked_at") == "2026-12-01T00:00:00Z");
}

TEST_CASE_METHOD(DocumentsFixture, "An unchanged mirror asks nothing again") {
    server.put("/a.pdf", pdf("%PDF-1.4 one"));
    file(record("oai:x:1", "2026-11-01T00:00:00Z"), 0, server.url("/a.pdf"));
    stage.run(endpoint.id, policy);
    stage.run(endpoint.id, policy);
    CHECK(server.requests("/a.pdf") == 1);
}

TEST_CASE_METHOD(DocumentsFixture, "A changed body replaces the old one, which is removed") {
    server.put("/a.pdf", pdf("%PDF old", "1"));
    file(record("oai:x:1", "2026-11-01T00:00:00Z"), 0, server.url("/a.pdf"));
    stage.run(endpoint.id, policy);
    const auto old_sha = column_of(server.url("/a.pdf"), "sha256");
    server.put("/a.pdf", pdf("%PDF new", "2"));
    record("oai:x:1", "2026-11-02T00:00:00Z");
    auto report = stage.run(endpoint.id, policy);
    CHECK(report.stored == 1);
    CHECK(report.bodies_removed == 1);
    CHECK_FALSE(std::filesystem::exists(documents::body_path(dir.file("mirror.db"), old_sha)));
    CHECK(files_under(folder() / "sha256") == 1);
}

TEST_CASE_METHOD(DocumentsFixture, "A document no record lists any more is removed with its body") {
    server.put("/a.pdf", pdf("%PDF-1.4 one"));
    file(record("oai:x:1", "2026-11-01T00:00:00Z"), 0, server.url("/a.pdf"));
    stage.run(endpoint.id, policy);
    record("oai:x:1", "2026-11-02T00:00:00Z", true);
    auto report = stage.run(endpoint.id, policy);
    CHECK(report.removed == 1);
    CHECK(files_under(folder() / "sha256") == 0);
}

TEST_CASE_METHOD(DocumentsFixture, "A host not allowed is refused without a request") {
    file(record("oai:x:1", "2026-11-01T00:00:00Z"), 0, "http://localhost:1/a.pdf");
    auto report = stage.run(endpoint.id, policy);
    CHECK(report.refused == 1);
    CHECK(state_of("http://localhost:1/a.pdf") == "refused");
    CHECK(column_of("http://localhost:1/a.pdf", "error").find("localhost is not allowed") !=
          std::string::npos);
}

TEST_CASE_METHOD(DocumentsFixture, "A redirect to a host not allowed is refused at that hop") {
    ServedFile moved;
    moved.redirect_to = "http://localhost:" + std::to_string(server.port()) + "/a.pdf";
    server.put("/moved", moved);
    server.put("/a.pdf", pdf("%PDF"));
    file(record("oai:x:1", "2026-11-01T00:00:00Z"), 0, server.url("/moved"));
    auto report = stage.run(endpoint.id, policy);
    CHECK(report.refused == 1);
    CHECK(server.requests("/a.pdf") == 0);
    SECTION("and fetched once the host is allowed") {
        policy.extra_hosts = {"LocalHost"};
        record("oai:x:1", "2026-11-02T00:00:00Z");
        auto again = stage.run(endpoint.id, policy);
        CHECK(again.stored == 1);
        CHECK(state_of(server.url("/moved")) == "stored");
    }
}

TEST_CASE_METHOD(DocumentsFixture, "Redirects are followed at most five times") {
    for (int i = 0; i < 7; ++i) {
        ServedFile hop;
        hop.redirect_to = "/r" + std::to_string(i + 1);
        server.put("/r" + std::to_string(i), hop);
    }
    file(record("oai:x:1", "2026-11-01T00:00:00Z"), 0, server.url("/r0"));
    auto report = stage.run(endpoint.id, policy);
    CHECK(report.failed == 1);
    CHECK(column_of(server.url("/r0"), "error").find("more than 5 redirects") != std::string::npos);
    CHECK(server.requests("/r6") == 0);
}

TEST_CASE_METHOD(DocumentsFixture, "A body over the cap fails and leaves nothing behind") {
    server.put("/big.pdf", pdf(std::string(5000, 'x')));
    file(record("oai:x:1", "2026-11-01T00:00:00Z"), 0, server.url("/big.pdf"));
    auto report = stage.run(endpoint.id, policy);
    CHECK(report.failed == 1);
    CHECK(state_of(server.url("/big.pdf")) == "failed");
    CHECK(column_of(server.url("/big.pdf"), "error").find("document_max_size") !=
          std::string::npos);
    CHECK(files_under(folder()) == 0);
}

TEST_CASE_METHOD(DocumentsFixture, "A failure is retried only after its backoff, which doubles") {
    file(record("oai:x:1", "2026-11-01T00:00:00Z"), 0, server.url("/missing.pdf"));
    stage.run(endpoint.id, policy);
    CHECK(state_of(server.url("/missing.pdf")) == "failed");
    CHECK(column_of(server.url("/missing.pdf"), "next_attempt_at") == "2026-12-01T00:10:00Z");
    stage.run(endpoint.id, policy);
    CHECK(server.requests("/missing.pdf") == 1);
    clock.advance(std::chrono::minutes{10});
    stage.run(endpoint.id, policy);
    CHECK(server.requests("/missing.pdf") == 2);
    CHECK(column_of(server.url("/missing.pdf"), "attempts") == "2");
    CHECK(column_of(server.url("/missing.pdf"), "next_attempt_at") == "2026-12-01T00:30:00Z");
    server.put("/missing.pdf", pdf("%PDF at last"));
    clock.advance(std::chrono::minutes{20});
    stage.run(endpoint.id, policy);
    CHECK(state_of(server.url("/missing.pdf")) == "stored");
    CHECK(column_of(server.url("/missing.pdf"), "error") == "(null)");
}

TEST_CASE_METHOD(DocumentsFixture,
                 "A file listed without a type is refused when its served type is not wanted") {
    ServedFile zip = pdf("PK...");
    zip.content_type = "application/zip";
    server.put("/f", zip);
    ServedFile text = pdf("plain words");
    text.content_type = "text/plain; charset=utf-8";
    server.put("/t", text);
    auto r = record("oai:x:1", "2026-11-01T00:00:00Z");
    file(r, 0, server.url("/f"), std::nullopt);
    file(r, 1, server.url("/t"), std::nullopt);
    auto report = stage.run(endpoint.id, policy);
    CHECK(report.refused == 1);
    CHECK(state_of(server.url("/f")) == "refused");
    CHECK(column_of(server.url("/f"), "mimetype") == "application/zip");
    CHECK(state_of(server.url("/t")) == "stored");
    CHECK(column_of(server.url("/t"), "mimetype") == "text/plain");
}

TEST_CASE_METHOD(DocumentsFixture, "A leftover download in tmp is removed at stage start") {
    const auto tmp = documents::tmp_folder(dir.file("mirror.db"), endpoint.id);
    std::filesystem::create_directories(tmp);
    std::ofstream(tmp / "123-0.part") << "half a body";
    stage.run(endpoint.id, policy);
    CHECK(files_under(folder() / "tmp") == 0);
}

TEST_CASE_METHOD(DocumentsFixture, "A URL that is not http or https is refused") {
    file(record("oai:x:1", "2026-11-01T00:00:00Z"), 0, "file:///etc/passwd");
    auto report = stage.run(endpoint.id, policy);
    CHECK(report.refused == 1);
    CHECK(state_of("file:///etc/passwd") == "refused");
}
