#include "harness.hpp"

#include <libxml/c14n.h>
#include <libxml/parser.h>

#include <fstream>
#include <memory>
#include <sstream>
#include <stdexcept>

namespace oaiharvest::test {

Harness::Harness(sample::GenerateOptions generate_options, sample::ProviderOptions provider)
    : generate(generate_options),
      server(sample::make_sample_repository(generate_options), provider) {}

namespace {

std::vector<std::string> harvest_args(const std::string& url, std::vector<std::string> extra) {
    std::vector<std::string> args{"harvest", "--url", url, "--name", "sample"};
    args.insert(args.end(), extra.begin(), extra.end());
    return args;
}

std::vector<nlohmann::json> export_lines(const Harness& h, const std::string& database,
                                         std::vector<std::string> extra) {
    std::vector<std::string> args{"export", "--format", "jsonl", "--include-deleted"};
    args.insert(args.end(), extra.begin(), extra.end());
    auto result = h.run_on(database, args);
    if (result.exit_code != 0) {
        throw std::runtime_error("export failed: " + result.err);
    }
    std::vector<nlohmann::json> lines;
    std::istringstream in(result.out);
    for (std::string line; std::getline(in, line);) {
        lines.push_back(nlohmann::json::parse(line));
    }
    return lines;
}

}  // namespace

ProcessResult Harness::run(std::vector<std::string> args) const {
    return run_on(db, std::move(args));
}

void Harness::use_config(const std::string& toml) {
    config = dir.file("oaiharvest.toml");
    std::ofstream(*config) << toml;
}

ProcessResult Harness::run_on(const std::string& database, std::vector<std::string> args) const {
    args.insert(args.begin(), {"--db", database});
    if (config) {
        args.insert(args.begin(), {"-c", *config});
    }
    return run_oaiharvest(args);
}

std::unique_ptr<BackgroundProcess> Harness::start_harvest(std::vector<std::string> extra) const {
    auto args = harvest_args(server.base_url(), std::move(extra));
    args.insert(args.begin(), {"--db", db});
    if (config) {
        args.insert(args.begin(), {"-c", *config});
    }
    return std::make_unique<BackgroundProcess>(args);
}

ProcessResult Harness::harvest(std::vector<std::string> extra) const {
    return run(harvest_args(server.base_url(), std::move(extra)));
}

std::vector<nlohmann::json> Harness::exported(std::vector<std::string> extra) const {
    return export_lines(*this, db, std::move(extra));
}

std::vector<nlohmann::json> Harness::exported_from(const std::string& database) const {
    return export_lines(*this, database, {});
}

nlohmann::json Harness::status() const {
    auto result = run({"status", "--json"});
    if (result.exit_code != 0) {
        throw std::runtime_error("status failed: " + result.err);
    }
    return nlohmann::json::parse(result.out);
}

std::string canonical_xml(const std::string& xml) {
    std::unique_ptr<xmlDoc, decltype(&xmlFreeDoc)> doc(
        xmlReadMemory(xml.data(), static_cast<int>(xml.size()), nullptr, "UTF-8",
                      XML_PARSE_NONET | XML_PARSE_NOWARNING | XML_PARSE_NOERROR),
        xmlFreeDoc);
    if (!doc) {
        throw std::runtime_error("not well-formed: " + xml.substr(0, 200));
    }
    xmlChar* out = nullptr;
    int size = xmlC14NDocDumpMemory(doc.get(), nullptr, XML_C14N_EXCLUSIVE_1_0, nullptr, 0, &out);
    if (size < 0) {
        throw std::runtime_error("C14N failed");
    }
    std::string text(reinterpret_cast<const char*>(out), static_cast<std::size_t>(size));
    xmlFree(out);
    return text;
}

std::string standalone(const std::string& element) {
    static const std::string k_xsi = "xmlns:xsi=";
    auto tag_end = element.find('>');
    if (element.find("xsi:") == std::string::npos ||
        element.substr(0, tag_end).find(k_xsi) != std::string::npos) {
        return element;
    }
    auto name_end = element.find_first_of(" \t\r\n/>", 1);
    return element.substr(0, name_end) +
           " xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"" + element.substr(name_end);
}

std::vector<std::string> lines_of(const std::string& text) {
    std::vector<std::string> out;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) {
        out.push_back(line);
    }
    return out;
}

}  // namespace oaiharvest::test
