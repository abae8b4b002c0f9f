#include "util/hash.hpp"

#include <xxhash.h>

#include <cstring>
#include <new>

namespace oaiharvest::util {

ContentHasher::ContentHasher() : m_state(XXH3_createState()) {
    if (m_state == nullptr) {
        throw std::bad_alloc();
    }
    XXH3_128bits_reset(static_cast<XXH3_state_t*>(m_state));
}

ContentHasher::~ContentHasher() {
    XXH3_freeState(static_cast<XXH3_state_t*>(m_state));
}

ContentHasher& ContentHasher::add(std::string_view part) {
    auto* state = static_cast<XXH3_state_t*>(m_state);
    std::uint64_t size = part.size();
    XXH3_128bits_update(state, &size, sizeof size);
    XXH3_128bits_update(state, part.data(), part.size());
    return *this;
}

ContentHash ContentHasher::digest() const {
    XXH128_canonical_t canonical;
    XXH128_canonicalFromHash(&canonical, XXH3_128bits_digest(static_cast<XXH3_state_t*>(m_state)));
    ContentHash out;
    std::memcpy(out.data(), canonical.digest, out.size());
    return out;
}

}  // namespace oaiharvest::util
