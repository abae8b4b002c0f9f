#pragma once
// The benchmark corpus: EPrints-like METS records from the sample generator (sample/), rendered
// once as OAI-PMH ListRecords pages chained by resumption tokens, so that serving a page costs a
// map lookup and a write. Built once, then read-only: safe to read from several threads.

#include <cstddef>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "sample/generate.hpp"
#include "sample/provider.hpp"

namespace oaiharvest::bench {

struct CorpusOptions {
    std::size_t records = 100'000;
    std::size_t page_size = 100;
    // Padding of each abstract (see sample::GenerateOptions). 0: the generator's own one to
    // four sentences; its METS records (EPrints' rights statement included) are then ~4 KB.
    std::size_t abstract_bytes = 0;
    // Where the records' file and relation URLs point (sample::GenerateOptions::site_url);
    // empty: the generator's own host, which serves nothing. The documents scenario sets it to
    // the bench server itself.
    std::string site_url;
};

// The sample generator's options the corpus uses: METS only, datestamps one minute apart from
// 2020-01-01, so every record is older than any responseDate and a re-harvest from the last
// responseDate matches nothing.
sample::GenerateOptions generate_options(const CorpusOptions& options);

class Corpus {
public:
    // Generates the records and renders every page. Throws std::runtime_error when the provider
    // answers the list with anything but pages (a bug in the options).
    explicit Corpus(const CorpusOptions& options);

    // The page a ListRecords request for `token` gets; the empty token is the first page of
    // metadataPrefix=mets. nullptr for a token the corpus never issued.
    std::shared_ptr<const std::string> page(const std::string& token) const;

    // Any other request (Identify, ListMetadataFormats, a from/until list): rendered now by the
    // sample provider, as the sample endpoint would.
    sample::ProviderResponse answer(const sample::QueryArgs& args) const;

    std::size_t pages() const { return m_pages.size(); }
    std::size_t bytes() const { return m_bytes; }
    std::size_t records() const { return m_records; }
    // The URLs of the files the corpus's live records list (mets:FLocat), in record order.
    const std::vector<std::string>& document_urls() const { return m_document_urls; }

private:
    sample::Repository m_repository;
    std::unique_ptr<sample::Provider> m_provider;
    std::map<std::string, std::shared_ptr<const std::string>> m_pages;  // token -> page
    std::size_t m_bytes = 0;
    std::size_t m_records = 0;
    std::vector<std::string> m_document_urls;
};

// The resumptionToken of a ListRecords page, or "" on the last page (no element or an empty
// one). A plain text search: the corpus and the bench's bare loops know the pages' shape.
std::string resumption_token_of(const std::string& page);

}  // namespace oaiharvest::bench
