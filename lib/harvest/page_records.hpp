#pragma once
// The handler that reads one list page into its transaction. Internal to lib/harvest; used by
// one thread, the one reading the page. Borrows the page and the endpoint's name, which must
// outlive it.

#include <cstdint>
#include <string>

#include "oai/reader.hpp"
#include "store/store.hpp"

namespace oaiharvest::harvest::detail {

// Sends each record of the page being read into its transaction, and sums up which records the
// page held: two pages with the same identifiers in the same order have the same fingerprint.
class PageRecords final : public oai::ResponseHandler {
public:
    PageRecords(store::PageWriter& page, const std::string& endpoint)
        : m_page(page), m_endpoint(endpoint) {}
    // Stores the record (put() throws what the store throws) and counts it in the fingerprint.
    void on_record(oai::Record& record) override;
    std::uint64_t fingerprint() const { return m_fingerprint; }
    std::int64_t records() const { return m_records; }

private:
    // The one place where a listed record goes to the store.
    void store(const oai::Record& record);

    store::PageWriter& m_page;
    const std::string& m_endpoint;
    std::uint64_t m_fingerprint = 0xcbf29ce484222325ULL;
    std::int64_t m_records = 0;
};

}  // namespace oaiharvest::harvest::detail
