// A page's rows in a PostgreSQL mirror: plain values (the server compresses large ones), the
// catalogue in one table with its search words as a tsvector.
#include <algorithm>

#include "store/page_rows.hpp"
#include "store/postgres/pg_search.hpp"
#include "store/postgres/pg_store.hpp"

namespace oaiharvest::store {
namespace detail {
namespace {

using pq::integer;
using pq::null;
using pq::text;

pq::Param hash_param(const util::ContentHash& hash) {
    return pq::bytes(std::string_view(reinterpret_cast<const char*>(hash.data()), hash.size()));
}

bool equals_hash(const std::string& stored, const util::ContentHash& hash) {
    return std::equal(stored.begin(), stored.end(), hash.begin(), hash.end(),
                      [](char a, std::uint8_t b) { return static_cast<std::uint8_t>(a) == b; });
}

std::optional<std::int64_t> pg_year_of(const std::optional<std::string>& date) {
    if (!date || date->size() < 4 || !std::all_of(date->begin(), date->begin() + 4, [](char c) {
            return c >= '0' && c <= '9';
        })) {
        return std::nullopt;
    }
    return std::stoll(date->substr(0, 4));
}

}  // namespace

class PgPageRows final : public PageRows {
public:
    PgPageRows(PgStore& store, const ScopeState& scope)
        : m_store(store), m_endpoint(scope.endpoint_id), m_prefix(scope.metadata_prefix) {}

    bool stored_hash_equals(const std::string& identifier, const util::ContentHash& hash) override {
        auto r = m_store.reader().exec_prepared(
            "SELECT content_hash FROM records WHERE endpoint_id = $1 AND identifier = $2 AND "
            "metadata_prefix = $3",
            {integer(m_endpoint), text(identifier), text(m_prefix)}, pq::ResultFormat::binary);
        return r.rows() > 0 && equals_hash(r.bytes(0, 0), hash);
    }

    void begin() override { conn().exec_script("BEGIN"); }
    void commit() override { conn().exec_script("COMMIT"); }
    void roll_back() noexcept override {
        try {
            conn().exec_script("ROLLBACK");
        } catch (...) {
        }
    }

    std::string encode_metadata(const std::string& xml) override { return xml; }
    std::string encode_json(const std::string& json) override { return json; }

    std::optional<StoredRow> find(const std::string& identifier) override {
        // FOR UPDATE: another machine's page (another format of the endpoint) may be deciding
        // about the same record at the same moment.
        auto r = conn().exec_prepared(
            "SELECT id, content_hash, deleted::int::int8, datestamp, (gone_at IS NOT "
            "NULL)::int::int8, sets "
            "FROM records WHERE endpoint_id = $1 AND identifier = $2 AND metadata_prefix = $3 "
            "FOR UPDATE",
            {integer(m_endpoint), text(identifier), text(m_prefix)}, pq::ResultFormat::binary);
        if (r.rows() == 0) {
            return std::nullopt;
        }
        StoredRow row;
        row.id = r.int64(0, 0);
        auto hash = r.bytes(0, 1);
        std::copy_n(hash.begin(), std::min(hash.size(), row.hash.size()), row.hash.begin());
        row.deleted = r.int64(0, 2) != 0;
        row.datestamp = r.text(0, 3);
        row.gone = r.int64(0, 4) != 0;
        row.sets = r.text(0, 5);
        return row;
    }

    std::int64_t insert(const std::string& identifier, bool deleted, const RowHeader& header,
                        const std::string* encoded_metadata) override {
        auto r = conn().exec_prepared(
            "INSERT INTO records (endpoint_id, identifier, metadata_prefix, datestamp, deleted, "
            "sets, metadata, content_hash, first_seen, last_seen, last_changed) "
            "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9, $9) RETURNING id",
            {integer(m_endpoint), text(identifier), text(m_prefix), text(header.datestamp),
             text(deleted ? "true" : "false"), text(header.sets),
             encoded_metadata ? text(*encoded_metadata) : null(), hash_param(header.hash),
             text(header.now)});
        return r.int64(0, 0);
    }

    void update(std::int64_t id, const RowHeader& header,
                const std::string& encoded_metadata) override {
        conn().exec_prepared(
            "UPDATE records SET datestamp = $2, deleted = false, sets = $3, metadata = $4, "
            "content_hash = $5, last_seen = $6, last_changed = $6, gone_at = NULL WHERE id = $1",
            {integer(id), text(header.datestamp), text(header.sets), text(encoded_metadata),
             hash_param(header.hash), text(header.now)});
    }

    void mark_deleted(std::int64_t id, const RowHeader& header) override {
        conn().exec_prepared(
            "UPDATE records SET datestamp = $2, deleted = true, sets = $3, content_hash = $4, "
            "last_seen = $5, last_changed = $5, gone_at = NULL WHERE id = $1",
            {integer(id), text(header.datestamp), text(header.sets), hash_param(header.hash),
             text(header.now)});
    }

    void mark_withdrawn(std::int64_t id, const RowHeader& header) override {
        conn().exec_prepared(
            "UPDATE records SET datestamp = $2, deleted = true, sets = $3, content_hash = $4, "
            "last_seen = $5, last_changed = $5, gone_at = coalesce(gone_at, $5) WHERE id = $1",
            {integer(id), text(header.datestamp), text(header.sets), hash_param(header.hash),
             text(header.now)});
    }

