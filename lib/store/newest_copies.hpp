// The current copies of a record among its formats, picked from a scan in the records' unique
// index order (internal to lib/store).
#pragma once

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace oaiharvest::store::detail {

// A scan by (endpoint, identifier, prefix) brings a record's copies in every format one after
// the other, so the newest of them is known once the identifier changes: no second look-up per
// row, which cost the export two thirds of its SQL time as a correlated NOT EXISTS.
// The rule is k_is_current's (queries.cpp): a copy is current unless another holds a later
// julianday; one whose datestamp is no date (NULL) is never later and always current.
template <typename Row>
class NewestCopies {
public:
    // The slot for the scan's next row, after `emit` has been given the previous record's
    // current and wanted copies if this row starts another record. `wanted`: the row passes the
    // caller's other filters, which apply only once current-ness is settled.
    template <typename Emit>
    Row& next(std::int64_t endpoint, std::string_view identifier, std::optional<double> julian,
              bool wanted, Emit&& emit) {
        if (m_count > 0 && (endpoint != m_endpoint || identifier != m_identifier)) {
            finish(emit);
        }
        if (m_count == 0) {
            m_endpoint = endpoint;
            m_identifier.assign(identifier);
        }
        if (m_count == m_copies.size()) {
            m_copies.emplace_back();
        }
        auto& copy = m_copies[m_count++];
        copy.julian = julian;
        copy.wanted = wanted;
        return copy.row;
    }

    // Gives `emit` the last record's copies; call once the scan has ended.
    template <typename Emit>
    void finish(Emit&& emit) {
        std::optional<double> newest;
        for (std::size_t i = 0; i < m_count; ++i) {
            if (m_copies[i].julian) {
                newest = std::max(newest.value_or(*m_copies[i].julian), *m_copies[i].julian);
            }
        }
        for (std::size_t i = 0; i < m_count; ++i) {
            const auto& copy = m_copies[i];
            if (copy.wanted && (!copy.julian || *copy.julian >= *newest)) {
                emit(copy.row);
            }
        }
        m_count = 0;
    }

private:
    struct Copy {
        std::optional<double> julian;
        bool wanted = false;
        Row row;
    };
    // Reused from record to record, rows and their buffers included.
    std::vector<Copy> m_copies;
    std::size_t m_count = 0;
    std::int64_t m_endpoint = 0;
    std::string m_identifier;
};

}  // namespace oaiharvest::store::detail
