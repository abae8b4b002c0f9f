#pragma once
// Running the text worker process: spawned without a shell, read under a wall-clock timeout,
// killed and always reaped. Internal to lib/fulltext (extract.hpp is the API).

#include <filesystem>
#include <string>
#include <vector>

#include "fulltext/extract.hpp"

namespace oaiharvest::fulltext::detail {

// Runs `executable arguments...` and reads its result (extract.hpp's encode_result) from its
// stdout. A crash, a signal, the timeout, a limit or output longer than the text cap allows is
// status failed, with an error naming `body`. Throws std::system_error when it cannot start.
ExtractedText run_worker(const std::filesystem::path& executable, const std::filesystem::path& body,
                         const std::vector<std::string>& arguments, const ExtractLimits& limits);

}  // namespace oaiharvest::fulltext::detail
