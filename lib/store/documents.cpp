#include "store/documents.hpp"

#include <algorithm>
#include <set>

#include "store/postgres/pg_store.hpp"
#include "store/sqlite.hpp"
#include "store/store_access.hpp"

namespace oaiharvest::store {
namespace {

// Rows of the endpoint whose record (any of its copies) changed at or after ?2.
// The identifiers changed since are found once (an IN list), not probed for every record of the
// endpoint: a sync with nothing changed costs about what finding nothing costs.
constexpr const char* k_touched =
    "r.endpoint_id = ?1 AND r.identifier IN (SELECT c.identifier FROM records c "
    "WHERE c.endpoint_id = ?1 AND c.last_changed >= ?2)";

// A live copy that no newer copy deletes: the record as the mirror holds it lists these files.
constexpr const char* k_live =
    "r.deleted = 0 AND NOT EXISTS (SELECT 1 FROM records n WHERE n.endpoint_id = r.endpoint_id "
    "AND n.identifier = r.identifier AND n.deleted = 1 "
    "AND coalesce(julianday(n.datestamp), -1) > coalesce(julianday(r.datestamp), -1))";

// "Application/PDF; charset=x" -> "application/pdf".
std::string bare_type(std::string_view type) {
    type = type.substr(0, type.find(';'));
    while (!type.empty() && (type.back() == ' ' || type.back() == '\t')) {
        type.remove_suffix(1);
    }
    std::string out(type);
    std::transform(out.begin(), out.end(), out.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return out;
}

std::string joined(const std::vector<std::string>& types) {
    std::string out;
    for (const auto& type : types) {
        out += type;
        out += '\n';
    }
    return out;
}

sql::Database& db_of(Store& store) {
    return detail::StoreAccess::connection(store);
}

}  // namespace

DocumentSyncResult sync_documents(Store& store, EndpointId endpoint,
                                  const std::vector<std::string>& wanted_types) {
    sql::Database& db = db_of(store);
    sql::Transaction transaction(db);
    DocumentSyncResult result;
    const std::string wanted = joined(wanted_types);

    std::string since;  // "": every record (no sync yet, or other types wanted)
    {
        sql::Statement last(db,
                            "SELECT synced_from, wanted FROM document_sync WHERE endpoint_id = ?1");
        last.bind(1, endpoint);
        if (last.step() && last.text(1) == wanted) {
            since = std::string(last.text(0));
        }
    }
    // A record whose last_changed equals the watermark is read again (one committed later in
    // that second is not missed) but sets revalidate only when it changed after: otherwise each
    // harvest would ask again for the files of the last second's records. The price: a record
    // changed in that same second after the sync keeps its files unchecked until it changes again.
    sql::Statement unlink(db, std::string("DELETE FROM record_documents WHERE record_id IN "
                                          "(SELECT r.id FROM records r WHERE ") +
                                  k_touched + ")");
    unlink.bind(1, endpoint).bind(2, since);
    unlink.run();

    sql::Statement files(db,
                         std::string("SELECT r.id, f.href, f.mimetype, f.size, r.last_changed "
                                     "FROM records r JOIN files f ON f.record_id = r.id WHERE ") +
                             k_touched + " AND " + k_live + " ORDER BY r.id, f.position");
    sql::Statement upsert(
        db,
        "INSERT INTO documents (endpoint_id, url, listed_mimetype, listed_size, "
        "state) VALUES (?1, ?2, ?3, ?4, 'pending') ON CONFLICT (endpoint_id, url) "
        "DO UPDATE SET listed_mimetype = excluded.listed_mimetype, "
        "listed_size = excluded.listed_size RETURNING id, state");
    sql::Statement exists(db, "SELECT 1 FROM documents WHERE endpoint_id = ?1 AND url = ?2");
    // A stored body is asked for again (conditionally); a refused one is tried afresh.
    sql::Statement revalidate(
        db,
        "UPDATE documents SET revalidate = (state = 'stored'), "
        "state = CASE state WHEN 'refused' THEN 'pending' ELSE state END, "
        "next_attempt_at = NULL WHERE id = ?1 AND state IN ('stored', 'refused')");
    sql::Statement link(db, "INSERT OR IGNORE INTO record_documents VALUES (?1, ?2)");
    files.bind(1, endpoint).bind(2, since);
    std::set<std::int64_t> records;
    while (files.step()) {
        const std::int64_t record = files.int64(0);
        records.insert(record);
        const std::string url(files.text(1));
        const auto listed_type = files.optional_text(2);
        if (listed_type && std::find(wanted_types.begin(), wanted_types.end(),
                                     bare_type(*listed_type)) == wanted_types.end()) {
            continue;  // not a document this endpoint mirrors
        }
        exists.bind(1, endpoint).bind(2, url);
        const bool known = exists.step();
        exists.reset();
        upsert.bind(1, endpoint).bind(2, url).bind(3, listed_type);
        if (files.is_null(3)) {
            upsert.bind_null(4);
        } else {
            upsert.bind(4, files.int64(3));
        }
        if (!upsert.step()) {
            db.fail("upsert of a document returned no row");
        }
        const std::int64_t document = upsert.int64(0);
        upsert.reset();
        result.documents_added += known ? 0 : 1;
        if (known && !since.empty() && files.text(4) > since) {
            revalidate.bind(1, document);
            revalidate.run();
        }
        link.bind(1, record).bind(2, document);
        link.run();
    }
    result.records_read = static_cast<std::int64_t>(records.size());

    sql::Statement orphans(db,
                           "DELETE FROM documents WHERE endpoint_id = ?1 AND NOT EXISTS "
                           "(SELECT 1 FROM record_documents d WHERE d.document_id = documents.id) "
                           "RETURNING sha256");
    orphans.bind(1, endpoint);
    std::set<std::string> freed;
    while (orphans.step()) {
        ++result.documents_removed;
        if (auto sha = orphans.optional_text(0)) {
            freed.insert(*sha);
        }
    }
    orphans.reset();
    for (const auto& sha : freed) {
        if (!body_in_use(store, sha)) {
            result.unused_bodies.push_back(sha);
        }
    }

    sql::Statement newest(
        db, std::string("SELECT max(r.last_changed) FROM records r WHERE ") + k_touched);
    newest.bind(1, endpoint).bind(2, since);
    std::optional<std::string> through;
    if (newest.step()) {
        through = newest.optional_text(0);
    }
    newest.reset();
    if (through || since.empty()) {
        sql::Statement save(
            db,
            "INSERT INTO document_sync VALUES (?1, ?2, ?3) ON CONFLICT (endpoint_id) "
            "DO UPDATE SET synced_from = excluded.synced_from, "
            "wanted = excluded.wanted");
        save.bind(1, endpoint).bind(2, through.value_or("")).bind(3, wanted);
        save.run();
    }
    transaction.commit();
    return result;
}

std::vector<DueDocument> due_documents(Store& store, EndpointId endpoint, util::UtcTime now,
                                       std::int64_t after_id, std::int64_t limit) {
    sql::Statement due(
        db_of(store),
        "SELECT id, url, listed_mimetype, state, sha256, etag, last_modified, "
        "attempts FROM documents WHERE endpoint_id = ?1 AND id > ?4 AND (state = 'pending' "
        "OR (state = 'failed' AND coalesce(next_attempt_at, '') <= ?2) "
        "OR (state = 'stored' AND revalidate = 1 "
        "AND coalesce(next_attempt_at, '') <= ?2)) ORDER BY id LIMIT ?3");
    due.bind(1, endpoint).bind(2, util::format_utc_seconds(now)).bind(3, limit).bind(4, after_id);
    std::vector<DueDocument> out;
    while (due.step()) {
        DueDocument d;
        d.id = due.int64(0);
        d.url = std::string(due.text(1));
        d.listed_mimetype = due.optional_text(2);
        d.state = std::string(due.text(3));
        d.sha256 = due.optional_text(4);
        d.etag = due.optional_text(5);
        d.last_modified = due.optional_text(6);
        d.attempts = due.int64(7);
        out.push_back(std::move(d));
    }
    return out;
}

std::optional<std::string> mark_document_stored(Store& store, std::int64_t id,
                                                const StoredBody& body, util::UtcTime now) {
    sql::Database& db = db_of(store);
    sql::Transaction transaction(db);
    std::optional<std::string> before;
    {
        sql::Statement old(db, "SELECT sha256 FROM documents WHERE id = ?1");
        old.bind(1, id);
        if (old.step()) {
            before = old.optional_text(0);
        }
    }
    const std::string at = util::format_utc_seconds(now);
    sql::Statement update(db,
                          "UPDATE documents SET state = 'stored', revalidate = 0, sha256 = ?2, "
                          "size = ?3, mimetype = ?4, etag = ?5, last_modified = ?6, "
                          "fetched_at = ?7, checked_at = ?7, attempts = 0, next_attempt_at = NULL, "
                          "error = NULL WHERE id = ?1");
    update.bind(1, id).bind(2, body.sha256).bind(3, body.size).bind(4, body.mimetype);
    update.bind(5, body.etag).bind(6, body.last_modified).bind(7, at);
    update.run();
    std::optional<std::string> unused;
    if (before && *before != body.sha256 && !body_in_use(store, *before)) {
        unused = before;
    }
    transaction.commit();
    return unused;
}

void mark_document_unchanged(Store& store, std::int64_t id, util::UtcTime now) {
    sql::Statement update(db_of(store),
                          "UPDATE documents SET revalidate = 0, checked_at = ?2, attempts = 0, "
                          "next_attempt_at = NULL, error = NULL WHERE id = ?1");
    update.bind(1, id).bind(2, util::format_utc_seconds(now));
    update.run();
}

void mark_document_failed(Store& store, std::int64_t id, const std::string& error,
                          util::UtcTime now, util::UtcTime next_attempt) {
    sql::Statement update(
        db_of(store),
        "UPDATE documents SET state = CASE state WHEN 'stored' THEN 'stored' "
        "ELSE 'failed' END, attempts = attempts + 1, error = ?2, checked_at = ?3, "
        "next_attempt_at = ?4 WHERE id = ?1");
    update.bind(1, id).bind(2, error).bind(3, util::format_utc_seconds(now));
    update.bind(4, util::format_utc_seconds(next_attempt));
    update.run();
}

void mark_document_refused(Store& store, std::int64_t id, const std::string& reason,
                           const std::optional<std::string>& mimetype, util::UtcTime now) {
    sql::Statement update(db_of(store),
                          "UPDATE documents SET state = 'refused', revalidate = 0, error = ?2, "
                          "mimetype = coalesce(?3, mimetype), checked_at = ?4, "
                          "next_attempt_at = NULL WHERE id = ?1");
    update.bind(1, id).bind(2, reason).bind(3, mimetype).bind(4, util::format_utc_seconds(now));
    update.run();
}

bool body_in_use(Store& store, const std::string& sha256) {
    sql::Statement used(db_of(store), "SELECT 1 FROM documents WHERE sha256 = ?1 LIMIT 1");
    used.bind(1, sha256);
    return used.step();
}

bool remove_unused_body(Store& store, const std::string& sha256,
                        const std::function<void()>& remove) {
    sql::Database& db = db_of(store);
    sql::Transaction transaction(db);
    if (body_in_use(store, sha256)) {
        return false;
    }
    remove();
    transaction.commit();
    return true;
}

bool lists_documents(Store& store) {
    if (detail::PgAccess::connection(store)) {
        return false;  // documents are not mirrored into PostgreSQL yet (docs/scaling.md)
    }
    sql::Statement any(db_of(store), "SELECT 1 FROM record_documents LIMIT 1");
    return any.step();
}

DocumentCounts document_counts(Store& store, const std::string& endpoint) {
    if (detail::PgAccess::connection(store)) {
        return {};  // documents are not mirrored into PostgreSQL yet (docs/scaling.md)
    }
    sql::Database& db = db_of(store);
    DocumentCounts counts;
    sql::Statement by_state(db,
                            "SELECT d.state, count(*) FROM documents d JOIN endpoints e "
                            "ON e.id = d.endpoint_id WHERE e.name = ?1 GROUP BY d.state");
    by_state.bind(1, endpoint);
    while (by_state.step()) {
        const auto state = by_state.text(0);
        const std::int64_t n = by_state.int64(1);
        (state == "stored"    ? counts.stored
         : state == "pending" ? counts.pending
         : state == "failed"  ? counts.failed
                              : counts.refused) = n;
    }
    sql::Statement last(db,
                        "SELECT d.error, d.checked_at FROM documents d JOIN endpoints e "
                        "ON e.id = d.endpoint_id WHERE e.name = ?1 AND d.error IS NOT NULL "
                        "AND d.state IN ('failed', 'stored') "
                        "ORDER BY d.checked_at DESC, d.id DESC LIMIT 1");
    last.bind(1, endpoint);
    if (last.step()) {
        counts.last_error = last.optional_text(0);
        counts.last_error_at = last.optional_text(1);
    }
    return counts;
}

std::vector<ListedDocument> listed_documents(Store& store, const std::string& endpoint,
                                             const std::string& identifier) {
    if (detail::PgAccess::connection(store)) {
        return {};
    }
    sql::Statement listed(
        db_of(store),
        "SELECT DISTINCT d.url, d.state, d.sha256, coalesce(d.size, d.listed_size), "
        "coalesce(d.mimetype, d.listed_mimetype), d.error FROM records r "
        "JOIN record_documents rd ON rd.record_id = r.id "
        "JOIN documents d ON d.id = rd.document_id "
        "JOIN endpoints e ON e.id = r.endpoint_id "
        "WHERE e.name = ?1 AND r.identifier = ?2 ORDER BY d.url");
    listed.bind(1, endpoint).bind(2, identifier);
    std::vector<ListedDocument> out;
    while (listed.step()) {
        ListedDocument d;
        d.url = std::string(listed.text(0));
        d.state = std::string(listed.text(1));
        d.sha256 = listed.optional_text(2);
        if (!listed.is_null(3)) {
            d.size = listed.int64(3);
        }
        d.mimetype = listed.optional_text(4);
        d.error = listed.optional_text(5);
        out.push_back(std::move(d));
    }
    return out;
}

}  // namespace oaiharvest::store
