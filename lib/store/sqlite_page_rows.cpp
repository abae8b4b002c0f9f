// A page's rows in the SQLite mirror: the prepared statements of statements.hpp, values packed
// with the endpoint's zstd dictionaries (packing.hpp), the catalogue with its FTS5 index.
#include <algorithm>
#include <memory>

#include "store/packing.hpp"
#include "store/page_rows.hpp"
#include "store/sqlite.hpp"
#include "store/sqlite_store.hpp"
#include "store/statements.hpp"

namespace oaiharvest::store {
namespace detail {

class SqlitePageRows final : public PageRows {
public:
    SqlitePageRows(SqliteStore& store, const ScopeState& scope)
        : m_store(store), m_endpoint(scope.endpoint_id), m_prefix(scope.metadata_prefix) {}

    bool stored_hash_equals(const std::string& identifier, const util::ContentHash& hash) override {
        auto& find = m_store.stored_hash_lookup();
        find.bind(1, m_endpoint).bind_static(2, identifier).bind_static(3, m_prefix);
        bool same = false;
        if (find.step()) {
            auto stored = find.blob(0);
            same = std::equal(stored.begin(), stored.end(), hash.begin(), hash.end());
        }
        find.reset();
        return same;
    }

    void begin() override { m_store.m_db->exec("BEGIN IMMEDIATE"); }

    void commit() override {
        // Any time before COMMIT will do: nothing refers to a dictionary but the frames' headers.
        save_dictionaries();
        m_store.m_db->exec("COMMIT");
    }

    // SQLite may have rolled the transaction back already (a statement that failed with
    // SQLITE_FULL, IOERR or NOMEM, a RAISE(ROLLBACK)), and then ROLLBACK fails: the transaction
    // is gone either way.
    void roll_back() noexcept override {
        try {
            m_store.m_db->exec("ROLLBACK");
        } catch (...) {
        }
    }

    std::string encode_metadata(const std::string& xml) override {
        return packer().pack(PackedKind::metadata, xml, m_dictionaries);
    }
    std::string encode_json(const std::string& json) override {
        return packer().pack(PackedKind::json, json, m_dictionaries);
    }

    std::optional<StoredRow> find(const std::string& identifier) override {
        auto& find = m_store.m_stmts->find_record;
        find.bind(1, m_endpoint).bind_static(2, identifier).bind_static(3, m_prefix);
        if (!find.step()) {
            find.reset();
            return std::nullopt;
        }
        StoredRow row;
        row.id = find.int64(0);
        auto hash = find.blob(1);
        std::copy_n(hash.begin(), std::min(hash.size(), row.hash.size()), row.hash.begin());
        row.deleted = find.int64(2) != 0;
        row.datestamp = find.text(3);
        row.gone = find.int64(5) != 0;
        row.sets = find.text(6);
        find.reset();
        return row;
    }

    std::int64_t insert(const std::string& identifier, bool deleted, const RowHeader& header,
                        const std::string* encoded_metadata) override {
        auto& insert = m_store.m_stmts->insert_record;
        insert.bind(1, m_endpoint)
            .bind_static(2, identifier)
            .bind_static(3, m_prefix)
            .bind_static(4, header.datestamp)
            .bind(5, std::int64_t{deleted ? 1 : 0})
            .bind_static(6, header.sets)
            .bind_blob(8, header.hash)
            .bind_static(9, header.now);
        if (encoded_metadata) {
            insert.bind_blob_static(7, *encoded_metadata);
        } else {
            insert.bind_null(7);
        }
        insert.run();
        return m_store.m_db->last_insert_rowid();
    }

    void update(std::int64_t id, const RowHeader& header,
                const std::string& encoded_metadata) override {
        m_store.m_stmts->update_record.bind(1, id)
            .bind_static(2, header.datestamp)
            .bind_static(3, header.sets)
            .bind_blob_static(4, encoded_metadata)
            .bind_blob(5, header.hash)
            .bind_static(6, header.now)
            .run();
    }

    void mark_deleted(std::int64_t id, const RowHeader& header) override {
        mark(m_store.m_stmts->mark_deleted, id, header);
    }
    void mark_withdrawn(std::int64_t id, const RowHeader& header) override {
        mark(m_store.m_stmts->mark_withdrawn, id, header);
    }

    std::vector<OtherFormatRow> other_formats(const std::string& identifier) override {
        auto& s = m_store.m_stmts->other_formats;
        s.bind(1, m_endpoint).bind_static(2, identifier).bind_static(3, m_prefix);
        std::vector<OtherFormatRow> rows;
        while (s.step()) {
            rows.push_back({s.int64(0), std::string(s.text(1)), std::string(s.text(2)),
                            s.int64(3) != 0, std::string(s.text(4)),
                            !s.is_null(5) && !s.text(5).empty(), s.int64(6) != 0});
        }
        s.reset();
        return rows;
    }

