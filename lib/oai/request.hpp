#pragma once
// OAI-PMH 2.0 requests: which verb, which arguments, and the URL that asks for them.
// Pure values and functions; thread-safe.

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace oaiharvest::oai {

enum class Verb {
    identify,
    list_metadata_formats,
    list_sets,
    list_identifiers,
    list_records,
    get_record
};

std::string_view verb_name(Verb verb);

// The selective-harvesting arguments of ListRecords and ListIdentifiers.
struct ListArguments {
    std::string metadata_prefix;
    std::optional<std::string> from;  // already written at the endpoint's granularity
    std::optional<std::string> until;
    std::optional<std::string> set;
};

// A request: the verb and its arguments in the order they are sent. Built only by the
// functions below, which keep the protocol's rules (resumptionToken is exclusive).
class Request {
public:
    Verb verb() const { return m_verb; }
    const std::vector<std::pair<std::string, std::string>>& arguments() const {
        return m_arguments;
    }
    // The URL for base_url: each argument value percent-encoded, even one that already looks
    // encoded (EPrints tokens arrive as "metadataPrefix%3Dmets%26offset%3D101").
    std::string url(std::string_view base_url) const;

    friend Request identify();
    friend Request list_metadata_formats(std::optional<std::string> identifier);
    friend Request list_sets();
    friend Request list_records(const ListArguments& args);
    friend Request list_identifiers(const ListArguments& args);
    friend Request get_record(std::string identifier, std::string metadata_prefix);
    friend Request resume(Verb verb, std::string token);

private:
    explicit Request(Verb verb) : m_verb(verb) {}
    Verb m_verb;
    std::vector<std::pair<std::string, std::string>> m_arguments;
};

Request identify();
Request list_metadata_formats(std::optional<std::string> identifier = std::nullopt);
Request list_sets();
Request list_records(const ListArguments& args);
Request list_identifiers(const ListArguments& args);
Request get_record(std::string identifier, std::string metadata_prefix);
// The next page of a list: verb plus the token and nothing else.
Request resume(Verb verb, std::string token);

}  // namespace oaiharvest::oai
