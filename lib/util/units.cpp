#include "util/units.hpp"

#include <array>
#include <cctype>
#include <limits>
#include <utility>

#include "util/ascii.hpp"

namespace oaiharvest::util {
namespace {

struct Unit {
    std::string_view name;
    std::uint64_t factor;
};

// Largest first: parse_duration requires this order in the text, format_duration writes it.
constexpr std::array<Unit, 5> k_duration_units{{
    {"d", 86'400'000},
    {"h", 3'600'000},
    {"m", 60'000},
    {"s", 1'000},
    {"ms", 1},
}};

// Binary units first: of equally short exact texts, format_size keeps the first.
constexpr std::array<Unit, 9> k_size_units{{
    {"TiB", 1ULL << 40},
    {"GiB", 1ULL << 30},
    {"MiB", 1ULL << 20},
    {"KiB", 1ULL << 10},
    {"TB", 1'000'000'000'000ULL},
    {"GB", 1'000'000'000ULL},
    {"MB", 1'000'000ULL},
    {"KB", 1'000ULL},
    {"B", 1},
}};

bool is_alpha(char c) {
    return std::isalpha(static_cast<unsigned char>(c)) != 0;
}

bool iequals(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) {
        return false;
    }
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (std::tolower(static_cast<unsigned char>(a[i])) !=
            std::tolower(static_cast<unsigned char>(b[i]))) {
            return false;
        }
    }
    return true;
}

// Reads the digits at the front of `text` (at least one), advancing it; nullopt on overflow.
std::optional<std::uint64_t> take_number(std::string_view& text) {
    std::uint64_t value = 0;
    std::size_t length = 0;
    while (length < text.size() && util::is_ascii_digit(text[length])) {
        const auto digit = static_cast<std::uint64_t>(text[length] - '0');
        if (value > (std::numeric_limits<std::uint64_t>::max() - digit) / 10) {
            return std::nullopt;
        }
        value = value * 10 + digit;
        ++length;
    }
    if (length == 0) {
        return std::nullopt;
    }
    text.remove_prefix(length);
    return value;
}

std::optional<std::uint64_t> checked_product(std::uint64_t a, std::uint64_t b) {
    std::uint64_t product = 0;
    if (__builtin_mul_overflow(a, b, &product)) {
        return std::nullopt;
    }
    return product;
}

}  // namespace

std::optional<std::chrono::milliseconds> parse_duration(std::string_view text) {
    constexpr auto k_max = static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());
    if (text.empty()) {
        return std::nullopt;
    }
    std::uint64_t total = 0;
    std::size_t next_unit = 0;  // index into k_duration_units: units must come in this order
    while (!text.empty()) {
        const auto number = take_number(text);
        if (!number) {
            return std::nullopt;
        }
        std::size_t unit_length = 0;
        while (unit_length < text.size() && is_alpha(text[unit_length])) {
            ++unit_length;
        }
        const auto unit_name = text.substr(0, unit_length);
        text.remove_prefix(unit_length);
        auto unit = next_unit;
        while (unit < k_duration_units.size() && k_duration_units[unit].name != unit_name) {
            ++unit;
        }
        if (unit == k_duration_units.size()) {
            return std::nullopt;  // missing, unknown, repeated or out-of-order unit
        }
        next_unit = unit + 1;
        const auto term = checked_product(*number, k_duration_units[unit].factor);
        if (!term || *term > k_max - total) {
            return std::nullopt;
        }
        total += *term;
    }
    return std::chrono::milliseconds{static_cast<std::int64_t>(total)};
}

std::string format_duration(std::chrono::milliseconds duration) {
    if (duration.count() <= 0) {
        return "0s";
    }
    auto rest = static_cast<std::uint64_t>(duration.count());
    std::string text;
    for (const auto& unit : k_duration_units) {
        if (rest >= unit.factor) {
            text += std::to_string(rest / unit.factor);
            text += unit.name;
            rest %= unit.factor;
        }
    }
    return text;
}

std::optional<std::uint64_t> parse_size(std::string_view text) {
    auto number = take_number(text);
    if (!number) {
        return std::nullopt;
    }
    if (!text.empty() && text.front() == ' ') {
        text.remove_prefix(1);
    }
    if (text.empty()) {
        return number;
    }
    for (const auto& unit : k_size_units) {
        if (iequals(text, unit.name)) {
            return checked_product(*number, unit.factor);
        }
    }
    return std::nullopt;
}

std::string format_size(std::uint64_t bytes) {
    std::string shortest = std::to_string(bytes) + "B";
    for (const auto& unit : k_size_units) {
        if (bytes != 0 && bytes % unit.factor == 0) {
            auto text = std::to_string(bytes / unit.factor) + std::string{unit.name};
            if (text.size() < shortest.size()) {
                shortest = std::move(text);
            }
        }
    }
    return shortest;
}

}  // namespace oaiharvest::util
