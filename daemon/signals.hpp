#pragma once
// SIGINT and SIGTERM ask for a graceful stop: the page in flight commits or rolls back, then
// the command ends. A second signal ends the process at once (the database stays consistent:
// the open transaction is simply lost).

#include <atomic>

namespace oaiharvest::cli {

const std::atomic<bool>& install_stop_handlers();

}  // namespace oaiharvest::cli
