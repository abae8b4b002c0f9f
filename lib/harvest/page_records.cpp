#include "harvest/page_records.hpp"

#include <spdlog/spdlog.h>

#include "harvest/normalize.hpp"

namespace oaiharvest::harvest::detail {

void PageRecords::on_record(oai::Record& record) {
    if (record.dropped) {
        spdlog::warn("{}: record {} kept without its metadata: {}", m_endpoint,
                     record.header.identifier, *record.dropped);
    }
    store(record);
    // FNV-1a, with a separator no identifier holds.
    for (unsigned char c : record.header.identifier + '\n') {
        m_fingerprint = (m_fingerprint ^ c) * 0x100000001b3ULL;
    }
    ++m_records;
}

void PageRecords::store(const oai::Record& record) {
    harvest::put(m_page, record);
}

}  // namespace oaiharvest::harvest::detail
