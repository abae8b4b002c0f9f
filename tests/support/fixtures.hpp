#pragma once
// Test fixture files, found through the path CMake compiles in.

#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>

namespace oaiharvest::test {

inline std::string fixture_path(const std::string& relative) {
    return std::string(OAIHARVEST_FIXTURES_DIR) + "/" + relative;
}

inline std::string read_fixture(const std::string& relative) {
    std::ifstream in(fixture_path(relative), std::ios::binary);
    if (!in) {
        throw std::runtime_error("cannot open fixture " + relative);
    }
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
}

}  // namespace oaiharvest::test
