// store::sync_documents: which files of which records are documents, incrementally.
#include <catch2/catch.hpp>

#include "documents_fixture.hpp"

using namespace oaiharvest;
using oaiharvest::test::DocumentsFixture;

TEST_CASE_METHOD(DocumentsFixture, "Two records listing one file make one document") {
    file(record("oai:x:1", "2026-11-01T00:00:00Z"), 0, "http://h/a.pdf");
    file(record("oai:x:2", "2026-11-01T00:00:00Z"), 0, "http://h/a.pdf");
    auto result = store::sync_documents(*db, endpoint.id, policy.wanted_types);
    CHECK(result.documents_added == 1);
    CHECK(result.records_read == 2);
    CHECK(count("SELECT count(*) FROM documents") == 1);
    CHECK(count("SELECT count(*) FROM record_documents") == 2);
    CHECK(state_of("http://h/a.pdf") == "pending");
}

TEST_CASE_METHOD(DocumentsFixture, "A file listed with a type not wanted is no document") {
    auto r = record("oai:x:1", "2026-11-01T00:00:00Z");
    file(r, 0, "http://h/a.pdf");
    file(r, 1, "http://h/b.zip", "application/zip");
    file(r, 2, "http://h/c", std::nullopt);
    file(r, 3, "http://h/d.txt", "Text/Plain; charset=utf-8");
    store::sync_documents(*db, endpoint.id, policy.wanted_types);
    CHECK(state_of("http://h/a.pdf") == "pending");
    CHECK(state_of("http://h/b.zip") == "absent");
    CHECK(state_of("http://h/c") == "pending");  // its Content-Type will decide
    CHECK(state_of("http://h/d.txt") == "pending");
}

TEST_CASE_METHOD(DocumentsFixture, "A deleted record's files are no documents any more") {
    auto r = record("oai:x:1", "2026-11-01T00:00:00Z");
    file(r, 0, "http://h/a.pdf");
    store::sync_documents(*db, endpoint.id, policy.wanted_types);
    record("oai:x:1", "2026-11-02T00:00:00Z", true);
    auto result = store::sync_documents(*db, endpoint.id, policy.wanted_types);
    CHECK(result.documents_removed == 1);
    CHECK(state_of("http://h/a.pdf") == "absent");
}

TEST_CASE_METHOD(DocumentsFixture, "A newer deletion in another format hides a live copy's files") {
    file(record("oai:x:1", "2026-11-01T00:00:00Z"), 0, "http://h/a.pdf");
    record("oai:x:1", "2026-11-02T00:00:00Z", true, "oai_dc");
    store::sync_documents(*db, endpoint.id, policy.wanted_types);
    CHECK(state_of("http://h/a.pdf") == "absent");
}

TEST_CASE_METHOD(DocumentsFixture, "Only records changed since the last sync are read again") {
    file(record("oai:x:1", "2026-11-01T00:00:00Z"), 0, "http://h/a.pdf");
    file(record("oai:x:2", "2026-11-03T00:00:00Z"), 0, "http://h/b.pdf");
    store::sync_documents(*db, endpoint.id, policy.wanted_types);
    file(record("oai:x:3", "2026-11-04T00:00:00Z"), 0, "http://h/c.pdf");
    auto result = store::sync_documents(*db, endpoint.id, policy.wanted_types);
    CHECK(result.records_read == 2);  // x:3, and x:2 at the watermark's second
    CHECK(result.documents_added == 1);
    CHECK(count("SELECT count(*) FROM record_documents") == 3);
}

TEST_CASE_METHOD(DocumentsFixture, "Other document types make the next sync read every record") {
    auto r = record("oai:x:1", "2026-11-01T00:00:00Z");
    file(r, 0, "http://h/a.pdf");
    file(r, 1, "http://h/b.txt", "text/plain");
    store::sync_documents(*db, endpoint.id, policy.wanted_types);
    auto result = store::sync_documents(*db, endpoint.id, {"text/plain"});
    CHECK(result.records_read == 1);
    CHECK(state_of("http://h/a.pdf") == "absent");
    CHECK(state_of("http://h/b.txt") == "pending");
}

TEST_CASE_METHOD(DocumentsFixture,
                 "A listing record that changed marks a stored document to revalidate") {
    auto r = record("oai:x:1", "2026-11-01T00:00:00Z");
    file(r, 0, "http://h/a.pdf");
    store::sync_documents(*db, endpoint.id, policy.wanted_types);
    store::sql::Statement stored(raw(), "UPDATE documents SET state = 'stored', sha256 = 'ab'");
    stored.run();
    store::sync_documents(*db, endpoint.id, policy.wanted_types);
    CHECK(column_of("http://h/a.pdf", "revalidate") == "0");  // nothing changed
    record("oai:x:1", "2026-11-05T00:00:00Z");
    store::sync_documents(*db, endpoint.id, policy.wanted_types);
    CHECK(column_of("http://h/a.pdf", "revalidate") == "1");
    CHECK(state_of("http://h/a.pdf") == "stored");
}

TEST_CASE_METHOD(DocumentsFixture, "A body no row has any more is reported unused") {
    auto r = record("oai:x:1", "2026-11-01T00:00:00Z");
    file(r, 0, "http://h/a.pdf");
    file(record("oai:x:2", "2026-11-01T00:00:00Z"), 0, "http://h/b.pdf");
    store::sync_documents(*db, endpoint.id, policy.wanted_types);
    store::sql::Statement stored(raw(), "UPDATE documents SET state = 'stored', sha256 = 'same'");
    stored.run();
    clear_files(r);
    record("oai:x:1", "2026-11-02T00:00:00Z");
    auto first = store::sync_documents(*db, endpoint.id, policy.wanted_types);
    CHECK(first.documents_removed == 1);
    CHECK(first.unused_bodies.empty());  // b.pdf has the same body
    record("oai:x:2", "2026-11-03T00:00:00Z", true);
    auto second = store::sync_documents(*db, endpoint.id, policy.wanted_types);
    CHECK(second.unused_bodies == std::vector<std::string>{"same"});
}
