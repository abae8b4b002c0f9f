#include "config/config.hpp"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <map>
#include <sstream>

#include "config/detail/key_table.hpp"
#include "config/detail/reader.hpp"
#include "config/detail/text.hpp"

namespace oaiharvest::config {
namespace {

using detail::KeySpec;
using detail::ReadContext;

// A table such as [http]; absent leaves the defaults.
template <class Section>
void read_table(const toml::table& root, std::string_view name,
                std::span<const KeySpec<Section>> keys, Section& into, ReadContext& context) {
    const toml::node* node = root.get(name);
    if (node == nullptr) {
        return;
    }
    const auto* table = node->as_table();
    if (table == nullptr) {
        context.problems.add(node->source().begin,
                             std::string{name} + ": expected a table [" + std::string{name} + "]");
        return;
    }
    detail::read_section(*table, name, name, keys, into, context);
}

void read_endpoints(const toml::table& root, Config& config, ReadContext& context) {
    const toml::node* node = root.get("endpoint");
    if (node == nullptr) {
        return;
    }
    const auto* array = node->as_array();
    if (array == nullptr || !array->is_array_of_tables()) {
        context.problems.add(node->source().begin,
                             "endpoint: expected [[endpoint]] tables, one per endpoint");
        return;
    }
    std::map<std::string, std::uint32_t, std::less<>> first_line_of_name;
    for (std::size_t i = 0; i < array->size(); ++i) {
        const auto& table = *array->get(i)->as_table();
        const auto path = "endpoint[" + std::to_string(i) + "]";
        EndpointConfig endpoint;
        detail::read_section(table, "endpoint", path, detail::endpoint_keys(), endpoint, context);
        if (!endpoint.name.empty()) {
            const auto& name_node = *table.get("name");
            const auto line = name_node.source().begin.line;
            const auto [first, inserted] = first_line_of_name.emplace(endpoint.name, line);
            if (!inserted) {
                context.problems.add(name_node.source().begin,
                                     path + ".name = " + detail::toml_quote(endpoint.name) +
                                         ": duplicate endpoint name, first used at line " +
                                         std::to_string(first->second));
            }
        }
        config.endpoints.push_back(std::move(endpoint));
    }
}

}  // namespace

Config parse_config(std::string_view toml_text, const std::filesystem::path& file) {
    detail::Problems problems{file.string()};
    toml::table root;
    try {
        root = toml::parse(toml_text, std::string_view{file.string()});
    } catch (const toml::parse_error& error) {
        problems.add(error.source().begin, "not valid TOML: " + std::string{error.description()});
        problems.throw_if_any();
    }
    Config config;
    config.file = file;
    // Absolute, so that describe_effective writes paths that read back the same from anywhere.
    ReadContext context{problems, std::filesystem::absolute(file).parent_path()};
    detail::read_section(root, "", "", detail::top_level_keys(), config, context);
    read_table(root, "http", detail::http_keys(), config.http, context);
    read_table(root, "daemon", detail::daemon_keys(), config.daemon, context);
    read_table(root, "log", detail::log_keys(), config.log, context);
    read_table(root, "serve", detail::serve_keys(), config.serve, context);
    read_table(root, "text", detail::text_keys(), config.text, context);
    read_endpoints(root, config, context);
    problems.throw_if_any();
    return config;
}

Config load_config(const std::filesystem::path& file) {
    std::error_code error;
    if (std::filesystem::is_directory(file, error)) {
        throw ConfigError{file.string() + ": cannot read: it is a directory"};
    }
    std::ifstream in{file, std::ios::binary};
    if (!in) {
        throw ConfigError{file.string() + ": cannot read: " + std::strerror(errno)};
    }
    std::ostringstream text;
    text << in.rdbuf();
    if (in.bad()) {
        throw ConfigError{file.string() + ": cannot read: " + std::strerror(errno)};
    }
    return parse_config(text.str(), file);
}

const EndpointConfig* find_endpoint(const Config& config, std::string_view name) {
    for (const auto& endpoint : config.endpoints) {
        if (endpoint.name == name) {
            return &endpoint;
        }
    }
    return nullptr;
}

}  // namespace oaiharvest::config
