#pragma once
// SIGINT and SIGTERM ask for a graceful stop: the page in flight commits or rolls back, then
// the command ends. A second signal ends the process at once (the database stays consistent:
// the open transaction is simply lost).
// The flags are set from signal handlers: they are polled, never waited on.

#include <atomic>

namespace oaiharvest::cli {

const std::atomic<bool>& install_stop_handlers();

// SIGHUP sets the flag (the daemon reloads its config and clears it).
std::atomic<bool>& install_reload_handler();

}  // namespace oaiharvest::cli
