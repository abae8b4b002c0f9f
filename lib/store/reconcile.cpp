#include "store/reconcile.hpp"

#include <nlohmann/json.hpp>

#include "store/packing.hpp"
#include "store/postgres/pg_reconcile.hpp"
#include "store/postgres/pg_store.hpp"
#include "store/sqlite.hpp"
#include "store/store_access.hpp"

namespace oaiharvest::store {
namespace {

std::vector<std::string> set_list(std::string_view stored) {
    std::vector<std::string> sets;
    auto parsed = nlohmann::json::parse(stored, nullptr, false);
    if (parsed.is_array()) {
        for (const auto& spec : parsed) {
            if (spec.is_string()) {
                sets.push_back(spec.get<std::string>());
            }
        }
    }
    return sets;
}

}  // namespace

namespace {
constexpr const char* k_held_columns =
    "SELECT identifier, datestamp, deleted, gone_at IS NOT NULL, sets FROM records ";

HeldRecord read_held(const sql::Statement& row) {
    return {std::string(row.text(0)), std::string(row.text(1)), row.int64(2) != 0,
            row.int64(3) != 0, set_list(row.text(4))};
}
}  // namespace

struct HeldRecords::Impl {
    Impl(Store& s, EndpointId e, std::string p)
        : store(s), endpoint(e), prefix(std::move(p)), pg(detail::PgAccess::connection(s)) {
        if (!pg) {
            find.emplace(detail::StoreAccess::connection(s),
                         std::string(k_held_columns) +
                             "WHERE endpoint_id = ?1 AND identifier = ?2 AND "
                             "metadata_prefix = ?3");
        }
    }
    Store& store;
    EndpointId endpoint;
    std::string prefix;
    pq::Connection* pg;                  // a PostgreSQL mirror's, else nullptr
    std::optional<sql::Statement> find;  // a SQLite mirror's
};

HeldRecords::HeldRecords(Store& store, EndpointId endpoint, std::string prefix)
    : m_impl(std::make_unique<Impl>(store, endpoint, std::move(prefix))) {}

HeldRecords::~HeldRecords() = default;

std::optional<HeldRecord> HeldRecords::find(const std::string& identifier) {
    if (m_impl->pg) {
        return detail::pg_held_record(*m_impl->pg, m_impl->endpoint, m_impl->prefix, identifier);
    }
    auto& find = *m_impl->find;
    find.bind(1, m_impl->endpoint).bind(2, identifier).bind(3, m_impl->prefix);
    std::optional<HeldRecord> held;
    if (find.step()) {
        held = read_held(find);
    }
    find.reset();
    return held;
}

void HeldRecords::for_each(const std::function<void(const HeldRecord&)>& visit) {
    if (m_impl->pg) {
        detail::pg_for_each_held(*m_impl->pg, m_impl->endpoint, m_impl->prefix, visit);
        return;
    }
    sql::Statement select(
        detail::StoreAccess::connection(m_impl->store),
        std::string(k_held_columns) + "WHERE endpoint_id = ?1 AND metadata_prefix = ?2");
    select.bind(1, m_impl->endpoint).bind(2, m_impl->prefix);
    while (select.step()) {
        visit(read_held(select));
    }
}

std::optional<std::string> stored_metadata(Store& store, EndpointId endpoint,
                                           const std::string& identifier,
                                           const std::string& prefix) {
    if (auto* pg = detail::PgAccess::connection(store)) {
        return detail::pg_stored_metadata(*pg, endpoint, identifier, prefix);
    }
    sql::Statement select(
        detail::StoreAccess::connection(store),
        "SELECT oaiharvest_unpack(metadata) FROM records WHERE endpoint_id = ?1 AND "
        "identifier = ?2 AND metadata_prefix = ?3");
    select.bind(1, endpoint).bind(2, identifier).bind(3, prefix);
    if (!select.step()) {
        return std::nullopt;
    }
    return select.optional_text(0);
}

std::vector<std::pair<std::string, std::string>> known_scopes(Store& store, EndpointId endpoint) {
    if (auto* pg = detail::PgAccess::connection(store)) {
        return detail::pg_known_scopes(*pg, endpoint);
    }
    sql::Statement select(detail::StoreAccess::connection(store),
                          "SELECT metadata_prefix, set_spec FROM scopes WHERE endpoint_id = ?1 "
                          "ORDER BY id");
    select.bind(1, endpoint);
    std::vector<std::pair<std::string, std::string>> scopes;
    while (select.step()) {
        scopes.emplace_back(select.text(0), select.text(1));
    }
    return scopes;
}

namespace {
std::optional<util::UtcTime> last_started(Store& store, EndpointId endpoint,
                                          std::string_view kind) {
    if (auto* pg = detail::PgAccess::connection(store)) {
        return detail::pg_last_started(*pg, endpoint, kind);
    }
    sql::Statement select(detail::StoreAccess::connection(store),
                          "SELECT max(r.started_at) FROM harvest_runs r JOIN scopes s ON "
                          "s.id = r.scope_id WHERE s.endpoint_id = ?1 AND r.kind = ?2");
    select.bind(1, endpoint).bind(2, kind);
    if (!select.step() || select.is_null(0)) {
        return std::nullopt;
    }
    return util::parse_utc(std::string(select.text(0)));
}
}  // namespace

std::optional<util::UtcTime> last_reconcile_started(Store& store, EndpointId endpoint) {
    return last_started(store, endpoint, "reconcile");
}

std::optional<util::UtcTime> last_harvest_started(Store& store, EndpointId endpoint) {
    return last_started(store, endpoint, "harvest");
}

RunId begin_reconcile_run(Store& store, const ScopeState& scope, util::UtcTime started) {
    if (auto* pg = detail::PgAccess::connection(store)) {
        return detail::pg_begin_reconcile_run(*pg, scope, started);
    }
    // Only the holder of the harvest lock writes, so a 'running' row here is a killed run's.
    sql::Statement stale(detail::StoreAccess::connection(store),
                         "UPDATE harvest_runs SET outcome = 'died', "
                         "finished_at = coalesce(finished_at, ?2), "
                         "error = coalesce(error, 'the process ended before the run finished') "
                         "WHERE scope_id = ?1 AND outcome = 'running'");
    stale.bind(1, scope.id).bind(2, util::format_utc_seconds(started)).run();
    sql::Statement insert(detail::StoreAccess::connection(store),
                          "INSERT INTO harvest_runs (scope_id, started_at, kind) "
                          "VALUES (?1, ?2, 'reconcile')");
    insert.bind(1, scope.id).bind(2, util::format_utc_seconds(started)).run();
    return detail::StoreAccess::connection(store).last_insert_rowid();
}

bool mark_gone(Store& store, RunId run, EndpointId endpoint, const std::string& identifier,
               const std::string& prefix, util::UtcTime when) {
    store.check_file();
    if (auto* pg = detail::PgAccess::connection(store)) {
        return detail::pg_mark_gone(*pg, run, endpoint, identifier, prefix, when);
    }
    auto& db = detail::StoreAccess::connection(store);
    sql::Transaction transaction(db);
    sql::Statement find(db,
                        "SELECT id FROM records WHERE endpoint_id = ?1 AND identifier = ?2 AND "
                        "metadata_prefix = ?3 AND gone_at IS NULL");
    find.bind(1, endpoint).bind(2, identifier).bind(3, prefix);
    if (!find.step()) {
        return false;
    }
    const std::int64_t id = find.int64(0);
    find.reset();
    const std::string now = util::format_utc_seconds(when);
    // An empty hash: no copy hashes to it, so the next copy of the record is stored.
    sql::Statement update(db,
                          "UPDATE records SET deleted = 1, gone_at = ?2, last_changed = ?2, "
                          "content_hash = X'' WHERE id = ?1");
    update.bind(1, id).bind(2, now).run();

    // search finds live records only (schema/004_search_live.sql). Unindexed first: FTS5 reads
    // the words to remove from the live JSON (schema/009_compact.sql).
    sql::Statement unindex(db, "DELETE FROM search WHERE rowid = ?1");
    unindex.bind(1, id).run();
    sql::Statement read_json(
        db, "SELECT oaiharvest_unpack(json), json FROM items_json WHERE record_id = ?1");
    read_json.bind(1, id);
    if (read_json.step()) {
        auto json = nlohmann::ordered_json::parse(read_json.text(0), nullptr, false);
        // Packed again with the dictionary it was packed with.
        auto frame = read_json.blob(1);
        const std::int64_t dictionary = detail::is_packed(frame) ? detail::dictionary_id(frame) : 0;
        read_json.reset();
        if (json.is_object()) {
            json["deleted"] = true;
            sql::Statement write_json(db,
                                      "UPDATE items_json SET json = oaiharvest_pack(?2, ?3), "
                                      "deleted = 1 WHERE record_id = ?1");
            write_json.bind(1, id).bind(2, json.dump()).bind(3, dictionary).run();
        }
    }
    sql::Statement count(db,
                         "UPDATE harvest_runs SET records_gone = records_gone + 1 WHERE id = ?1");
    count.bind(1, run).run();
    transaction.commit();
    return true;
}

void finish_reconcile_run(Store& store, RunId run, ScopeId scope, Outcome outcome,
                          util::UtcTime finished, const RunEvents& events, std::int64_t pages,
                          std::int64_t sets_corrected, const std::optional<std::string>& error) {
    // The outcome is written last: a process killed before it leaves a run that becomes died.
    if (auto* pg = detail::PgAccess::connection(store)) {
        detail::pg_reconcile_counts(*pg, run, scope, outcome == Outcome::ok, finished, pages,
                                    sets_corrected);
        store.finish_run(run, outcome, finished, events, error);
        return;
    }
    sql::Statement counts(detail::StoreAccess::connection(store),
                          "UPDATE harvest_runs SET pages = ?2, sets_corrected = ?3 WHERE id = ?1");
    counts.bind(1, run).bind(2, pages).bind(3, sets_corrected).run();
    if (outcome == Outcome::ok) {
        sql::Statement done(detail::StoreAccess::connection(store),
                            "UPDATE scopes SET last_reconciled_at = ?2 WHERE id = ?1");
        done.bind(1, scope).bind(2, util::format_utc_seconds(finished)).run();
    }
    store.finish_run(run, outcome, finished, events, error);
}

}  // namespace oaiharvest::store
