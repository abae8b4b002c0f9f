#include "sample/provider.hpp"

#include "sample/detail/arguments.hpp"
#include "sample/detail/oai_xml.hpp"
#include "sample/detail/text.hpp"
#include "sample/detail/verbs.hpp"

namespace oaiharvest::sample {
namespace {

// EPrints checks that the format and the item exist while it checks the arguments, so these
// errors come together with any argument errors.
void check_existence(const detail::Catalog& catalog, detail::CheckedRequest& request) {
    if (auto prefix = request.params.find("metadataPrefix"); prefix != request.params.end()) {
        if (catalog.format(prefix->second) == nullptr) {
            request.errors.push_back(
                {"cannotDisseminateFormat",
                 "Record not available as metadata type: '" + prefix->second + "'"});
        }
    }
    if (auto id = request.params.find("identifier"); id != request.params.end()) {
        if (catalog.find(id->second) == nullptr) {
            request.errors.push_back(
                {"idDoesNotExist", "'" + id->second + "' is not a valid item in this repository"});
        }
    }
}

detail::OaiErrors dispatch(const detail::VerbContext& context,
                           const detail::CheckedRequest& request, std::string& out) {
    switch (*request.verb) {
        case detail::Verb::identify:
            return detail::identify(context, request, out);
        case detail::Verb::list_metadata_formats:
            return detail::list_metadata_formats(context, request, out);
        case detail::Verb::list_sets:
            return detail::list_sets(context, request, out);
        case detail::Verb::get_record:
            return detail::get_record(context, request, out);
        case detail::Verb::list_identifiers:
            return detail::list(context, request, false, out);
        case detail::Verb::list_records:
            return detail::list(context, request, true, out);
    }
    return {};
}

}  // namespace

Provider::Provider(const Repository& repository, ProviderOptions options)
    : m_repository(repository), m_options(std::move(options)), m_catalog(m_repository) {}

ProviderResponse Provider::handle(const QueryArgs& args) const {
    return handle(args, detail::utc_now());
}

ProviderResponse Provider::handle(const QueryArgs& args, std::string_view response_date) const {
    ProviderResponse response;
    detail::CheckedRequest request = detail::check_arguments(args);
    if (request.verb) {
        check_existence(m_catalog, request);
    }
    if (!request.errors.empty()) {
        response.body = detail::error_document(m_options.base_url, response_date, request.errors);
        return response;
    }
    // Written in place: a ListRecords page may be tens of megabytes.
    detail::append_prologue(response.body, response_date, m_options.base_url, request.echo);
    detail::VerbContext context{m_catalog, m_options, response_date};
    if (auto errors = dispatch(context, request, response.body); !errors.empty()) {
        response.body = detail::error_document(m_options.base_url, response_date, errors);
        return response;
    }
    detail::append_epilogue(response.body);
    return response;
}

std::string render_oai_error(std::string_view base_url, std::string_view response_date,
                             std::string_view code, std::string_view message) {
    return detail::error_document(
        base_url, response_date.empty() ? detail::utc_now() : std::string(response_date),
        {{std::string(code), std::string(message)}});
}

}  // namespace oaiharvest::sample
