#include "store/document_text.hpp"

#include "store/sqlite.hpp"
#include "store/store_access.hpp"
#include "util/time.hpp"

namespace oaiharvest::store {
namespace {

fulltext::TextStatus status_of(std::string_view name) {
    for (auto status : {fulltext::TextStatus::extracted, fulltext::TextStatus::empty,
                        fulltext::TextStatus::unsupported}) {
        if (name == fulltext::status_name(status)) {
            return status;
        }
    }
    return fulltext::TextStatus::failed;
}

}  // namespace

std::vector<std::string> texts_wanted(Store& store, std::size_t limit) {
    auto& db = detail::StoreAccess::connection(store);
    sql::Statement wanted(db,
                          "SELECT d.sha256 FROM documents d WHERE d.state = 'stored' "
                          "AND d.sha256 IS NOT NULL AND NOT EXISTS "
                          "(SELECT 1 FROM document_texts t WHERE t.sha256 = d.sha256) "
                          "GROUP BY d.sha256 ORDER BY min(d.id) LIMIT ?1");
    wanted.bind(1, static_cast<std::int64_t>(limit));
    std::vector<std::string> out;
    while (wanted.step()) {
        out.emplace_back(wanted.text(0));
    }
    return out;
}

std::optional<std::string> stored_body_type(Store& store, const std::string& sha256) {
    auto& db = detail::StoreAccess::connection(store);
    sql::Statement type(db,
                        "SELECT coalesce(mimetype, listed_mimetype, '') FROM documents "
                        "WHERE sha256 = ?1 AND state = 'stored' ORDER BY id LIMIT 1");
    type.bind(1, sha256);
    if (!type.step()) {
        return std::nullopt;
    }
    return std::string(type.text(0));
}

void put_text(Store& store, const std::string& sha256, const fulltext::ExtractedText& text) {
    auto& db = detail::StoreAccess::connection(store);
    // An upsert, not a delete and insert: the row keeps its id, and the update trigger moves
    // its index entry (schema/011_document_text.sql).
    sql::Statement put(db,
                       "INSERT INTO document_texts (sha256, status, pages, error, extracted_at, "
                       "text) VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (sha256) DO UPDATE SET "
                       "status = excluded.status, pages = excluded.pages, error = excluded.error, "
                       "extracted_at = excluded.extracted_at, text = excluded.text");
    put.bind(1, sha256).bind(2, fulltext::status_name(text.status));
    if (text.pages) {
        put.bind(3, *text.pages);
    } else {
        put.bind_null(3);
    }
    if (text.error.empty()) {
        put.bind_null(4);
    } else {
        put.bind(4, text.error);
    }
    put.bind(5, util::format_utc_seconds(util::now_utc()));
    if (text.status == fulltext::TextStatus::extracted) {
        put.bind(6, text.text);
    } else {
        put.bind_null(6);
    }
    put.run();
}

std::int64_t drop_unused_texts(Store& store) {
    auto& db = detail::StoreAccess::connection(store);
    // The delete trigger takes each row's words out of the index.
    sql::Statement drop(db,
                        "DELETE FROM document_texts WHERE NOT EXISTS "
                        "(SELECT 1 FROM documents d WHERE d.sha256 = document_texts.sha256)");
    drop.run();
    return db.changes();
}

std::optional<TextFacts> text_facts(Store& store, const std::string& sha256) {
    auto& db = detail::StoreAccess::connection(store);
    sql::Statement facts(db,
                         "SELECT status, pages, error, extracted_at, coalesce(length(CAST(text AS "
                         "BLOB)), 0) FROM document_texts WHERE sha256 = ?1");
    facts.bind(1, sha256);
    if (!facts.step()) {
        return std::nullopt;
    }
    TextFacts out;
    out.status = status_of(facts.text(0));
    if (!facts.is_null(1)) {
        out.pages = facts.int64(1);
    }
    out.error = facts.optional_text(2);
    out.extracted_at = facts.optional_text(3).value_or("");
    out.text_bytes = facts.int64(4);
    return out;
}

}  // namespace oaiharvest::store
