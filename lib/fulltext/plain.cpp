// text/plain and the status names.

#include "fulltext/detail/clean.hpp"
#include "fulltext/text.hpp"

namespace oaiharvest::fulltext {

std::string_view status_name(TextStatus status) {
    switch (status) {
        case TextStatus::extracted:
            return "extracted";
        case TextStatus::empty:
            return "empty";
        case TextStatus::unsupported:
            return "unsupported";
        case TextStatus::failed:
            break;
    }
    return "failed";
}

std::string plain_text(std::string_view bytes, std::size_t max_bytes) {
    if (bytes.starts_with("\xEF\xBB\xBF")) {
        bytes.remove_prefix(3);
    }
    std::string out;
    out.reserve(std::min(bytes.size(), max_bytes));
    detail::append_clean(out, bytes, max_bytes);  // CR is a control character: CR LF reads as LF
    detail::trim_end(out);
    return out;
}

}  // namespace oaiharvest::fulltext
