#include "harness.hpp"

#include <libxml/c14n.h>
#include <libxml/parser.h>

#include <memory>
#include <sstream>
#include <stdexcept>

namespace oaiharvest::test {

Harness::Harness(sample::GenerateOptions generate_options, sample::ProviderOptions provider)
    : generate(generate_options),
      server(sample::make_sample_repository(generate_options), provider) {}

ProcessResult Harness::run(std::vector<std::string> args) const {
    args.insert(args.begin(), {"--db", db});
    return run_oaiharvest(args);
}

ProcessResult Harness::harvest(std::vector<std::string> extra) const {
    std::vector<std::string> args{"harvest", "--url", server.base_url(), "--name", "sample"};
    args.insert(args.end(), extra.begin(), extra.end());
    return run(args);
}

std::vector<nlohmann::json> Harness::exported(std::vector<std::string> extra) const {
    std::vector<std::string> args{"export", "--format", "jsonl", "--include-deleted"};
    args.insert(args.end(), extra.begin(), extra.end());
    auto result = run(args);
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

}  // namespace oaiharvest::test
