#pragma once
// The six OAI-PMH verbs over a Catalog, each writing its element ("  <Identify>...") into the
// response or returning the OAI errors that replace it. Arguments have passed check_arguments
// and the provider's existence checks. Pure functions; thread-safe.

#include <string>
#include <string_view>
#include <vector>

#include "sample/detail/arguments.hpp"
#include "sample/detail/catalog.hpp"

namespace oaiharvest::sample {
struct ProviderOptions;
}

namespace oaiharvest::sample::detail {

struct VerbContext {
    const Catalog& catalog;
    const ProviderOptions& options;
    std::string_view response_date;
};

using OaiErrors = std::vector<OaiError>;

OaiErrors identify(const VerbContext& context, const CheckedRequest& request, std::string& out);
OaiErrors list_metadata_formats(const VerbContext& context, const CheckedRequest& request,
                                std::string& out);
OaiErrors list_sets(const VerbContext& context, const CheckedRequest& request, std::string& out);
OaiErrors get_record(const VerbContext& context, const CheckedRequest& request, std::string& out);
// ListRecords (with_metadata) or ListIdentifiers: one page, with EPrints' resumption tokens.
OaiErrors list(const VerbContext& context, const CheckedRequest& request, bool with_metadata,
               std::string& out);

// EPrints' token text for these fields (sorted by name, escaped twice, as URI::Escape does).
std::string serialise_token(const std::map<std::string, std::string>& fields);
// The fields of a token; pairs without a value are dropped, as EPrints drops them.
std::map<std::string, std::string> parse_token(std::string_view token);

}  // namespace oaiharvest::sample::detail
