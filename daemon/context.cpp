#include "context.hpp"

#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/rotating_file_sink.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <iostream>

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

// The message as the inside of a JSON string: messages quote URLs, tokens and server text.
class JsonEscapedMessage final : public spdlog::custom_flag_formatter {
public:
    void format(const spdlog::details::log_msg& msg, const std::tm&,
                spdlog::memory_buf_t& dest) override {
        static constexpr char k_hex[] = "0123456789abcdef";
        for (char c : msg.payload) {
            auto byte = static_cast<unsigned char>(c);
            if (c == '"' || c == '\\') {
                dest.push_back('\\');
                dest.push_back(c);
            } else if (c == '\n') {
                dest.append(std::string_view("\\n"));
            } else if (byte < 0x20) {
                const char escaped[] = {'\\', 'u', '0', '0', k_hex[byte >> 4], k_hex[byte & 15]};
                dest.append(escaped, escaped + sizeof escaped);
            } else {
                dest.push_back(c);
            }
        }
    }
    std::unique_ptr<custom_flag_formatter> clone() const override {
        return std::make_unique<JsonEscapedMessage>();
    }
};

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

}  // namespace

void setup_logging(const GlobalOptions& global) {
    const auto& log = settings(global).log;
    std::shared_ptr<spdlog::logger> logger;
    if (log.file) {
        logger = spdlog::rotating_logger_mt("oaiharvest", log.file->string(), log.max_size,
                                            static_cast<std::size_t>(log.max_files));
        // Operators tail the file: a line is written out when it is logged, not when a buffer
        // fills.
        logger->flush_on(spdlog::level::trace);
    } else {
        logger = spdlog::stderr_color_mt("oaiharvest");
    }
    std::string format = global.log_format_given ? global.log_format : log.format;
    if (format == "json") {
        // One JSON object a line for journald and log shippers; %* is the escaped message.
        auto formatter = std::make_unique<spdlog::pattern_formatter>();
        formatter->add_flag<JsonEscapedMessage>('*').set_pattern(
            R"({"time":"%Y-%m-%dT%H:%M:%S.%e%z","level":"%l","message":"%*"})");
        logger->set_formatter(std::move(formatter));
    } else {
        logger->set_pattern("%Y-%m-%d %H:%M:%S %^%l%$: %v");
    }
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
    if (!std::filesystem::exists(path)) {
        throw UsageError("no database at " + path + " (harvest first, or name one with --db)");
    }
    return store::Store::open(path);
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
              << " is harvesting into " << db_path << " (lock " << held.lock_file << ")\n";
    return k_locked;
}

http::FetchOptions fetch_options(const config::HttpSettings& http) {
    http::FetchOptions options;
    options.user_agent = http.user_agent;
    options.connect_timeout = http.connect_timeout;
    options.stall_timeout = http.timeout;
    options.max_response_bytes = http.max_response_bytes;
    return options;
}

harvest::RetryPolicy retry_policy(const config::HttpSettings& http) {
    harvest::RetryPolicy policy;
    policy.retries = http.retries;
    policy.request_interval = http.request_interval;
    policy.max_retry_after = http.max_retry_after;
    policy.max_list_pages = http.max_pages;
    return policy;
}

bool stderr_is_terminal() {
    return ::isatty(STDERR_FILENO) == 1;
}

}  // namespace oaiharvest::cli
