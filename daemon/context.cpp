#include "context.hpp"

#include <fcntl.h>
#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/rotating_file_sink.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>
#include <sys/stat.h>
#include <toml++/toml.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <iostream>

#include "log_sink.hpp"
#include "util/journal_stream.hpp"

namespace oaiharvest::cli {

std::optional<std::string> config_file(const GlobalOptions& global) {
    if (global.config_file) {
        return global.config_file;
    }
    if (const char* env = std::getenv("OAIHARVEST_CONFIG"); env && *env) {
        return std::string(env);
    }
    if (std::filesystem::exists("oaiharvest.toml")) {
        return std::string("oaiharvest.toml");
    }
    return std::nullopt;
}

const config::Config& settings(const GlobalOptions& global) {
    static std::optional<config::Config> loaded;
    if (!loaded) {
        auto file = config_file(global);
        try {
            loaded = file ? config::load_config(*file) : config::Config{};
        } catch (const config::ConfigError& e) {
            throw UsageError(e.what());
        }
    }
    return *loaded;
}

namespace {

spdlog::level::level_enum log_level(const GlobalOptions& global, const config::LogSettings& log) {
    if (global.quiet) {
        return spdlog::level::warn;
    }
    if (global.verbose >= 2) {
        return spdlog::level::trace;
    }
    if (global.verbose == 1) {
        return spdlog::level::debug;
    }
    return spdlog::level::from_str(log.level);
}

// "FILE:LINE:COLUMN: log.file" where the config sets it, for messages; "FILE: log.file" when
// the place cannot be found.
std::string where_log_file_is_set(const std::filesystem::path& config_file) {
    std::string where = config_file.string();
    try {
        auto table = toml::parse_file(config_file.string());
        if (const auto* node = table.at_path("log.file").node()) {
            const auto& begin = node->source().begin;
            where += ":" + std::to_string(begin.line) + ":" + std::to_string(begin.column);
        }
    } catch (const toml::parse_error&) {
        // load_config has read it already; a file changed since is named without a line.
    }
    return where + ": log.file";
}

// Opened before spdlog does: spdlog makes missing folders, so a typo in the path would log into
// a new folder nobody reads, and it throws a message naming neither the config nor the key.
void check_log_file(const config::Config& config, const std::filesystem::path& file) {
    std::string problem;
    std::error_code error;
    auto folder = file.parent_path().empty() ? std::filesystem::path(".") : file.parent_path();
    if (!std::filesystem::is_directory(folder, error)) {
        problem = "the folder " + folder.string() + " does not exist";
    } else if (std::filesystem::is_directory(file, error)) {
        problem = "it is a folder";
    } else {
        int fd = ::open(file.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
        if (fd < 0) {
            problem = std::string("cannot open it for writing: ") + std::strerror(errno);
        } else {
            ::close(fd);
        }
    }
    if (!problem.empty()) {
        throw UsageError(where_log_file_is_set(config.file) + " = \"" + file.string() +
                         "\": " + problem);
    }
}

}  // namespace

void setup_logging(const GlobalOptions& global) {
    const auto& config = settings(global);
    const auto& log = config.log;
    std::shared_ptr<spdlog::logger> logger;
    if (log.file) {
        check_log_file(config, *log.file);
        logger = spdlog::rotating_logger_mt("oaiharvest", log.file->string(), log.max_size,
                                            static_cast<std::size_t>(log.max_files));
        // Operators tail the file: a line is written out when it is logged, not when a buffer
        // fills.
        logger->flush_on(spdlog::level::trace);
    } else {
        logger = spdlog::stderr_color_mt("oaiharvest");
    }
    std::string format = global.log_format_given ? global.log_format : log.format;
    set_log_format(
        *logger, format == "json" ? LogFormat::json : LogFormat::text,
        !log.file && util::stderr_is_journal() ? LogDestination::journal : LogDestination::stream);
    logger->set_level(log_level(global, log));
    spdlog::set_default_logger(logger);
}

std::string database_path(const GlobalOptions& global) {
    if (global.database) {
        return *global.database;
    }
    if (const auto& configured = settings(global).database) {
        return configured->string();
    }
    return "oaiharvest.db";
}

std::unique_ptr<store::Store> open_existing_store(const GlobalOptions& global) {
    std::string path = database_path(global);
    if (!store::is_postgres_url(path) && !std::filesystem::exists(path)) {
        throw UsageError("no database at " + path + " (harvest first, or name one with --db)");
    }
    return store::Store::open_read_only(path);
}

std::string stdout_name() {
    char target[4096];
    ssize_t n = ::readlink("/proc/self/fd/1", target, sizeof target - 1);
    if (n <= 0) {
        return "standard output";
    }
    return "standard output (" + std::string(target, static_cast<std::size_t>(n)) + ")";
}

void output_failed(const std::string& where, int error) {
    throw OutputError("cannot write to " + where + ": " +
                      (error != 0 ? std::strerror(error) : "a write failed"));
}

void finish_stdout() {
    // std::cout writes through stdio (sync_with_stdio): a failed write leaves the stream failed
    // and stdout's error flag set. The cause is errno from that write, which callers check
    // right after printing, or from the flush here of what is still buffered.
    int earlier = errno;
    bool failed = std::cout.fail() || std::ferror(stdout) != 0;
    errno = 0;
    std::cout.flush();
    failed = std::fflush(stdout) != 0 || std::cout.fail() || failed;
    if (failed) {
        output_failed(stdout_name(), errno != 0 ? errno : earlier);
    }
}

http::FetchOptions fetch_options(const GlobalOptions& global) {
    return fetch_options(settings(global).http);
}

harvest::RetryPolicy retry_policy(const GlobalOptions& global) {
    return retry_policy(settings(global).http);
}

int report_locked(const store::LockHeld& held, const std::string& db_path) {
    std::cerr << "oaiharvest: another oaiharvest"
              << (held.holder ? " (pid " + std::to_string(held.holder) + ")" : std::string())
              << " is harvesting into " << store::database_name(db_path) << " (lock "
              << held.lock_file << ")\n";
    return k_locked;
}

http::FetchOptions fetch_options(const config::HttpSettings& http) {
    http::FetchOptions options;
    options.user_agent = http.user_agent;
    options.connect_timeout = http.connect_timeout;
    options.stall_timeout = http.timeout;
    options.max_response_bytes = http.max_response_bytes;
    options.deadline = http.request_deadline;
    options.max_compression_ratio = static_cast<std::uint64_t>(http.max_compression_ratio);
    options.allow_insecure_redirects = http.allow_insecure_redirects;
    return options;
}

harvest::RetryPolicy retry_policy(const config::HttpSettings& http) {
    harvest::RetryPolicy policy;
    policy.retries = http.retries;
    policy.request_interval = http.request_interval;
    policy.max_retry_after = http.max_retry_after;
    policy.reader_limits = {http.max_record_bytes,
                            static_cast<std::uint32_t>(http.max_nesting_depth)};
    policy.max_list_pages = http.max_pages;
    return policy;
}

bool stderr_is_terminal() {
    return ::isatty(STDERR_FILENO) == 1;
}

}  // namespace oaiharvest::cli
