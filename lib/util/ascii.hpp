#pragma once
// A character class of protocol text, which is ASCII by rule: unlike std::isdigit it ignores the
// locale and is safe for a char above 0x7f.

namespace oaiharvest::util {

constexpr bool is_ascii_digit(char c) {
    return c >= '0' && c <= '9';
}

}  // namespace oaiharvest::util
