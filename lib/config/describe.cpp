// describe_effective: the Config written back as TOML by the key table, defaults included.

#include <algorithm>

#include "config/config.hpp"
#include "config/detail/key_table.hpp"
#include "config/detail/text.hpp"

namespace oaiharvest::config {
namespace {

using detail::toml_quote;

// One overload per member type: the value as TOML, or nullopt for an absent optional value.
std::optional<std::string> as_toml(const std::string& text) {
    return toml_quote(text);
}
std::optional<std::string> as_toml(int number) {
    return std::to_string(number);
}
std::optional<std::string> as_toml(bool flag) {
    return flag ? "true" : "false";
}
std::optional<std::string> as_toml(std::chrono::milliseconds duration) {
    return toml_quote(format_duration(duration));
}
std::optional<std::string> as_toml(std::uint64_t bytes) {
    return toml_quote(format_size(bytes));
}
std::optional<std::string> as_toml(const std::optional<std::filesystem::path>& path) {
    if (!path) {
        return std::nullopt;
    }
    return toml_quote(path->string());
}
std::optional<std::string> as_toml(const std::vector<std::string>& texts) {
    std::string list = "[";
    for (const auto& text : texts) {
        list += (list.size() > 1 ? ", " : "") + toml_quote(text);
    }
    return list + "]";
}
std::optional<std::string> as_toml(const std::optional<scheduler::Schedule>& schedule) {
    if (!schedule) {
        return std::nullopt;
    }
    return toml_quote(schedule->text());
}

// GCC 12 at -O3 instantiates every alternative of the member-pointer variant against every
// section and then warns that, say, a duration member would lie outside the 4-byte
// DaemonSettings; the alternative it warns about is never held for that section.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Warray-bounds"
#endif
template <class Section>
void describe_section(std::string& out, std::span<const detail::KeySpec<Section>> keys,
                      const Section& section) {
    static const Section defaults{};
    for (const auto& key : keys) {
        const auto [value, default_value] = std::visit(
            [&](auto member) {
                return std::pair{as_toml(section.*member), as_toml(defaults.*member)};
            },
            key.member);
        out += "# " + std::string{key.doc} + "\n";
        if (!value) {
            out += "# " + std::string{key.name} +
                   " is not set: " + std::string{key.rules.when_absent} + "\n";
            continue;
        }
        out += std::string{key.name} + " = " + *value;
        if (!key.rules.required && value == default_value) {
            out += "  # default";
        }
        out += "\n";
    }
}
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif

}  // namespace

std::string describe_effective(const Config& config) {
    std::string out = "# Effective settings of " + config.file.string() +
                      " (\"# default\" marks a default value)\n";
    describe_section(out, detail::top_level_keys(), config);
    out += "\n[http]\n";
    describe_section(out, detail::http_keys(), config.http);
    out += "\n[daemon]\n";
    describe_section(out, detail::daemon_keys(), config.daemon);
    out += "\n[log]\n";
    describe_section(out, detail::log_keys(), config.log);
    out += "\n[serve]\n";
    describe_section(out, detail::serve_keys(), config.serve);
    out += "\n[text]\n";
    describe_section(out, detail::text_keys(), config.text);
    for (const auto& endpoint : config.endpoints) {
        out += "\n[[endpoint]]\n";
        describe_section(out, detail::endpoint_keys(), endpoint);
    }
    return out;
}

}  // namespace oaiharvest::config