    std::vector<OtherFormatRow> other_formats(const std::string& identifier) override {
        auto r = conn().exec_prepared(
            "SELECT id, metadata_prefix, datestamp, deleted::int::int8, sets, "
            "(coalesce(metadata, '') <> '')::int::int8, (gone_at IS NOT NULL)::int::int8 FROM "
            "records "
            "WHERE endpoint_id = $1 AND identifier = $2 AND metadata_prefix <> $3 "
            "ORDER BY id FOR UPDATE",
            {integer(m_endpoint), text(identifier), text(m_prefix)});
        std::vector<OtherFormatRow> rows;
        for (int i = 0; i < r.rows(); ++i) {
            rows.push_back({r.int64(i, 0), std::string(r.text(i, 1)), std::string(r.text(i, 2)),
                            r.int64(i, 3) != 0, std::string(r.text(i, 4)), r.int64(i, 5) != 0,
                            r.int64(i, 6) != 0});
        }
        return rows;
    }

    std::vector<std::string> deletions_elsewhere(const std::string& identifier) override {
        auto r = conn().exec_prepared(
            "SELECT datestamp FROM records WHERE endpoint_id = $1 AND identifier = $2 AND "
            "metadata_prefix <> $3 AND deleted AND gone_at IS NULL",
            {integer(m_endpoint), text(identifier), text(m_prefix)});
        std::vector<std::string> dates;
        for (int i = 0; i < r.rows(); ++i) {
            dates.emplace_back(r.text(i, 0));
        }
        return dates;
    }

    bool has_metadata(std::int64_t id) override {
        auto r = conn().exec_prepared("SELECT 1 FROM records WHERE id = $1 AND metadata <> ''",
                                      {integer(id)});
        return r.rows() > 0;
    }

    std::optional<std::string> read_json(std::int64_t id) override {
        auto r = conn().exec_prepared("SELECT json FROM items WHERE record_id = $1", {integer(id)});
        if (r.rows() == 0) {
            return std::nullopt;
        }
        return std::string(r.text(0, 0));
    }

    void catalogue(std::int64_t id, const metadata::Envelope& entry,
                   const metadata::Description& description, const std::string& encoded_json,
                   bool /*existed*/) override {
        auto year = pg_year_of(description.date_issued);
        // Search finds live records only, as on SQLite.
        auto search = entry.deleted ? std::nullopt : std::optional(search_vector(description));
        conn().exec_prepared(
            "INSERT INTO items (record_id, year, deleted, json, search) "
            "VALUES ($1, $2, $3, $4, $5::tsvector) ON CONFLICT (record_id) DO UPDATE SET "
            "year = excluded.year, deleted = excluded.deleted, json = excluded.json, "
            "search = excluded.search",
            {integer(id), year ? integer(*year) : null(), text(entry.deleted ? "true" : "false"),
             text(encoded_json), text(search)});
    }

    void catalogue_deleted(std::int64_t id, const std::string& encoded_json) override {
        conn().exec_prepared(
            "UPDATE items SET json = $2, deleted = true, search = NULL WHERE record_id = $1",
            {integer(id), text(encoded_json)});
    }

    void save_scope(const ScopeState& next,
                    const std::optional<std::string>& complete_at) override {
        auto optional_int = [](const std::optional<std::int64_t>& value) {
            return value ? integer(*value) : null();
        };
        conn().exec_prepared(
            "UPDATE scopes SET next_from = $2, last_complete_at = $3, list_started = $4, "
            "list_from = $5, list_until = $6, pending_token = $7, pending_cursor = $8, "
            "complete_list_size = $9, list_pages = $10, list_records = $11, list_newest = $12 "
            "WHERE id = $1",
            {integer(next.id), text(next.next_from), text(complete_at), text(next.list_started),
             text(next.list_from), text(next.list_until), text(next.pending_token),
             optional_int(next.pending_cursor), optional_int(next.complete_list_size),
             integer(next.list_pages), integer(next.list_records), text(next.list_newest)});
    }

    void add_page_to_run(RunId run, const PageCounts& counts, const RunEvents& events) override {
        conn().exec_prepared(
            "UPDATE harvest_runs SET pages = pages + 1, records_new = records_new + $2, "
            "records_updated = records_updated + $3, "
            "records_unchanged = records_unchanged + $4, "
            "records_deleted = records_deleted + $5, "
            "unreadable_records = unreadable_records + $6, retries = retries + $7, "
            "token_restarts = token_restarts + $8, "
            "repaired_characters = repaired_characters + $9, "
            "records_stale = records_stale + $10, "
            "records_kept_metadata = records_kept_metadata + $11 WHERE id = $1",
            {integer(run), integer(counts.records_new), integer(counts.records_updated),
             integer(counts.records_unchanged), integer(counts.records_deleted),
             integer(counts.unreadable_records), integer(events.retries),
             integer(events.token_restarts), integer(events.repaired_characters),
             integer(counts.records_stale), integer(counts.records_kept_metadata)});
    }

private:
    pq::Connection& conn() { return m_store.m_conn; }

    PgStore& m_store;
    EndpointId m_endpoint;
    std::string m_prefix;
};

}  // namespace detail

std::unique_ptr<detail::PageRows> PgStore::page_rows(RunId /*run*/, const ScopeState& scope) {
    return std::make_unique<detail::PgPageRows>(*this, scope);
}

}  // namespace oaiharvest::store
