#pragma once
// A new mirror in a temp folder, with one endpoint, one scope and a run begun: what the store
// and page tests start from. Header-only, like temp_dir.hpp.

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "oai/response.hpp"
#include "store/store.hpp"
#include "support/raw_mirror.hpp"
#include "support/temp_dir.hpp"
#include "util/time.hpp"

namespace oaiharvest::test {

// A live record as a server sends it.
inline oai::Record live_record(const std::string& id, const std::string& xml,
                               const std::string& datestamp = "2026-01-01T00:00:00Z",
                               std::vector<std::string> sets = {}) {
    oai::Record r;
    r.header.identifier = id;
    r.header.datestamp = datestamp;
    r.header.set_specs = std::move(sets);
    r.metadata = xml;
    return r;
}

// A deleted record's header, with no metadata.
inline oai::Record deleted_record(const std::string& id, const std::string& datestamp) {
    oai::Record r;
    r.header.identifier = id;
    r.header.datestamp = datestamp;
    r.header.deleted = true;
    return r;
}

struct StoreFixture {
    TempDir dir;
    std::unique_ptr<store::Store> db = store::Store::open(dir.file("mirror.db"));
    store::EndpointFacts endpoint = db->endpoint("sample", "http://127.0.0.1:1/oai");
    store::ScopeState scope = db->scope(endpoint.id, "mets", "");
    store::RunId run = db->begin_run(scope, util::now_utc(), std::nullopt, std::nullopt, false);

    // The test's own connection to the mirror's file (support/raw_mirror.hpp), opened on first
    // use and closed before the Store.
    store::sql::Database& raw() {
        if (!m_raw) {
            m_raw = raw_connection(dir.file("mirror.db"));
        }
        return *m_raw;
    }

private:
    std::unique_ptr<store::sql::Database> m_raw;
};

}  // namespace oaiharvest::test
