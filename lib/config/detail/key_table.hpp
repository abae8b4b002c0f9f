#pragma once
// Every key of the config file in one table per section: its name, the member it sets, its doc
// line and its rules. parse_config reads by it and rejects keys outside it; describe_effective
// writes by it. Immutable after static initialization; thread-safe.

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "config/config.hpp"

namespace oaiharvest::config::detail {

// An extra check on a text value, or on each text of a list: what is wrong, or "" when fine.
using Validate = std::string (*)(std::string_view value);

struct KeyRules {
    std::int64_t min = 0;  // least integer, duration (in ms) or size (in bytes)
    std::span<const std::string_view> choices = {};  // the allowed texts; empty: any
    bool required = false;
    Validate validate = nullptr;
    std::string_view when_absent = {};  // for a key without default: what its absence means
    // A path key that also takes a PostgreSQL URL (postgresql://, postgres://), kept as written.
    bool or_postgres_url = false;
};

// The member a key sets; its type decides how the value is read and written:
// std::string a string, int an integer, bool a boolean, milliseconds a duration, std::uint64_t a
// size, optional<path> a path, vector<string> an array of strings, optional<Schedule> a schedule.
template <class Section>
using Member = std::variant<
    std::string Section::*, int Section::*, bool Section::*, std::chrono::milliseconds Section::*,
    std::uint64_t Section::*, std::optional<std::filesystem::path> Section::*,
    std::vector<std::string> Section::*, std::optional<scheduler::Schedule> Section::*>;

template <class Section>
struct KeySpec {
    std::string_view name;
    Member<Section> member;
    std::string_view doc;
    KeyRules rules = {};
};

// The sections, in the order describe_effective writes them.
std::span<const KeySpec<Config>> top_level_keys();         // top level, before any table
std::span<const KeySpec<HttpSettings>> http_keys();        // [http]
std::span<const KeySpec<DaemonSettings>> daemon_keys();    // [daemon]
std::span<const KeySpec<LogSettings>> log_keys();          // [log]
std::span<const KeySpec<ServeSettings>> serve_keys();      // [serve]
std::span<const KeySpec<TextSettings>> text_keys();        // [text]
std::span<const KeySpec<EndpointConfig>> endpoint_keys();  // [[endpoint]]

// The key names of each section ("" for the top level, whose names include the tables), to
// tell an unknown key and suggest the one meant.
struct SectionKeys {
    std::string_view section;
    std::vector<std::string_view> keys;
};
const std::vector<SectionKeys>& all_section_keys();

}  // namespace oaiharvest::config::detail
