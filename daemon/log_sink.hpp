#pragma once
// The format of log lines, text or JSON, and the guard every line passes: a message quotes
// what servers sent (error bodies, tokens, URLs), so it is made printable (valid UTF-8 on one
// line, control characters shown as \xHH) and the credentials of URLs in it are redacted before
// any sink writes it. No log line can clear a terminal, set its title, forge a second line or
// break a JSON reader.

#include <spdlog/logger.h>

namespace oaiharvest::cli {

enum class LogFormat { text, json };

// Where the lines go: a file or a terminal, or systemd's journal (util/journal_stream.hpp),
// where each line starts with its priority and the text format leaves out the timestamp.
enum class LogDestination { stream, journal };

// Gives the logger the format; call before it logs from several threads.
void set_log_format(spdlog::logger& logger, LogFormat format, LogDestination destination);

}  // namespace oaiharvest::cli
