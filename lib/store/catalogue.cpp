#include "store/catalogue.hpp"

namespace oaiharvest::store::detail {
namespace {

std::optional<std::int64_t> year_of(const std::optional<std::string>& date) {
    if (!date || date->size() < 4) {
        return std::nullopt;
    }
    std::int64_t year = 0;
    for (int i = 0; i < 4; ++i) {
        char c = (*date)[i];
        if (c < '0' || c > '9') {
            return std::nullopt;
        }
        year = year * 10 + (c - '0');
    }
    return year;
}

template <typename T, typename F>
std::string joined_lines(const std::vector<T>& items, F&& text) {
    std::string out;
    for (const auto& item : items) {
        if (auto t = text(item); t && !t->empty()) {
            out += (out.empty() ? "" : "\n") + *t;
        }
    }
    return out;
}

}  // namespace

CatalogueWriter::CatalogueWriter(sql::Database& db)
    : m_delete_item(db, "DELETE FROM items_json WHERE record_id = ?1"),
      m_delete_names(db, "DELETE FROM names WHERE record_id = ?1"),
      m_delete_subjects(db, "DELETE FROM subjects WHERE record_id = ?1"),
      m_delete_identifiers(db, "DELETE FROM identifiers WHERE record_id = ?1"),
      m_delete_urls(db, "DELETE FROM urls WHERE record_id = ?1"),
      m_delete_files(db, "DELETE FROM files WHERE record_id = ?1"),
      m_delete_search(db, "DELETE FROM search WHERE rowid = ?1"),
      // The view items reads the other columns out of the JSON (schema/005_items_from_json.sql).
      m_insert_item(
          db, "INSERT INTO items_json (record_id, year, json, deleted) VALUES (?1, ?2, ?3, ?4)"),
      m_insert_name(db, "INSERT INTO names VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"),
      m_insert_subject(db, "INSERT INTO subjects VALUES (?1, ?2, ?3)"),
      m_insert_identifier(db, "INSERT INTO identifiers VALUES (?1, ?2, ?3, ?4)"),
      m_insert_url(db, "INSERT INTO urls VALUES (?1, ?2, ?3)"),
      m_insert_file(db, "INSERT INTO files VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"),
      m_insert_search(db,
                      "INSERT INTO search (rowid, title, subtitle, abstract, names, subjects) "
                      "VALUES (?1, ?2, ?3, ?4, ?5, ?6)"),
      m_mark_item_deleted(db, "UPDATE items_json SET json = ?2, deleted = 1 WHERE record_id = ?1") {
}

void CatalogueWriter::remove(std::int64_t id) {
    // The index first: FTS5 reads the words to remove from search_source, which reads them from
    // the rows deleted next (schema/009_compact.sql).
    for (auto* stmt : {&m_delete_search, &m_delete_item, &m_delete_names, &m_delete_subjects,
                       &m_delete_identifiers, &m_delete_urls, &m_delete_files}) {
        stmt->bind(1, id).run();
    }
}

void CatalogueWriter::mark_deleted(std::int64_t id, const std::string& json) {
    // The index first, while search_source still shows the row live: FTS5 reads the words to
    // remove from it (schema/009_compact.sql). A row deleted already is not there: a no-op.
    m_delete_search.bind(1, id).run();
    m_mark_item_deleted.bind(1, id).bind_blob_static(2, json).run();
}

void CatalogueWriter::replace(std::int64_t id, const metadata::Envelope& envelope,
                              const metadata::Description& d, const std::string& json,
                              bool existed) {
    if (existed) {
        remove(id);
    }
    auto year = year_of(d.date_issued);
    m_insert_item.bind(1, id).bind_blob_static(3, json).bind(
        4, std::int64_t{envelope.deleted ? 1 : 0});
    year ? m_insert_item.bind(2, *year) : m_insert_item.bind_null(2);
    m_insert_item.run();

    std::int64_t pos = 0;
    for (const auto& n : d.names) {
        m_insert_name.bind(1, id)
            .bind(2, pos++)
            .bind(3, n.given)
            .bind(4, n.family)
            .bind(5, n.display)
            .bind(6, n.role)
            .bind(7, n.affiliation)
            .bind(8, n.orcid)
            .run();
    }
    pos = 0;
    for (const auto& s : d.subjects) {
        m_insert_subject.bind(1, id).bind(2, pos++).bind(3, s).run();
    }
    pos = 0;
    for (const auto& i : d.identifiers) {
        m_insert_identifier.bind(1, id).bind(2, pos++).bind(3, i.type).bind(4, i.value).run();
    }
    pos = 0;
    for (const auto& u : d.urls) {
        m_insert_url.bind(1, id).bind(2, pos++).bind(3, u).run();
    }
    pos = 0;
    for (const auto& f : d.files) {
        m_insert_file.bind(1, id)
            .bind(2, pos++)
            .bind(3, f.href)
            .bind(4, f.mimetype)
            .bind(6, f.use)
            .bind(7, f.checksum)
            .bind(8, f.checksum_type);
        f.size ? m_insert_file.bind(5, *f.size) : m_insert_file.bind_null(5);
        m_insert_file.run();
    }
    if (envelope.deleted) {
        return;  // search finds live records only (schema/004_search_live.sql)
    }
    std::string names = joined_lines(d.names, [](const metadata::Name& n) { return n.display; });
    std::string subjects =
        joined_lines(d.subjects, [](const std::string& s) { return std::optional(s); });
    m_insert_search.bind(1, id)
        .bind(2, d.title)
        .bind(3, d.subtitle)
        .bind(4, d.abstract)
        .bind(5, names)
        .bind(6, subjects)
        .run();
}

}  // namespace oaiharvest::store::detail
