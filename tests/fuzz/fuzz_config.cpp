// libFuzzer harness: the config reader on TOML text. A text it accepts must round-trip:
// describe_effective writes TOML that parse_config reads back to an equal Config (config.hpp).
// ConfigError is the one expected failure; any other exception, or a round trip that fails or
// differs, aborts the run.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <string_view>

#include "config/config.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace oaiharvest::config;
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    // An absolute name: relative paths in the text are anchored at /fuzz, never at the
    // working directory, so a run does not depend on where it started.
    const std::filesystem::path file{"/fuzz/oaiharvest.toml"};
    Config config;
    try {
        config = parse_config(text, file);
    } catch (const ConfigError&) {
        return 0;
    }
    const std::string effective = describe_effective(config);
    Config again;
    try {
        again = parse_config(effective, file);
    } catch (const ConfigError& error) {
        std::fprintf(stderr, "describe_effective wrote a config parse_config refuses:\n%s\n%s\n",
                     error.what(), effective.c_str());
        std::abort();
    }
    if (!(again == config)) {
        std::fprintf(stderr, "describe_effective does not round-trip:\n%s\n", effective.c_str());
        std::abort();
    }
    return 0;
}
