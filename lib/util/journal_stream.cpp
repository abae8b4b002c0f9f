#include "util/journal_stream.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <charconv>
#include <cstdlib>

namespace oaiharvest::util {
namespace {

// The whole of text as a decimal number, or false.
template <typename Number>
bool parse_decimal(std::string_view text, Number& number) {
    if (text.empty()) {
        return false;
    }
    auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), number);
    return error == std::errc() && end == text.data() + text.size();
}

}  // namespace

bool names_stream(std::string_view journal_stream, dev_t device, ino_t inode) {
    auto colon = journal_stream.find(':');
    if (colon == std::string_view::npos) {
        return false;
    }
    dev_t named_device = 0;
    ino_t named_inode = 0;
    return parse_decimal(journal_stream.substr(0, colon), named_device) &&
           parse_decimal(journal_stream.substr(colon + 1), named_inode) && named_device == device &&
           named_inode == inode;
}

bool stderr_is_journal() {
    const char* journal_stream = std::getenv("JOURNAL_STREAM");
    if (journal_stream == nullptr) {
        return false;
    }
    struct stat stream {};
    if (::fstat(STDERR_FILENO, &stream) != 0) {
        return false;
    }
    return names_stream(journal_stream, stream.st_dev, stream.st_ino);
}

}  // namespace oaiharvest::util
