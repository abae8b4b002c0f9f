#include "eprints_fixtures.hpp"

#include <algorithm>
#include <fstream>
#include <map>
#include <sstream>
#include <stdexcept>
#include <vector>

#include "sample/detail/text.hpp"
#include "xml_doc.hpp"

namespace oaiharvest::testing {
namespace {

std::string between(std::string_view text, std::string_view open, std::string_view close) {
    auto start = text.find(open);
    if (start == std::string_view::npos) {
        return {};
    }
    start += open.size();
    return std::string(text.substr(start, text.find(close, start) - start));
}

std::vector<std::string> all_between(std::string_view text, std::string_view open,
                                     std::string_view close) {
    std::vector<std::string> found;
    for (auto start = text.find(open); start != std::string_view::npos;
         start = text.find(open, start)) {
        start += open.size();
        auto end = text.find(close, start);
        found.emplace_back(text.substr(start, end - start));
        start = end;
    }
    return found;
}

}  // namespace

std::string read_fixture(std::string_view relative_path) {
    std::ifstream in(std::string(OAIHARVEST_FIXTURES_DIR) + "/" + std::string(relative_path),
                     std::ios::binary);
    if (!in) {
        throw std::runtime_error("missing fixture " + std::string(relative_path));
    }
    std::ostringstream bytes;
    bytes << in.rdbuf();
    return bytes.str();
}

sample::Repository eprints_fixture_repository() {
    sample::Repository repository;
    repository.identity.repository_name = "Central Asia OAI Lab Repository";
    repository.identity.repository_identifier = "eprints.oailab.local";
    repository.identity.admin_email = "admin@oailab.example.org";

    XmlDoc formats(read_fixture("eprints-3.4/ListMetadataFormats.xml"));
    auto prefixes = formats.strings("//oai:metadataPrefix");
    auto schemas = formats.strings("//oai:schema");
    auto namespaces = formats.strings("//oai:metadataNamespace");
    for (std::size_t i = 0; i < prefixes.size(); ++i) {
        repository.formats.push_back({prefixes[i], schemas[i], namespaces[i]});
    }
    XmlDoc sets(read_fixture("eprints-3.4/ListSets.xml"));
    auto specs = sets.strings("//oai:setSpec");
    auto names = sets.strings("//oai:setName");
    for (std::size_t i = 0; i < specs.size(); ++i) {
        repository.sets.push_back({specs[i], names[i]});
    }

    std::map<std::size_t, sample::SampleRecord> records;
    for (std::string prefix : {"mets", "mods", "oai_dc"}) {
        for (std::string page : {"page1", "page2", "page3_last"}) {
            std::string body =
                read_fixture("eprints-3.4/ListRecords_" + prefix + "_" + page + ".xml");
            std::string_view rest(body);
            for (auto at = rest.find("    <record>\n"); at != std::string_view::npos;
                 at = rest.find("    <record>\n")) {
                rest = rest.substr(at + 1);
                std::string_view block = rest.substr(0, rest.find("</record>"));
                sample::SampleRecord& record =
                    records[*sample::eprint_number(between(block, "<identifier>", "<"))];
                record.identifier = between(block, "<identifier>", "<");
                record.datestamp = between(block, "<datestamp>", "<");
                record.deleted = block.find("status=\"deleted\"") != std::string_view::npos;
                record.sets = all_between(block, "<setSpec>", "</setSpec>");
                std::string metadata = between(block, "<metadata>\n      ", "</metadata>");
                (prefix == "mets"   ? record.mets
                 : prefix == "mods" ? record.mods
                                    : record.oai_dc) = metadata;
            }
        }
    }
    // Withdrawn items keep their type for set queries though their headers show no setSpec:
    // the fixture's types=article list counts 3 of the 5 (13 and 101 on its first page).
    for (std::size_t withdrawn_article : {13, 101, 199}) {
        records.at(withdrawn_article).sets = {"74797065733D61727469636C65"};
    }
    for (auto& [number, record] : records) {
        repository.records.push_back(std::move(record));
    }
    return repository;
}

FixtureExchange load_exchange(std::string_view name) {
    FixtureExchange exchange;
    std::string headers = read_fixture("eprints-3.4/" + std::string(name) + ".headers");
    std::string url = headers.substr(0, headers.find('\n'));
    std::string query = url.substr(url.find('?') + 1);
    std::string_view rest(query);
    while (!rest.empty()) {
        std::string_view pair = rest.substr(0, rest.find('&'));
        rest = pair.size() < rest.size() ? rest.substr(pair.size() + 1) : std::string_view{};
        auto equals = pair.find('=');
        exchange.args.emplace(sample::detail::uri_unescape(pair.substr(0, equals)),
                              sample::detail::uri_unescape(pair.substr(equals + 1)));
    }
    exchange.response = read_fixture("eprints-3.4/" + std::string(name) + ".xml");
    exchange.response_date = between(exchange.response, "<responseDate>", "<");
    return exchange;
}

std::string with_sorted_request_attributes(std::string body) {
    auto start = body.find("<request");
    auto end = body.find('>', start);
    std::string_view attributes = std::string_view(body).substr(start + 8, end - start - 8);
    std::vector<std::string> sorted;
    for (auto at = attributes.find(' '); at != std::string_view::npos;) {
        auto close = attributes.find('"', attributes.find('"', at) + 1);
        sorted.emplace_back(attributes.substr(at + 1, close - at));
        at = attributes.find(' ', close);
    }
    std::sort(sorted.begin(), sorted.end());
    std::string rebuilt = "<request";
    for (const auto& attribute : sorted) {
        rebuilt += " " + attribute;
    }
    return body.replace(start, end - start, rebuilt);
}

}  // namespace oaiharvest::testing
