#include "corpus.hpp"

#include <stdexcept>

namespace oaiharvest::bench {
namespace {

// The xlink:href of a METS record's mets:FLocat, or "" (the generator's URLs need no
// unescaping).
std::string file_url_of(const sample::SampleRecord& record) {
    const std::string href = "xlink:href=\"";
    const auto locat = record.mets.find("<mets:FLocat");
    const auto at = locat == std::string::npos ? locat : record.mets.find(href, locat);
    if (at == std::string::npos) {
        return {};
    }
    const auto begin = at + href.size();
    return record.mets.substr(begin, record.mets.find('"', begin) - begin);
}

}  // namespace

sample::GenerateOptions generate_options(const CorpusOptions& options) {
    sample::GenerateOptions generate;
    generate.records = options.records;
    generate.abstract_bytes = options.abstract_bytes;
    generate.prefixes = {"mets"};  // halves the generator's memory; only mets is harvested
    generate.first_datestamp = "2020-01-01T00:00:00Z";
    generate.datestamp_step = std::chrono::seconds{60};
    generate.deletion_delay = std::chrono::hours{24};
    if (!options.site_url.empty()) {
        generate.site_url = options.site_url;
    }
    return generate;
}

Corpus::Corpus(const CorpusOptions& options)
    : m_repository(sample::make_sample_repository(generate_options(options))) {
    sample::ProviderOptions provide;
    provide.page_size = options.page_size;
    provide.base_url = "http://127.0.0.1/cgi/oai2";
    m_provider = std::make_unique<sample::Provider>(m_repository, provide);
    sample::QueryArgs args{{"verb", "ListRecords"}, {"metadataPrefix", "mets"}};
    std::string token;
    while (true) {
        auto response = m_provider->handle(args);
        if (response.status != 200 || response.body.find("<ListRecords>") == std::string::npos) {
            throw std::runtime_error("the sample provider did not answer ListRecords with a page");
        }
        std::string next = resumption_token_of(response.body);
        m_bytes += response.body.size();
        m_pages.emplace(token, std::make_shared<const std::string>(std::move(response.body)));
        if (next.empty()) {
            break;
        }
        token = next;
        args = {{"verb", "ListRecords"}, {"resumptionToken", token}};
    }
    m_records = m_repository.records.size();
    for (const auto& record : m_repository.records) {
        if (auto url = file_url_of(record); !record.deleted && !url.empty()) {
            m_document_urls.push_back(std::move(url));
        }
    }
}

std::shared_ptr<const std::string> Corpus::page(const std::string& token) const {
    auto it = m_pages.find(token);
    return it == m_pages.end() ? nullptr : it->second;
}

sample::ProviderResponse Corpus::answer(const sample::QueryArgs& args) const {
    return m_provider->handle(args);
}

std::string resumption_token_of(const std::string& page) {
    // The token sits at the very end of a page; searching backwards skips the records.
    auto open = page.rfind("<resumptionToken");
    if (open == std::string::npos) {
        return {};
    }
    auto begin = page.find('>', open);
    if (begin == std::string::npos || page[begin - 1] == '/') {
        return {};
    }
    auto end = page.find("</resumptionToken>", begin);
    return end == std::string::npos ? std::string{} : page.substr(begin + 1, end - begin - 1);
}

}  // namespace oaiharvest::bench