    std::vector<std::string> deletions_elsewhere(const std::string& identifier) override {
        auto& find = m_store.m_stmts->deletions_elsewhere;
        find.bind(1, m_endpoint).bind_static(2, identifier).bind_static(3, m_prefix);
        std::vector<std::string> dates;
        while (find.step()) {
            dates.emplace_back(find.text(0));
        }
        find.reset();
        return dates;
    }

    bool has_metadata(std::int64_t id) override {
        auto& read = m_store.m_stmts->read_metadata;
        read.bind(1, id);
        const bool has = read.step() && !read.is_null(0) && !read.text(0).empty();
        read.reset();
        return has;
    }

    std::optional<std::string> read_json(std::int64_t id) override {
        auto& read = m_store.m_stmts->read_json;
        read.bind(1, id);
        std::optional<std::string> json;
        if (read.step() && !read.is_null(0)) {
            json = read.text(0);
        }
        read.reset();
        return json;
    }

    void catalogue(std::int64_t id, const metadata::Envelope& entry,
                   const metadata::Description& description, const std::string& encoded_json,
                   bool existed) override {
        m_store.m_stmts->catalogue.replace(id, entry, description, encoded_json, existed);
    }
    void catalogue_deleted(std::int64_t id, const std::string& encoded_json) override {
        m_store.m_stmts->catalogue.mark_deleted(id, encoded_json);
    }

    void save_scope(const ScopeState& next,
                    const std::optional<std::string>& complete_at) override {
        auto& save = m_store.m_stmts->save_scope;
        auto bind_int = [&](int index, const std::optional<std::int64_t>& value) {
            value ? save.bind(index, *value) : save.bind_null(index);
        };
        save.bind(1, next.id)
            .bind(2, next.next_from)
            .bind(3, complete_at)
            .bind(4, next.list_started)
            .bind(5, next.list_from)
            .bind(6, next.list_until)
            .bind(7, next.pending_token)
            .bind(10, next.list_pages)
            .bind(11, next.list_records)
            .bind(12, next.list_newest);
        bind_int(8, next.pending_cursor);
        bind_int(9, next.complete_list_size);
        save.run();
    }

    void add_page_to_run(RunId run, const PageCounts& counts, const RunEvents& events) override {
        m_store.m_stmts->add_page_to_run.bind(1, run)
            .bind(2, counts.records_new)
            .bind(3, counts.records_updated)
            .bind(4, counts.records_unchanged)
            .bind(5, counts.records_deleted)
            .bind(6, counts.unreadable_records)
            .bind(7, events.retries)
            .bind(8, events.token_restarts)
            .bind(9, events.repaired_characters)
            .bind(10, counts.records_stale)
            .bind(11, counts.records_kept_metadata)
            .run();
    }

private:
    void mark(sql::Statement& stmt, std::int64_t id, const RowHeader& header) {
        stmt.bind(1, id)
            .bind_static(2, header.datestamp)
            .bind_static(3, header.sets)
            .bind_blob(4, header.hash)
            .bind_static(5, header.now)
            .run();
    }

    ScopePacker& packer() {
        // At the first write, on the thread that holds the write connection: a harvest that
        // finds nothing new neither reads the dictionaries nor opens the read connection for
        // them.
        if (!m_packer) {
            m_packer = m_store.packer(m_endpoint, m_prefix);
        }
        return *m_packer;
    }

    // Saves the dictionaries the page's values were packed with, unless saved already.
    void save_dictionaries() {
        auto& save = m_store.m_stmts->save_dictionary;
        const std::string now = util::format_utc_seconds(util::now_utc());
        for (const auto& d : m_dictionaries) {
            save.bind(1, std::int64_t{d->id()})
                .bind(2, m_endpoint)
                .bind_static(3, m_prefix)
                .bind(4, kind_name(d->kind()))
                .bind(5, d->samples())
                .bind_static(6, now)
                .bind_blob_static(7, d->bytes())
                .run();
        }
    }

    SqliteStore& m_store;
    EndpointId m_endpoint;
    std::string m_prefix;
    std::shared_ptr<ScopePacker> m_packer;
    std::vector<std::shared_ptr<const Dictionary>> m_dictionaries;  // used by the page
};

}  // namespace detail

std::unique_ptr<detail::PageRows> SqliteStore::page_rows(RunId /*run*/, const ScopeState& scope) {
    return std::make_unique<detail::SqlitePageRows>(*this, scope);
}

}  // namespace oaiharvest::store
