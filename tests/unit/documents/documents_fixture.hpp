#pragma once
// A mirror whose records list files, written straight into its tables (the test decides each
// row's last_changed), and the documents stage over it against a DocumentServer.

#include <filesystem>
#include <string>

#include "documents/documents.hpp"
#include "documents/layout.hpp"
#include "http/http.hpp"
#include "store/documents.hpp"
#include "store/sqlite.hpp"
#include "support/document_server.hpp"
#include "support/fake_clock.hpp"
#include "support/store_fixture.hpp"
#include "support/temp_dir.hpp"

namespace oaiharvest::test {

struct DocumentsFixture : StoreFixture {
    testing::DocumentServer server;
    FakeClock clock{util::UtcTime{std::chrono::sys_days{std::chrono::year{2026} / 12 / 1}}};
    std::unique_ptr<http::Fetcher> fetcher =
        http::make_curl_fetcher(documents::document_fetch_options({}, 1000));
    documents::DocumentStage stage{*fetcher, *db, dir.file("mirror.db"), clock};
    documents::DocumentPolicy policy = [this] {
        documents::DocumentPolicy p;
        p.endpoint_url = server.url("/oai");
        return p;
    }();

    // A record row in `prefix` (deleted or live) changed at `changed`; returns its id.
    std::int64_t record(const std::string& identifier, const std::string& changed,
                        bool deleted = false, const std::string& prefix = "mets") {
        store::sql::Statement insert(
            raw(),
            "INSERT INTO records (endpoint_id, identifier, metadata_prefix, datestamp, deleted, "
            "content_hash, first_seen, last_seen, last_changed) VALUES (?1, ?2, ?3, ?4, ?5, "
            "x'00', ?4, ?4, ?4) ON CONFLICT (endpoint_id, identifier, metadata_prefix) DO UPDATE "
            "SET datestamp = excluded.datestamp, deleted = excluded.deleted, "
            "last_changed = excluded.last_changed RETURNING id");
        insert.bind(1, endpoint.id).bind(2, identifier).bind(3, prefix).bind(4, changed);
        insert.bind(5, std::int64_t{deleted ? 1 : 0});
        REQUIRE(insert.step());
        const auto id = insert.int64(0);
        insert.reset();
        return id;
    }
    void file(std::int64_t record, int position, const std::string& href,
              const std::optional<std::string>& mimetype = "application/pdf") {
        store::sql::Statement insert(raw(),
                                     "INSERT INTO files (record_id, position, href, mimetype) "
                                     "VALUES (?1, ?2, ?3, ?4)");
        insert.bind(1, record).bind(2, std::int64_t{position}).bind(3, href).bind(4, mimetype);
        insert.run();
    }
    void clear_files(std::int64_t record) {
        store::sql::Statement clear(raw(), "DELETE FROM files WHERE record_id = ?1");
        clear.bind(1, record);
        clear.run();
    }
    std::string state_of(const std::string& url) {
        store::sql::Statement q(raw(), "SELECT state FROM documents WHERE url = ?1");
        q.bind(1, url);
        return q.step() ? std::string(q.text(0)) : "absent";
    }
    std::string column_of(const std::string& url, const std::string& column) {
        store::sql::Statement q(
            raw(), "SELECT coalesce(" + column + ", '(null)') FROM documents WHERE url = ?1");
        q.bind(1, url);
        return q.step() ? std::string(q.text(0)) : "absent";
    }
    std::int64_t count(const std::string& sql) {
        store::sql::Statement q(raw(), sql);
        REQUIRE(q.step());
        return q.int64(0);
    }
    std::filesystem::path folder() { return documents::documents_folder(dir.file("mirror.db")); }
};

}  // namespace oaiharvest::test
