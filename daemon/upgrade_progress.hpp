#pragma once
// What the user sees while a new build upgrades an existing mirror (store::Store::open): on a
// terminal, one line on stderr redrawn as it goes; otherwise (cron, systemd, a pipe) a log line
// when each step starts and when the upgrade ends.

#include "store/store.hpp"

namespace oaiharvest::cli {

store::UpgradeObserver upgrade_progress(const std::string& db_path);

}  // namespace oaiharvest::cli
