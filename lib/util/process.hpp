#pragma once
// Facts about this process. Thread-safe.

#include <optional>

namespace oaiharvest::util {

// The peak resident memory of this process since it started (VmHWM of /proc/self/status), in
// KiB; nullopt where /proc is not available. Unlike getrusage's ru_maxrss it does not include
// the memory of the parent a process was spawned from.
std::optional<long> peak_memory_kib();

}  // namespace oaiharvest::util
