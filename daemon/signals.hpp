#pragma once
// SIGINT and SIGTERM ask for a graceful stop: the download in flight is aborted, a wait is cut
// short, the page being committed commits, then the command ends. A second signal changes
// nothing (`timeout` sends one to the process and one to its group; both must stop it the same
// graceful way); a third ends the process at once (the database stays consistent: the open
// transaction is simply lost).
// The flags are set from signal handlers. The stop flag is polled, or waited for through
// stop_wake_fd().

#include <atomic>

namespace oaiharvest::cli {

const std::atomic<bool>& install_stop_handlers();

// A descriptor that turns readable, and stays so, once the stop flag is set: for a wait to end
// at once (util::SystemClock). -1 before install_stop_handlers() or when no pipe could be made.
int stop_wake_fd();

// SIGHUP sets the flag (the daemon reloads its config and clears it).
std::atomic<bool>& install_reload_handler();

}  // namespace oaiharvest::cli
