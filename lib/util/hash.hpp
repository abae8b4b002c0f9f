#pragma once
// Content hashes to tell a changed record from an unchanged one. Thread-safe.

#include <array>
#include <cstdint>
#include <string_view>

namespace oaiharvest::util {

// 128-bit XXH3 of the bytes: fast, and collisions are negligible at any mirror's size.
using ContentHash = std::array<std::uint8_t, 16>;

// Hashes several parts as one stream, each prefixed by its length so that ("ab","c") and
// ("a","bc") differ.
class ContentHasher {
public:
    ContentHasher();
    ~ContentHasher();
    ContentHasher(const ContentHasher&) = delete;
    ContentHasher& operator=(const ContentHasher&) = delete;
    ContentHasher(ContentHasher&&) = delete;
    ContentHasher& operator=(ContentHasher&&) = delete;

    ContentHasher& add(std::string_view part);
    ContentHash digest() const;

private:
    void* m_state;
};

}  // namespace oaiharvest::util
