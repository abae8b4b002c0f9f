#include "oai/request.hpp"

#include <stdexcept>

#include "util/url.hpp"

namespace oaiharvest::oai {

std::string_view verb_name(Verb verb) {
    switch (verb) {
        case Verb::identify:
            return "Identify";
        case Verb::list_metadata_formats:
            return "ListMetadataFormats";
        case Verb::list_sets:
            return "ListSets";
        case Verb::list_identifiers:
            return "ListIdentifiers";
        case Verb::list_records:
            return "ListRecords";
        case Verb::get_record:
            return "GetRecord";
    }
    return "";
}

std::string Request::url(std::string_view base_url) const {
    std::string out(base_url);
    // A base URL may carry its own query ("...?site=x"): join with '&', not a second '?'.
    if (auto question = base_url.find('?'); question == std::string_view::npos) {
        out += '?';
    } else if (!base_url.ends_with('?') && !base_url.ends_with('&')) {
        out += '&';
    }
    out += "verb=";
    out += verb_name(m_verb);
    for (const auto& [name, value] : m_arguments) {
        out += '&';
        out += name;
        out += '=';
        out += util::percent_encode(value);
    }
    return out;
}

Request identify() {
    return Request(Verb::identify);
}

Request list_metadata_formats(std::optional<std::string> identifier) {
    Request request(Verb::list_metadata_formats);
    if (identifier) {
        request.m_arguments.emplace_back("identifier", std::move(*identifier));
    }
    return request;
}

Request list_sets() {
    return Request(Verb::list_sets);
}

namespace {
// The selective-harvesting arguments in the order they are always sent.
void add_list_arguments(std::vector<std::pair<std::string, std::string>>& out,
                        const ListArguments& args) {
    if (args.metadata_prefix.empty()) {
        throw std::invalid_argument("ListRecords and ListIdentifiers need a metadataPrefix");
    }
    out.emplace_back("metadataPrefix", args.metadata_prefix);
    if (args.from) {
        out.emplace_back("from", *args.from);
    }
    if (args.until) {
        out.emplace_back("until", *args.until);
    }
    if (args.set) {
        out.emplace_back("set", *args.set);
    }
}
}  // namespace

Request list_records(const ListArguments& args) {
    Request request(Verb::list_records);
    add_list_arguments(request.m_arguments, args);
    return request;
}

Request list_identifiers(const ListArguments& args) {
    Request request(Verb::list_identifiers);
    add_list_arguments(request.m_arguments, args);
    return request;
}

Request get_record(std::string identifier, std::string metadata_prefix) {
    Request request(Verb::get_record);
    request.m_arguments.emplace_back("identifier", std::move(identifier));
    request.m_arguments.emplace_back("metadataPrefix", std::move(metadata_prefix));
    return request;
}

Request resume(Verb verb, std::string token) {
    if (verb != Verb::list_records && verb != Verb::list_identifiers && verb != Verb::list_sets) {
        throw std::invalid_argument("only a list verb can be resumed");
    }
    // An empty token means the list is complete; asking for "more" would be a bug upstream.
    if (token.empty()) {
        throw std::invalid_argument("cannot resume with an empty resumptionToken");
    }
    Request request(verb);
    request.m_arguments.emplace_back("resumptionToken", std::move(token));
    return request;
}

}  // namespace oaiharvest::oai
