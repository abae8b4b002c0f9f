#include "config/detail/reader.hpp"

#include <algorithm>
#include <climits>
#include <sstream>
#include <tuple>

#include "config/detail/text.hpp"

namespace oaiharvest::config::detail {
namespace {

// The value as written, for messages: strings double-quoted, the rest as toml++ prints them.
std::string shown(const toml::node& node) {
    if (const auto* text = node.as_string()) {
        return toml_quote(text->get());
    }
    std::ostringstream out;
    node.visit([&](const auto& n) { out << n; });
    return out.str();
}

std::string_view type_name(const toml::node& node) {
    switch (node.type()) {
        case toml::node_type::string:
            return "a string";
        case toml::node_type::integer:
            return "an integer";
        case toml::node_type::floating_point:
            return "a float";
        case toml::node_type::boolean:
            return "a boolean";
        case toml::node_type::array:
            return "an array";
        case toml::node_type::table:
            return "a table";
        default:
            return "a date or time";
    }
}

void report(const KeyValue& value, ReadContext& context, std::string_view what) {
    context.problems.add(value.node.source().begin,
                         value.path + " = " + shown(value.node) + ": " + std::string{what});
}

void report_type(const KeyValue& value, ReadContext& context, std::string_view expected) {
    report(value, context,
           "expected " + std::string{expected} + ", got " + std::string{type_name(value.node)});
}

const std::string* text_of(const KeyValue& value, ReadContext& context,
                           std::string_view expected = "a string") {
    const auto* text = value.node.as_string();
    if (text == nullptr) {
        report_type(value, context, expected);
        return nullptr;
    }
    return &text->get();
}

bool below_min(const KeyValue& value, ReadContext& context, std::int64_t number, std::int64_t min,
               const std::string& min_text) {
    if (number < min) {
        report(value, context, "must be at least " + min_text);
        return true;
    }
    return false;
}

}  // namespace

void Problems::add(const toml::source_position& where, std::string text) {
    m_problems.push_back({where.line, where.column, std::move(text)});
}

void Problems::throw_if_any() const {
    if (m_problems.empty()) {
        return;
    }
    auto sorted = m_problems;
    std::stable_sort(sorted.begin(), sorted.end(), [](const Problem& a, const Problem& b) {
        return std::tie(a.line, a.column) < std::tie(b.line, b.column);
    });
    std::string message;
    for (const auto& problem : sorted) {
        if (!message.empty()) {
            message += '\n';
        }
        message += m_file;
        if (problem.line > 0) {
            message += ':' + std::to_string(problem.line) + ':' + std::to_string(problem.column);
        }
        message += ": " + problem.text;
    }
    throw ConfigError{message};
}

std::string key_path(std::string_view path, std::string_view key) {
    return path.empty() ? std::string{key} : std::string{path} + "." + std::string{key};
}

void read_value(const KeyValue& value, const KeyRules& rules, std::string& out,
                ReadContext& context) {
    const auto* text = text_of(value, context);
    if (text == nullptr) {
        return;
    }
    if (!rules.choices.empty() &&
        std::find(rules.choices.begin(), rules.choices.end(), *text) == rules.choices.end()) {
        std::string allowed;
        for (const auto choice : rules.choices) {
            allowed += (allowed.empty() ? "" : ", ") + std::string{choice};
        }
        report(value, context, "must be one of " + allowed);
        return;
    }
    if (rules.validate != nullptr) {
        if (auto problem = rules.validate(*text); !problem.empty()) {
            report(value, context, problem);
            return;
        }
    }
    out = *text;
}

void read_value(const KeyValue& value, const KeyRules& rules, int& out, ReadContext& context) {
    const auto* number = value.node.as_integer();
    if (number == nullptr) {
        report_type(value, context, "an integer");
        return;
    }
    if (below_min(value, context, number->get(), rules.min, std::to_string(rules.min))) {
        return;
    }
    if (number->get() > INT_MAX) {
        report(value, context, "must be at most " + std::to_string(INT_MAX));
        return;
    }
    out = static_cast<int>(number->get());
}

void read_value(const KeyValue& value, const KeyRules&, bool& out, ReadContext& context) {
    const auto* flag = value.node.as_boolean();
    if (flag == nullptr) {
        report_type(value, context, "true or false");
        return;
    }
    out = flag->get();
}

void read_value(const KeyValue& value, const KeyRules& rules, std::chrono::milliseconds& out,
                ReadContext& context) {
    const auto* text = text_of(value, context, "a duration string such as \"30s\"");
    if (text == nullptr) {
        return;
    }
    const auto duration = parse_duration(*text);
    if (!duration) {
        report(value, context,
               "not a duration: write numbers with units ms, s, m, h, d, largest first, such as "
               "\"500ms\", \"30s\" or \"1h30m\"");
        return;
    }
    if (below_min(value, context, duration->count(), rules.min,
                  format_duration(std::chrono::milliseconds{rules.min}))) {
        return;
    }
    out = *duration;
}

void read_value(const KeyValue& value, const KeyRules& rules, std::uint64_t& out,
                ReadContext& context) {
    std::optional<std::uint64_t> size;
    if (const auto* number = value.node.as_integer()) {
        if (number->get() >= 0) {
            size = static_cast<std::uint64_t>(number->get());
        }
    } else if (const auto* text = value.node.as_string()) {
        size = parse_size(text->get());
    } else {
        report_type(value, context, "a size such as \"512MB\" or a number of bytes");
        return;
    }
    if (!size) {
        report(value, context,
               "not a size: write a number of bytes, or a number and a unit B, KB, MB, GB, TB "
               "(powers of 1000), KiB, MiB, GiB, TiB (powers of 1024), such as \"512MB\"");
        return;
    }
    if (*size < static_cast<std::uint64_t>(rules.min)) {
        report(value, context,
               "must be at least " + format_size(static_cast<std::uint64_t>(rules.min)));
        return;
    }
    out = *size;
}

void read_value(const KeyValue& value, const KeyRules& rules,
                std::optional<std::filesystem::path>& out, ReadContext& context) {
    const auto* text = text_of(value, context, "a string (a file path)");
    if (text == nullptr) {
        return;
    }
    if (text->empty()) {
        report(value, context, "must not be empty");
        return;
    }
    if (rules.or_postgres_url &&
        (text->starts_with("postgresql://") || text->starts_with("postgres://"))) {
        out = std::filesystem::path(*text);
        return;
    }
    out = (context.folder / *text).lexically_normal();
}

void read_value(const KeyValue& value, const KeyRules& rules, std::vector<std::string>& out,
                ReadContext& context) {
    const auto* array = value.node.as_array();
    if (array == nullptr) {
        report_type(value, context, "an array of strings");
        return;
    }
    std::vector<std::string> texts;
    bool good = true;
    for (std::size_t i = 0; i < array->size(); ++i) {
        const KeyValue item{*array->get(i), value.path + "[" + std::to_string(i) + "]"};
        std::string text;
        read_value(item, rules, text, context);
        if (text.empty()) {
            good = false;  // reported by read_value (validate rejects empty texts)
        } else if (std::find(texts.begin(), texts.end(), text) != texts.end()) {
            report(item, context, "listed twice");
            good = false;
        }
        texts.push_back(std::move(text));
    }
    if (good) {
        out = std::move(texts);
    }
}

void read_value(const KeyValue& value, const KeyRules&, std::optional<scheduler::Schedule>& out,
                ReadContext& context) {
    const auto* text = text_of(value, context, "a schedule string such as \"0 2 * * *\"");
    if (text == nullptr) {
        return;
    }
    auto schedule = scheduler::Schedule::parse(*text);
    if (!schedule) {
        report(value, context, schedule.error());
        return;
    }
    out = std::move(*schedule);
}

void report_unknown_keys(const toml::table& table, std::string_view section, std::string_view path,
                         ReadContext& context) {
    const auto& sections = all_section_keys();
    const auto& own = *std::find_if(sections.begin(), sections.end(),
                                    [&](const SectionKeys& s) { return s.section == section; });
    for (const auto& [key, node] : table) {
        const std::string_view name = key.str();
        if (std::find(own.keys.begin(), own.keys.end(), name) != own.keys.end()) {
            continue;
        }
        std::string text = key_path(path, name) + ": unknown key";
        const auto other =
            std::find_if(sections.begin(), sections.end(), [&](const SectionKeys& s) {
                return std::find(s.keys.begin(), s.keys.end(), name) != s.keys.end();
            });
        if (const auto meant = nearest(name, own.keys); !meant.empty()) {
            text += "; did you mean '" + std::string{meant} + "'?";
        } else if (other != sections.end()) {
            text += other->section.empty() ? "; it belongs at the top level, before any table"
                    : other->section == "endpoint"
                        ? "; it belongs in an [[endpoint]] table"
                        : "; it belongs in the [" + std::string{other->section} + "] table";
        }
        context.problems.add(key.source().begin, std::move(text));
    }
}

}  // namespace oaiharvest::config::detail
