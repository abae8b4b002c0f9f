// What every backend of Store shares: choosing the backend, and a page's start.
#include "store/page_rows.hpp"
#include "store/sqlite_store.hpp"
#include "store/store.hpp"

namespace oaiharvest::store {

bool is_postgres_url(const std::string& database) {
    return database.starts_with("postgresql://") || database.starts_with("postgres://");
}

std::unique_ptr<Store> Store::open(const std::string& database, const UpgradeObserver& observer) {
    return open_sqlite(database, observer);
}

std::unique_ptr<Store> Store::open_read_only(const std::string& database) {
    return open_sqlite_read_only(database);
}

Store::~Store() = default;

PageWriter Store::begin_page(RunId run, const ScopeState& scope) {
    // Each page looks, so a harvest stops within a page of the file's deletion.
    check_file();
    return PageWriter(page_rows(run, scope), run, scope);
}

}  // namespace oaiharvest::store
