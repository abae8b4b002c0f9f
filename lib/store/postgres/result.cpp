// pq::Result and the parameters of a command.
#include <libpq-fe.h>

#include <charconv>
#include <memory>

#include "store/postgres/pq.hpp"

namespace oaiharvest::store::pq {
namespace {

// The type OIDs (pg_type.dat) of the integers Result::int64 decodes in binary format.
constexpr Oid k_pq_int2_oid = 21;
constexpr Oid k_pq_int4_oid = 23;
constexpr Oid k_pq_int8_oid = 20;

// A big-endian two's-complement integer of `size` bytes, as the binary format sends it.
std::int64_t pq_big_endian(const char* data, int size) {
    std::uint64_t value = 0;
    for (int i = 0; i < size; ++i) {
        value = (value << 8) | static_cast<unsigned char>(data[i]);
    }
    if (size < 8 && (value >> (size * 8 - 1)) != 0) {
        value |= ~std::uint64_t{0} << (size * 8);  // sign extension
    }
    return static_cast<std::int64_t>(value);
}

}  // namespace

Param text(std::string_view value) {
    return Param(std::string(value), false);
}
Param text(const std::optional<std::string>& value) {
    return Param(value, false);
}
Param integer(std::int64_t value) {
    return Param(std::to_string(value), false);
}
Param null() {
    return Param(std::nullopt, false);
}
Param bytes(std::string_view value) {
    return Param(std::string(value), true);
}

Result::~Result() {
    PQclear(m_result);
}

Result& Result::operator=(Result&& other) noexcept {
    if (this != &other) {
        PQclear(m_result);
        m_result = std::exchange(other.m_result, nullptr);
    }
    return *this;
}

int Result::rows() const {
    return PQntuples(m_result);
}
int Result::columns() const {
    return PQnfields(m_result);
}

void Result::check_cell(int row, int column) const {
    if (row < 0 || row >= rows() || column < 0 || column >= columns()) {
        throw Error("no cell (" + std::to_string(row) + ", " + std::to_string(column) +
                        ") in a result of " + std::to_string(rows()) + " rows and " +
                        std::to_string(columns()) + " columns",
                    "");
    }
}

bool Result::is_null(int row, int column) const {
    check_cell(row, column);
    return PQgetisnull(m_result, row, column) != 0;
}

std::string_view Result::text(int row, int column) const {
    check_cell(row, column);
    return {PQgetvalue(m_result, row, column),
            static_cast<std::size_t>(PQgetlength(m_result, row, column))};
}

std::optional<std::string> Result::optional_text(int row, int column) const {
    if (is_null(row, column)) {
        return std::nullopt;
    }
    return std::string(text(row, column));
}

std::int64_t Result::int64(int row, int column) const {
    if (is_null(row, column)) {
        throw Error("column " + std::string(PQfname(m_result, column)) + " is NULL", "");
    }
    std::string_view value = text(row, column);
    if (PQfformat(m_result, column) == 1) {
        Oid type = PQftype(m_result, column);
        if ((type == k_pq_int8_oid && value.size() == 8) ||
            (type == k_pq_int4_oid && value.size() == 4) ||
            (type == k_pq_int2_oid && value.size() == 2)) {
            return pq_big_endian(value.data(), static_cast<int>(value.size()));
        }
        throw Error("column " + std::string(PQfname(m_result, column)) +
                        " is not an integer in binary format",
                    "");
    }
    std::int64_t number = 0;
    auto [end, error] = std::from_chars(value.data(), value.data() + value.size(), number);
    if (error != std::errc() || end != value.data() + value.size()) {
        throw Error("column " + std::string(PQfname(m_result, column)) +
                        " is not an integer: " + std::string(value.substr(0, 40)),
                    "");
    }
    return number;
}

std::string Result::bytes(int row, int column) const {
    if (is_null(row, column)) {
        throw Error("column " + std::string(PQfname(m_result, column)) + " is NULL", "");
    }
    std::string_view value = text(row, column);
    if (PQfformat(m_result, column) == 1) {
        return std::string(value);
    }
    // Text format: bytea_output's hex ("\x00ff") or escape form; PQunescapeBytea reads both.
    std::size_t size = 0;
    std::unique_ptr<unsigned char, decltype(&PQfreemem)> decoded(
        PQunescapeBytea(reinterpret_cast<const unsigned char*>(value.data()), &size), &PQfreemem);
    if (!decoded) {
        throw Error("column " + std::string(PQfname(m_result, column)) +
                        " is not bytea text (or out of memory)",
                    "");
    }
    return {reinterpret_cast<const char*>(decoded.get()), size};
}

std::int64_t Result::affected() const {
    std::string_view count = PQcmdTuples(m_result);
    std::int64_t number = 0;
    auto [end, error] = std::from_chars(count.data(), count.data() + count.size(), number);
    return error == std::errc() && end == count.data() + count.size() ? number : 0;
}

}  // namespace oaiharvest::store::pq
