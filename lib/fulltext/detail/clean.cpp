#include "fulltext/detail/clean.hpp"

#include "util/utf8.hpp"

namespace oaiharvest::fulltext::detail {
namespace {

constexpr std::string_view k_replacement = "\xEF\xBF\xBD";  // U+FFFD

bool is_dropped(char32_t c) {
    // C0 and C1 controls and DEL; TAB and LF carry layout and stay.
    return (c < 0x20 && c != U'\t' && c != U'\n') || (c >= 0x7F && c <= 0x9F);
}

}  // namespace

bool append_clean(std::string& out, std::string_view bytes, std::size_t max_bytes) {
    std::size_t at = 0;
    while (at < bytes.size()) {
        const auto seq = util::read_utf8(bytes, at);
        std::string_view piece;
        if (seq.kind == util::Utf8Sequence::Kind::valid) {
            if (!is_dropped(seq.code_point)) {
                piece = bytes.substr(at, seq.length);
            }
        } else {
            piece = k_replacement;
        }
        if (out.size() + piece.size() > max_bytes) {
            return false;
        }
        out.append(piece);
        at += seq.length == 0 ? 1 : seq.length;
    }
    return true;
}

std::optional<std::string> repaired_utf8(std::string_view bytes) {
    std::optional<std::string> out;
    std::size_t copied = 0;  // bytes[0, copied) are in out already
    std::size_t at = 0;
    while (at < bytes.size()) {
        const auto seq = util::read_utf8(bytes, at);
        const std::size_t length = seq.length == 0 ? 1 : seq.length;
        if (seq.kind != util::Utf8Sequence::Kind::valid) {
            if (!out) {
                out.emplace();
                out->reserve(bytes.size() + 16);
            }
            out->append(bytes.substr(copied, at - copied));
            out->append(k_replacement);
            copied = at + length;
        }
        at += length;
    }
    if (out) {
        out->append(bytes.substr(copied));
    }
    return out;
}

void trim_end(std::string& text) {
    while (!text.empty() && (text.back() == ' ' || text.back() == '\n' || text.back() == '\t')) {
        text.pop_back();
    }
}

}  // namespace oaiharvest::fulltext::detail
