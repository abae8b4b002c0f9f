#include "store/migrate_compact.hpp"
#include "store/packing.hpp"
#include "store/sqlite.hpp"
#include "store/sqlite_store.hpp"
#include "store/statements.hpp"

namespace oaiharvest::store {

SqliteStore::Statements::Statements(sql::Database& db)
    : find_record(db,
                  "SELECT id, content_hash, deleted, datestamp, metadata IS NOT NULL, "
                  "gone_at IS NOT NULL, sets FROM records "
                  "WHERE endpoint_id = ?1 AND identifier = ?2 AND metadata_prefix = ?3"),
      insert_record(db,
                    "INSERT INTO records (endpoint_id, identifier, metadata_prefix, datestamp, "
                    "deleted, sets, metadata, content_hash, first_seen, last_seen, last_changed) "
                    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9, ?9)"),
      update_record(db,
                    "UPDATE records SET datestamp = ?2, deleted = 0, sets = ?3, metadata = ?4, "
                    "content_hash = ?5, last_seen = ?6, last_changed = ?6, gone_at = NULL "
                    "WHERE id = ?1"),
      mark_deleted(db,
                   "UPDATE records SET datestamp = ?2, deleted = 1, sets = ?3, "
                   "content_hash = ?4, last_seen = ?5, last_changed = ?5, gone_at = NULL "
                   "WHERE id = ?1"),
      other_formats(db,
                    "SELECT id, metadata_prefix, datestamp, deleted, sets, "
                    "oaiharvest_unpack(metadata), "
                    "gone_at IS NOT NULL FROM records WHERE endpoint_id = ?1 AND identifier = ?2 "
                    "AND metadata_prefix <> ?3"),
      deletions_elsewhere(db,
                          "SELECT datestamp FROM records WHERE endpoint_id = ?1 AND "
                          "identifier = ?2 AND metadata_prefix <> ?3 AND deleted = 1 AND "
                          "gone_at IS NULL"),
      mark_withdrawn(db,
                     "UPDATE records SET datestamp = ?2, deleted = 1, sets = ?3, "
                     "content_hash = ?4, last_seen = ?5, last_changed = ?5, "
                     "gone_at = coalesce(gone_at, ?5) WHERE id = ?1"),
      save_scope(db,
                 "UPDATE scopes SET next_from = ?2, last_complete_at = ?3, list_started = ?4, "
                 "list_from = ?5, list_until = ?6, pending_token = ?7, pending_cursor = ?8, "
                 "complete_list_size = ?9, list_pages = ?10, list_records = ?11, "
                 "list_newest = ?12 WHERE id = ?1"),
      add_page_to_run(db,
                      "UPDATE harvest_runs SET pages = pages + 1, "
                      "records_new = records_new + ?2, records_updated = records_updated + ?3, "
                      "records_unchanged = records_unchanged + ?4, "
                      "records_deleted = records_deleted + ?5, "
                      "unreadable_records = unreadable_records + ?6, retries = retries + ?7, "
                      "token_restarts = token_restarts + ?8, "
                      "repaired_characters = repaired_characters + ?9, "
                      "records_stale = records_stale + ?10, "
                      "records_kept_metadata = records_kept_metadata + ?11 WHERE id = ?1"),
      read_metadata(db, "SELECT oaiharvest_unpack(metadata) FROM records WHERE id = ?1"),
      read_json(db, "SELECT oaiharvest_unpack(json) FROM items_json WHERE record_id = ?1"),
      save_dictionary(db, detail::k_save_dictionary),
      catalogue(db) {}

SqliteStore::~SqliteStore() = default;

sql::Database& SqliteStore::reader() {
    if (!m_reader) {
        // The file exists and is in WAL mode by now (the constructor made it so).
        check_file();
        m_reader = std::make_unique<sql::Database>(m_path, sql::Database::Mode::read_only);
    }
    return *m_reader;
}

std::shared_ptr<detail::ScopePacker> SqliteStore::packer(EndpointId endpoint,
                                                         const std::string& prefix) {
    auto& packer = m_packers[{endpoint, prefix}];
    if (!packer) {
        sql::Statement newest(*m_db,
                              "SELECT id, bytes, samples FROM dictionaries WHERE endpoint_id = ?1 "
                              "AND metadata_prefix = ?2 AND kind = ?3 ORDER BY rowid DESC LIMIT 1");
        auto load = [&](detail::PackedKind kind) -> std::shared_ptr<const detail::Dictionary> {
            newest.bind(1, endpoint).bind(2, prefix).bind(3, detail::kind_name(kind));
            std::shared_ptr<const detail::Dictionary> dictionary;
            if (newest.step()) {
                auto bytes = newest.blob(1);
                dictionary = std::make_shared<const detail::Dictionary>(
                    static_cast<std::uint32_t>(newest.int64(0)),
                    std::string(reinterpret_cast<const char*>(bytes.data()), bytes.size()), kind,
                    newest.int64(2));
            }
            newest.reset();
            return dictionary;
        };
        auto metadata = load(detail::PackedKind::metadata);
        packer = std::make_shared<detail::ScopePacker>(std::move(metadata),
                                                       load(detail::PackedKind::json));
    }
    return packer;
}

sql::Statement& SqliteStore::stored_hash_lookup() {
    if (!m_find_stored_hash) {
        m_find_stored_hash = std::make_unique<sql::Statement>(
            reader(),
            "SELECT content_hash FROM records "
            "WHERE endpoint_id = ?1 AND identifier = ?2 AND metadata_prefix = ?3");
    }
    return *m_find_stored_hash;
}

namespace {
EndpointFacts read_endpoint(sql::Statement& stmt) {
    EndpointFacts facts;
    facts.id = stmt.int64(0);
    facts.name = stmt.text(1);
    facts.base_url = stmt.text(2);
    facts.granularity = stmt.optional_text(3);
    facts.deleted_record = stmt.optional_text(4);
    facts.identified_at = stmt.optional_text(5);
    return facts;
}
constexpr const char* k_select_endpoint =
    "SELECT id, name, base_url, granularity, deleted_record, identified_at FROM endpoints "
    "WHERE name = ?1";
}  // namespace

std::optional<EndpointFacts> SqliteStore::find_endpoint(const std::string& name) {
    sql::Statement stmt(*m_db, k_select_endpoint);
    stmt.bind(1, name);
    if (!stmt.step()) {
        return std::nullopt;
    }
    return read_endpoint(stmt);
}

EndpointFacts SqliteStore::endpoint(const std::string& name, const std::string& base_url) {
    sql::Statement upsert(*m_db,
                          "INSERT INTO endpoints (name, base_url, created_at) VALUES (?1, ?2, ?3) "
                          "ON CONFLICT (name) DO UPDATE SET base_url = excluded.base_url");
    upsert.bind(1, name).bind(2, base_url).bind(3, util::format_utc_seconds(util::now_utc())).run();
    return *find_endpoint(name);
}

void SqliteStore::save_next_due(EndpointId id, const std::optional<util::UtcTime>& when) {
    sql::Statement stmt(*m_db, "UPDATE endpoints SET next_due = ?2 WHERE id = ?1");
    stmt.bind(1, id)
        .bind(2, when ? std::optional<std::string>(util::format_utc_seconds(*when)) : std::nullopt)
        .run();
}

void SqliteStore::save_endpoint_error(const std::string& name,
                                      const std::optional<std::string>& error, util::UtcTime when) {
    sql::Statement stmt(*m_db,
                        "UPDATE endpoints SET last_error = ?2, last_error_at = "
                        "CASE WHEN ?2 IS NULL THEN NULL ELSE ?3 END WHERE name = ?1");
    stmt.bind(1, name).bind(2, error).bind(3, util::format_utc_seconds(when)).run();
}

bool SqliteStore::has_unfinished_list(EndpointId id) {
    sql::Statement stmt(
        *m_db, "SELECT 1 FROM scopes WHERE endpoint_id = ?1 AND pending_token IS NOT NULL");
    stmt.bind(1, id);
    return stmt.step();
}

void SqliteStore::save_identify(EndpointId id, const RepositoryFacts& info, util::UtcTime when) {
    sql::Statement stmt(*m_db,
                        "UPDATE endpoints SET repository_name = ?2, protocol_version = ?3, "
                        "granularity = ?4, earliest_datestamp = ?5, deleted_record = ?6, "
                        "admin_email = ?7, identified_at = ?8 WHERE id = ?1");
    auto text_or_null = [](const std::string& s) {
        return s.empty() ? std::nullopt : std::optional<std::string>(s);
    };
    stmt.bind(1, id)
        .bind(2, text_or_null(info.repository_name))
        .bind(3, text_or_null(info.protocol_version))
        .bind(4, text_or_null(info.granularity))
        .bind(5, text_or_null(info.earliest_datestamp))
        .bind(6, text_or_null(info.deleted_record))
        .bind(7, text_or_null(info.admin_email))
        .bind(8, util::format_utc_seconds(when))
        .run();
}

ScopeState SqliteStore::scope(EndpointId endpoint, const std::string& prefix,
                              const std::string& set_spec) {
    sql::Statement insert(*m_db,
                          "INSERT INTO scopes (endpoint_id, metadata_prefix, set_spec) "
                          "VALUES (?1, ?2, ?3) ON CONFLICT DO NOTHING");
    insert.bind(1, endpoint).bind(2, prefix).bind(3, set_spec).run();
    sql::Statement select(*m_db,
                          "SELECT id, next_from, list_started, list_from, list_until, "
                          "pending_token, pending_cursor, complete_list_size, list_pages, "
                          "list_records, list_newest FROM scopes WHERE endpoint_id = ?1 AND "
                          "metadata_prefix = ?2 AND set_spec = ?3");
    select.bind(1, endpoint).bind(2, prefix).bind(3, set_spec);
    select.step();
    ScopeState s;
    s.id = select.int64(0);
    s.endpoint_id = endpoint;
    sql::Statement name(*m_db, "SELECT name FROM endpoints WHERE id = ?1");
    name.bind(1, endpoint);
    if (name.step()) {
        s.endpoint_name = name.text(0);
    }
    s.metadata_prefix = prefix;
    s.set_spec = set_spec;
    s.next_from = select.optional_text(1);
    s.list_started = select.optional_text(2);
    s.list_from = select.optional_text(3);
    s.list_until = select.optional_text(4);
    s.pending_token = select.optional_text(5);
    if (!select.is_null(6)) {
        s.pending_cursor = select.int64(6);
    }
    if (!select.is_null(7)) {
        s.complete_list_size = select.int64(7);
    }
    s.list_pages = select.int64(8);
    s.list_records = select.int64(9);
    s.list_newest = select.optional_text(10);
    return s;
}

void SqliteStore::abandon_list(ScopeState& scope) {
    sql::Statement stmt(*m_db,
                        "UPDATE scopes SET list_started = NULL, list_from = NULL, "
                        "list_until = NULL, pending_token = NULL, pending_cursor = NULL, "
                        "complete_list_size = NULL, list_pages = 0, list_records = 0, "
                        "list_newest = NULL WHERE id = ?1");
    stmt.bind(1, scope.id).run();
    scope.forget_list();
}

RunId SqliteStore::begin_run(const ScopeState& scope, util::UtcTime started,
                             const std::optional<std::string>& from,
                             const std::optional<std::string>& until, bool resumed) {
    // Only the holder of the harvest lock writes, so a 'running' row here is a killed run's.
    sql::Statement stale(*m_db,
                         "UPDATE harvest_runs SET outcome = 'died', "
                         "error = coalesce(error, 'the process ended before the run finished') "
                         "WHERE scope_id = ?1 AND outcome = 'running'");
    stale.bind(1, scope.id).run();
    sql::Statement insert(*m_db,
                          "INSERT INTO harvest_runs (scope_id, started_at, request_from, "
                          "request_until, resumed) VALUES (?1, ?2, ?3, ?4, ?5)");
    insert.bind(1, scope.id)
        .bind(2, util::format_utc_seconds(started))
        .bind(3, from)
        .bind(4, until)
        .bind(5, std::int64_t{resumed ? 1 : 0})
        .run();
    return m_db->last_insert_rowid();
}

void SqliteStore::finish_run(RunId run, Outcome outcome, util::UtcTime finished,
                             const RunEvents& events, const std::optional<std::string>& error) {
    // A run written into a deleted or replaced file is lost: fail it rather than report ok.
    check_file();
    static constexpr const char* k_names[] = {"ok", "failed", "interrupted", "died"};
    sql::Statement stmt(*m_db,
                        "UPDATE harvest_runs SET outcome = ?2, finished_at = ?3, error = ?4, "
                        "retries = retries + ?5, token_restarts = token_restarts + ?6, "
                        "repaired_characters = repaired_characters + ?7 WHERE id = ?1");
    stmt.bind(1, run)
        .bind(2, std::string_view(k_names[static_cast<int>(outcome)]))
        .bind(3, util::format_utc_seconds(finished))
        .bind(4, error)
        .bind(5, events.retries)
        .bind(6, events.token_restarts)
        .bind(7, events.repaired_characters)
        .run();
}

}  // namespace oaiharvest::store
