#pragma once
// Reads the sections of a parsed TOML document into the config model, by the key table, and
// collects every problem rather than stopping at the first. Used by parse_config only.

#include <toml++/toml.h>

#include <cstdint>
#include <filesystem>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "config/detail/key_table.hpp"

namespace oaiharvest::config::detail {

// The problems found so far, each with its place; thrown together as one ConfigError.
class Problems {
public:
    explicit Problems(std::string file) : m_file{std::move(file)} {}

    void add(const toml::source_position& where, std::string text);
    // Throws ConfigError listing the problems in file order, one "file:line:col: text" each.
    void throw_if_any() const;

private:
    struct Problem {
        std::uint32_t line;
        std::uint32_t column;
        std::string text;
    };
    std::string m_file;
    std::vector<Problem> m_problems;
};

struct ReadContext {
    Problems& problems;
    std::filesystem::path folder;  // the config file's folder, absolute: anchors relative paths
};

// One key's node and its path in messages ("http.timeout", "endpoint[0].name").
struct KeyValue {
    const toml::node& node;
    std::string path;
};

// One overload per member type: reads the value into `out`, or reports what is wrong and leaves
// `out` as it was.
void read_value(const KeyValue& value, const KeyRules& rules, std::string& out, ReadContext& c);
void read_value(const KeyValue& value, const KeyRules& rules, int& out, ReadContext& c);
void read_value(const KeyValue& value, const KeyRules& rules, std::chrono::milliseconds& out,
                ReadContext& c);
void read_value(const KeyValue& value, const KeyRules& rules, bool& out, ReadContext& c);
void read_value(const KeyValue& value, const KeyRules& rules, std::uint64_t& out, ReadContext& c);
void read_value(const KeyValue& value, const KeyRules& rules,
                std::optional<std::filesystem::path>& out, ReadContext& c);
void read_value(const KeyValue& value, const KeyRules& rules, std::vector<std::string>& out,
                ReadContext& c);
void read_value(const KeyValue& value, const KeyRules& rules,
                std::optional<scheduler::Schedule>& out, ReadContext& c);

// Reports each key of `table` that `section` (a name from all_section_keys()) does not know,
// with the key probably meant, or the section it belongs in.
void report_unknown_keys(const toml::table& table, std::string_view section, std::string_view path,
                         ReadContext& context);

// The path of a key in messages: "timeout" in "http" is "http.timeout".
std::string key_path(std::string_view path, std::string_view key);

// Reads every key of the table that the section's spec lists, and reports the others.
template <class Section>
void read_section(const toml::table& table, std::string_view section, std::string_view path,
                  std::span<const KeySpec<Section>> keys, Section& into, ReadContext& context) {
    report_unknown_keys(table, section, path, context);
    for (const auto& key : keys) {
        const toml::node* node = table.get(key.name);
        if (node == nullptr) {
            if (key.rules.required) {
                context.problems.add(table.source().begin,
                                     key_path(path, key.name) + ": missing (it is required)");
            }
            continue;
        }
        const KeyValue value{*node, key_path(path, key.name)};
        std::visit([&](auto member) { read_value(value, key.rules, into.*member, context); },
                   key.member);
    }
}

}  // namespace oaiharvest::config::detail
