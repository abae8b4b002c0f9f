#pragma once
// NamespaceStack: the namespace declarations in scope while a document streams past, innermost
// last. Reuses its strings, so pushing allocates only while it grows. Not thread-safe.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace oaiharvest::oai::detail {

class NamespaceStack {
public:
    static constexpr std::size_t npos = static_cast<std::size_t>(-1);

    void push(std::string_view prefix, std::string_view uri) {
        if (m_size == m_bindings.size()) {
            m_bindings.emplace_back();
        }
        m_bindings[m_size].prefix.assign(prefix);
        m_bindings[m_size].uri.assign(uri);
        ++m_size;
    }
    void pop(std::size_t count) { m_size -= count; }
    void clear() { m_size = 0; }
    std::size_t size() const { return m_size; }

    // The index of the innermost declaration of prefix ("" for the default namespace), or npos.
    std::size_t find(std::string_view prefix) const {
        for (std::size_t i = m_size; i-- > 0;) {
            if (m_bindings[i].prefix == prefix) {
                return i;
            }
        }
        return npos;
    }
    std::string_view prefix(std::size_t index) const { return m_bindings[index].prefix; }
    std::string_view uri(std::size_t index) const { return m_bindings[index].uri; }

private:
    struct Binding {
        std::string prefix;
        std::string uri;
    };
    std::vector<Binding> m_bindings;  // [0, m_size) in use; the rest kept for reuse
    std::size_t m_size = 0;
};

}  // namespace oaiharvest::oai::detail
