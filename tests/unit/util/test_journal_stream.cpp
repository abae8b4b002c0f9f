#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdlib>
#include <optional>
#include <string>

#include "util/journal_stream.hpp"

using namespace oaiharvest::util;

TEST_CASE("names_stream matches the device and inode JOURNAL_STREAM names", "[util][journal]") {
    CHECK(names_stream("8:12345", 8, 12345));
    CHECK(names_stream("0:1", 0, 1));
    CHECK(names_stream("2049:18446744073709551615", 2049, static_cast<ino_t>(-1)));
    CHECK_FALSE(names_stream("8:12345", 8, 12346));
    CHECK_FALSE(names_stream("8:12345", 9, 12345));
}

TEST_CASE("names_stream refuses what is not DEVICE:INODE", "[util][journal]") {
    for (const auto* text :
         {"", ":", "8", "8:", ":12345", "8:12345:", "8:12345x", " 8:12345", "8: 12345", "-8:12345",
          "+8:12345", "8:-12345", "0x8:12345", "8:99999999999999999999999", "a:b"}) {
        INFO(text);
        CHECK_FALSE(names_stream(text, 8, 12345));
    }
}

namespace {

// Sets JOURNAL_STREAM for one test, and puts back what was there.
class JournalStreamVariable {
public:
    explicit JournalStreamVariable(const std::optional<std::string>& value) {
        if (const char* old = std::getenv("JOURNAL_STREAM")) {
            m_old = old;
        }
        set(value);
    }
    // (No REQUIRE here: a failed assertion in a destructor would end the whole run.)
    ~JournalStreamVariable() {
        if (m_old) {
            ::setenv("JOURNAL_STREAM", m_old->c_str(), 1);
        } else {
            ::unsetenv("JOURNAL_STREAM");
        }
    }
    JournalStreamVariable(const JournalStreamVariable&) = delete;
    JournalStreamVariable& operator=(const JournalStreamVariable&) = delete;

private:
    static void set(const std::optional<std::string>& value) {
        if (value) {
            REQUIRE(::setenv("JOURNAL_STREAM", value->c_str(), 1) == 0);
        } else {
            REQUIRE(::unsetenv("JOURNAL_STREAM") == 0);
        }
    }
    std::optional<std::string> m_old;
};

// JOURNAL_STREAM naming this process's stderr, or (with an offset) another file on its device.
std::string stderr_stream(ino_t inode_offset = 0) {
    struct stat stream {};
    REQUIRE(::fstat(STDERR_FILENO, &stream) == 0);
    return std::to_string(stream.st_dev) + ":" + std::to_string(stream.st_ino + inode_offset);
}

}  // namespace

TEST_CASE("stderr_is_journal when JOURNAL_STREAM names this process's stderr", "[util][journal]") {
    {
        JournalStreamVariable variable(stderr_stream());
        CHECK(stderr_is_journal());
    }
    {
        // Inherited by a process whose stderr is elsewhere.
        JournalStreamVariable variable(stderr_stream(1));
        CHECK_FALSE(stderr_is_journal());
    }
    {
        JournalStreamVariable variable(std::nullopt);
        CHECK_FALSE(stderr_is_journal());
    }
}
