#pragma once
// A request's query as the pages read it: named values, and the numbers and cursors paging
// takes, each checked, with a message for the person who sent it when it is not what a page
// can use. Pure; thread-safe.

#include <cstdint>
#include <expected>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace oaiharvest::serve::web {

using Query = std::vector<std::pair<std::string, std::string>>;

class Params {
public:
    explicit Params(const Query& query) : m_query(query) {}

    // The first value of `name`; nullopt when the query has none. A name given twice takes its
    // first value, as a form would send it once.
    std::optional<std::string_view> get(std::string_view name) const;
    // The first value, which must be there and not empty; else the message says which is
    // missing.
    std::expected<std::string_view, std::string> required(std::string_view name) const;
    // A whole number from `min` to `max` in decimal digits alone (no sign, space or "+"), or
    // nullopt when the query has none; else the message says what was wrong with it.
    std::expected<std::optional<std::int64_t>, std::string> number(std::string_view name,
                                                                   std::int64_t min,
                                                                   std::int64_t max) const;

private:
    const Query& m_query;
};

}  // namespace oaiharvest::serve::web
