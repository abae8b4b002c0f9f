#include "log_sink.hpp"

#include <spdlog/pattern_formatter.h>

#include <memory>
#include <string>

#include "util/safe_text.hpp"
#include "util/url.hpp"

namespace oaiharvest::cli {
namespace {

// The message as the inside of a JSON string. The message is printable by then (see
// SafeFormatter): only quotes and backslashes are left to escape.
class JsonEscapedMessage final : public spdlog::custom_flag_formatter {
public:
    void format(const spdlog::details::log_msg& msg, const std::tm&,
                spdlog::memory_buf_t& dest) override {
        for (char c : msg.payload) {
            if (c == '"' || c == '\\') {
                dest.push_back('\\');
            }
            dest.push_back(c);
        }
    }
    std::unique_ptr<custom_flag_formatter> clone() const override {
        return std::make_unique<JsonEscapedMessage>();
    }
};

// The line's syslog priority as journald reads it off the start of a line, "<6>" (sd-daemon(3)).
class JournalPriority final : public spdlog::custom_flag_formatter {
public:
    void format(const spdlog::details::log_msg& msg, const std::tm&,
                spdlog::memory_buf_t& dest) override {
        const std::string_view prefix = journal_priority(msg.level);
        dest.append(prefix.data(), prefix.data() + prefix.size());
    }
    std::unique_ptr<custom_flag_formatter> clone() const override {
        return std::make_unique<JournalPriority>();
    }

private:
    static std::string_view journal_priority(spdlog::level::level_enum level) {
        switch (level) {
            case spdlog::level::critical:
                return "<2>";
            case spdlog::level::err:
                return "<3>";
            case spdlog::level::warn:
                return "<4>";
            case spdlog::level::info:
                return "<6>";
            default:
                return "<7>";
        }
    }
};

// Formats a safe copy of each message with the inner pattern.
class SafeFormatter final : public spdlog::formatter {
public:
    explicit SafeFormatter(std::unique_ptr<spdlog::formatter> inner) : m_inner(std::move(inner)) {}

    void format(const spdlog::details::log_msg& msg, spdlog::memory_buf_t& dest) override {
        const std::string safe = util::printable(util::redact_credentials_in_text(
            std::string_view(msg.payload.data(), msg.payload.size())));
        spdlog::details::log_msg copy = msg;
        copy.payload = spdlog::string_view_t(safe.data(), safe.size());
        m_inner->format(copy, dest);
        // The colour sink reads where the level's colour goes from the message it was given.
        msg.color_range_start = copy.color_range_start;
        msg.color_range_end = copy.color_range_end;
    }
    std::unique_ptr<spdlog::formatter> clone() const override {
        return std::make_unique<SafeFormatter>(m_inner->clone());
    }

private:
    std::unique_ptr<spdlog::formatter> m_inner;
};

}  // namespace

void set_log_format(spdlog::logger& logger, LogFormat format, LogDestination destination) {
    auto inner = std::make_unique<spdlog::pattern_formatter>();
    // %J: the priority journald takes off the line; journald stamps the time itself.
    const bool journal = destination == LogDestination::journal;
    inner->add_flag<JournalPriority>('J');
    if (format == LogFormat::json) {
        // One JSON object a line for journald and log shippers; %* is the escaped message.
        inner->add_flag<JsonEscapedMessage>('*').set_pattern(
            std::string(journal ? "%J" : "") +
            R"({"time":"%Y-%m-%dT%H:%M:%S.%e%z","level":"%l","message":"%*"})");
    } else {
        inner->set_pattern(journal ? "%J%l: %v" : "%Y-%m-%d %H:%M:%S %^%l%$: %v");
    }
    logger.set_formatter(std::make_unique<SafeFormatter>(std::move(inner)));
}

}  // namespace oaiharvest::cli
