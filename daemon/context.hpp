#pragma once
// What every command needs from the global options and the config file: the database path,
// the HTTP settings, logging. Resolved once per command.

#include <memory>
#include <optional>
#include <string>

#include "cli.hpp"
#include "config/config.hpp"
#include "harvest/harvest.hpp"
#include "http/http.hpp"
#include "store/lock.hpp"
#include "store/store.hpp"

namespace oaiharvest::cli {

// -c FILE, else $OAIHARVEST_CONFIG, else ./oaiharvest.toml when it exists; nullopt: none.
std::optional<std::string> config_file(const GlobalOptions& global);

// The config file's settings, or the defaults when there is no file. Throws UsageError naming
// file, line and key for a bad one.
const config::Config& settings(const GlobalOptions& global);

void setup_logging(const GlobalOptions& global);

// --db, else the config's database, else ./oaiharvest.db.
std::string database_path(const GlobalOptions& global);

// Opens the database for reading commands; UsageError when it does not exist.
std::unique_ptr<store::Store> open_existing_store(const GlobalOptions& global);

http::FetchOptions fetch_options(const GlobalOptions& global);
harvest::RetryPolicy retry_policy(const GlobalOptions& global);
http::FetchOptions fetch_options(const config::HttpSettings& http);
harvest::RetryPolicy retry_policy(const config::HttpSettings& http);

// Says on stderr who holds the harvest lock; returns k_locked.
int report_locked(const store::LockHeld& held, const std::string& db_path);

// True when stderr is a terminal (progress lines are drawn only then).
bool stderr_is_terminal();

}  // namespace oaiharvest::cli
