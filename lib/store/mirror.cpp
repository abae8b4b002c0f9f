// What every backend of Store shares: choosing the backend, and a page's start.
#include "store/page_rows.hpp"
#include "store/postgres/pg_store.hpp"
#include "store/sqlite_store.hpp"
#include "store/store.hpp"

namespace oaiharvest::store {

bool is_postgres_url(const std::string& database) {
    return database.starts_with("postgresql://") || database.starts_with("postgres://");
}

std::string database_name(const std::string& database) {
    return is_postgres_url(database) ? pq::redact_url(database) : database;
}

std::unique_ptr<Store> Store::open(const std::string& database, const UpgradeObserver& observer) {
    return is_postgres_url(database) ? open_postgres(database, observer)
                                     : open_sqlite(database, observer);
}

std::unique_ptr<Store> Store::open_read_only(const std::string& database) {
    return is_postgres_url(database) ? open_postgres_read_only(database)
                                     : open_sqlite_read_only(database);
}

Store::~Store() = default;

PageWriter Store::begin_page(RunId run, const ScopeState& scope) {
    // Each page looks, so a harvest stops within a page of the file's deletion.
    check_file();
    return PageWriter(page_rows(run, scope), run, scope);
}

}  // namespace oaiharvest::store
