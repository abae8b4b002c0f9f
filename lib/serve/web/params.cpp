#include "serve/web/params.hpp"

#include <charconv>

namespace oaiharvest::serve::web {

std::optional<std::string_view> Params::get(std::string_view name) const {
    for (const auto& [key, value] : m_query) {
        if (key == name) {
            return value;
        }
    }
    return std::nullopt;
}

std::expected<std::string_view, std::string> Params::required(std::string_view name) const {
    const auto value = get(name);
    if (!value || value->empty()) {
        return std::unexpected("The parameter " + std::string(name) + " is missing.");
    }
    return *value;
}

std::expected<std::optional<std::int64_t>, std::string> Params::number(std::string_view name,
                                                                       std::int64_t min,
                                                                       std::int64_t max) const {
    const auto value = get(name);
    if (!value) {
        return std::nullopt;
    }
    const std::string range = std::to_string(min) + " to " + std::to_string(max);
    std::int64_t n = 0;
    // from_chars takes a leading '-'; a number past int64 is out of range, not wrapped.
    const auto [end, ec] = std::from_chars(value->data(), value->data() + value->size(), n);
    const bool digits = !value->empty() && value->front() >= '0' && value->front() <= '9';
    if (!digits || end != value->data() + value->size() ||
        (ec != std::errc{} && ec != std::errc::result_out_of_range)) {
        return std::unexpected("The parameter " + std::string(name) +
                               " must be a whole number from " + range + ".");
    }
    if (ec == std::errc::result_out_of_range || n < min || n > max) {
        return std::unexpected("The parameter " + std::string(name) + " must be from " + range +
                               ".");
    }
    return n;
}

}  // namespace oaiharvest::serve::web
