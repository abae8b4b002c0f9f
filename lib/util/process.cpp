#include "util/process.hpp"

#include <fstream>
#include <string>

namespace oaiharvest::util {

std::optional<long> peak_memory_kib() {
    std::ifstream status("/proc/self/status");
    for (std::string line; std::getline(status, line);) {
        if (line.starts_with("VmHWM:")) {
            return std::stol(line.substr(6));
        }
    }
    return std::nullopt;
}

}  // namespace oaiharvest::util
