#pragma once
// An OAI-PMH 2.0 data provider that answers as EPrints 3.4.7's /cgi/oai2 does (see
// tests/fixtures/eprints-3.4/README.md): single-quoted XML declaration and xml-stylesheet PI,
// errors with HTTP 200, pages in eprint-id order, tokens such as
// "metadataPrefix%3Dmets%26offset%3D101" whose offset is the next eprint id, a cursor that is
// that offset, no resumptionToken element on the last page, deleted records as bare headers.
// Knows no HTTP: it maps query arguments to a response body.
//
// A Provider reads the Repository it was given, which must outlive it and not change while it
// is used; handle() is const and may be called from several threads at once.

#include <cstddef>
#include <map>
#include <string>
#include <string_view>

#include "sample/detail/catalog.hpp"
#include "sample/repository.hpp"

namespace oaiharvest::sample {

// Decoded query (or form) arguments; a name may repeat.
using QueryArgs = std::multimap<std::string, std::string>;

struct ProviderResponse {
    int status = 200;
    std::string content_type = "text/xml; charset=UTF-8";
    std::string body;
};

enum class LastPage {
    // The last page has no resumptionToken element.
    without_token,
    // EPrints' quirk: every full page carries a token, so a list whose size is a multiple of
    // page_size ends with a request that returns an empty list element.
    eprints_empty_page,
};

struct ProviderOptions {
    std::size_t page_size = 100;
    // Echoed in <request> and Identify's baseURL. The endpoint and TestOaiServer fill in
    // their own when it is empty.
    std::string base_url;
    LastPage last_page = LastPage::without_token;
};

class Provider {
public:
    Provider(const Repository& repository, ProviderOptions options);

    // The response to one request; responseDate is now. Never throws for any arguments.
    ProviderResponse handle(const QueryArgs& args) const;
    // The same with a given responseDate ("YYYY-MM-DDThh:mm:ssZ"); expirationDate is a day on.
    ProviderResponse handle(const QueryArgs& args, std::string_view response_date) const;

    const ProviderOptions& options() const { return m_options; }

private:
    const Repository& m_repository;
    ProviderOptions m_options;
    detail::Catalog m_catalog;
};

// An OAI-PMH error response in EPrints' envelope, for tests that script one (e.g. a 422 or a
// badResumptionToken the provider would not give). An empty response_date means now.
std::string render_oai_error(std::string_view base_url, std::string_view response_date,
                             std::string_view code, std::string_view message);

}  // namespace oaiharvest::sample
