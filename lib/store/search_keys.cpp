#include "store/search_keys.hpp"

#include <optional>

#include "search/search_key.hpp"

namespace oaiharvest::store::detail {
namespace {

std::optional<std::string> stored_search_keys(sql::Database& db) {
    sql::Statement read(db, "SELECT version FROM search_keys WHERE id = 1");
    if (!read.step()) {
        return std::nullopt;
    }
    return std::string(read.text(0));
}

}  // namespace

void record_search_keys(sql::Database& db) {
    sql::Statement write(db,
                         "INSERT INTO search_keys (id, version) VALUES (1, ?1) ON CONFLICT (id) "
                         "DO UPDATE SET version = excluded.version");
    write.bind(1, search::key_version()).run();
}

void keep_search_keys_current(sql::Database& db, const UpgradeObserver& observer) {
    const std::string current = search::key_version();
    if (stored_search_keys(db) == current) {
        return;
    }
    db.exec("BEGIN IMMEDIATE");
    try {
        if (stored_search_keys(db) != current) {  // another writer may have done it meanwhile
            if (observer) {
                observer(UpgradeProgress{"rebuilding the search indexes", 0, 1});
            }
            db.exec("INSERT INTO search (search) VALUES ('rebuild')");
            db.exec("INSERT INTO document_search (document_search) VALUES ('rebuild')");
            record_search_keys(db);
            if (observer) {
                observer(UpgradeProgress{"rebuilding the search indexes", 1, 1});
            }
        }
        db.exec("COMMIT");
    } catch (...) {
        (void)db.try_rollback();
        throw;
    }
}

}  // namespace oaiharvest::store::detail
