// libFuzzer harness: search::for_each_word, the words of every record, document and query the
// search indexes, on any bytes. Each word must lie inside the text, after the previous one, and
// have a key: non-empty, at most 128 bytes plus the Cyrillic mark, valid UTF-8 (FTS5 stores it
// as a token); the other script's key of a word is its key with the mark added or taken away.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "search/search_key.hpp"
#include "util/utf8.hpp"

namespace {

void require(bool condition) {
    if (!condition) {
        std::abort();
    }
}

bool is_utf8(std::string_view text) {
    for (std::size_t i = 0; i < text.size();) {
        const auto seq = oaiharvest::util::read_utf8(text, i);
        if (seq.kind != oaiharvest::util::Utf8Sequence::Kind::valid) {
            return false;
        }
        i += seq.length;
    }
    return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace oaiharvest::search;
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    std::size_t previous_end = 0;
    for_each_word(text, [&](const SearchWord& word) {
        require(word.begin >= previous_end && word.begin < word.end && word.end <= text.size());
        previous_end = word.end;
        require(!word.key.empty() && word.key.size() <= 129 && is_utf8(word.key));
        require(word.cyrillic == (word.key.front() == k_cyrillic_mark));
        const std::string other = other_script_key(word);
        require(other.empty() || (word.cyrillic ? k_cyrillic_mark + other == word.key
                                                : other == k_cyrillic_mark + word.key));
    });
    return 0;
}
