#pragma once
// What every command needs from the global options and the config file: the database path,
// the HTTP settings, logging. Resolved once per command.

#include <memory>
#include <optional>
#include <stdexcept>
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

// Throws UsageError naming the config file, line and key when the log file cannot be opened for
// appending (its folder is missing, say): a log that goes nowhere is a config error.
void setup_logging(const GlobalOptions& global);

// --db, else the config's database, else ./oaiharvest.db.
std::string database_path(const GlobalOptions& global);

// Opens the database read-only for reading commands (status, search, export, show): they never
// write to it. UsageError when it does not exist; store::StoreError (exit 2) when it is not an
// oaiharvest database.
std::unique_ptr<store::Store> open_existing_store(const GlobalOptions& global);

// Output that could not be written (a full disk, a closed pipe): exit 1, naming where it went
// and why.
class OutputError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// "standard output", with the file or device it is connected to when that can be read.
std::string stdout_name();
// Throws OutputError "cannot write to WHERE: CAUSE"; error is an errno value (0: unknown).
[[noreturn]] void output_failed(const std::string& where, int error);
// Flushes standard output; throws OutputError when any write to it failed. Commands that print
// call it before they return success.
void finish_stdout();

http::FetchOptions fetch_options(const GlobalOptions& global);
harvest::RetryPolicy retry_policy(const GlobalOptions& global);
http::FetchOptions fetch_options(const config::HttpSettings& http);
harvest::RetryPolicy retry_policy(const config::HttpSettings& http);

// Says on stderr who holds the harvest lock; returns k_locked.
int report_locked(const store::LockHeld& held, const std::string& db_path);

// True when stderr is a terminal (progress lines are drawn only then).
bool stderr_is_terminal();

}  // namespace oaiharvest::cli
