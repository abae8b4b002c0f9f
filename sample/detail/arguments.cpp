#include "sample/detail/arguments.hpp"

#include <algorithm>
#include <array>

namespace oaiharvest::sample::detail {
namespace {

enum class Need { required, optional, exclusive };
enum class Syntax { metadata_prefix, identifier, date, any };

struct Argument {
    std::string_view name;
    Need need;
    Syntax syntax;
};

struct VerbGrammar {
    std::string_view name;
    Verb verb;
    std::vector<Argument> arguments;
};

const std::array<VerbGrammar, 6>& grammar() {
    static const std::array<VerbGrammar, 6> k_grammar = {{
        {"GetRecord",
         Verb::get_record,
         {{"identifier", Need::required, Syntax::identifier},
          {"metadataPrefix", Need::required, Syntax::metadata_prefix}}},
        {"Identify", Verb::identify, {}},
        {"ListIdentifiers",
         Verb::list_identifiers,
         {{"from", Need::optional, Syntax::date},
          {"metadataPrefix", Need::required, Syntax::metadata_prefix},
          {"resumptionToken", Need::exclusive, Syntax::any},
          {"set", Need::optional, Syntax::any},
          {"until", Need::optional, Syntax::date}}},
        {"ListMetadataFormats",
         Verb::list_metadata_formats,
         {{"identifier", Need::optional, Syntax::identifier}}},
        {"ListRecords",
         Verb::list_records,
         {{"from", Need::optional, Syntax::date},
          {"metadataPrefix", Need::required, Syntax::metadata_prefix},
          {"resumptionToken", Need::exclusive, Syntax::any},
          {"set", Need::optional, Syntax::any},
          {"until", Need::optional, Syntax::date}}},
        {"ListSets", Verb::list_sets, {{"resumptionToken", Need::exclusive, Syntax::any}}},
    }};
    return k_grammar;
}

bool is_digit(char c) {
    return c >= '0' && c <= '9';
}

bool matches(Syntax syntax, std::string_view value) {
    switch (syntax) {
        case Syntax::metadata_prefix:
            return std::all_of(value.begin(), value.end(), [](char c) {
                return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || is_digit(c) ||
                       std::string_view("-_.!~*'()").find(c) != std::string_view::npos;
            });
        case Syntax::identifier: {
            auto colon = value.find(':');
            return colon != std::string_view::npos && colon > 0 &&
                   std::all_of(value.begin(), value.begin() + colon,
                               [](char c) { return c >= 'a' && c <= 'z'; }) &&
                   value.find('\n') == std::string_view::npos;
        }
        case Syntax::date:
            return is_oai_date(value);
        case Syntax::any:
            return true;
    }
    return false;
}

// How Perl prints the regular expression EPrints checks with, which its message quotes.
std::string_view perl_pattern(Syntax syntax) {
    switch (syntax) {
        case Syntax::metadata_prefix:
            return R"((?^:^[A-Za-z0-9\-_\.!~\*'\(\)]+$))";
        case Syntax::identifier:
            return R"((?^:^[a-z]+:.*$))";
        case Syntax::date:
            return R"((?^:^\d\d\d\d-\d\d-\d\d(T\d\d:\d\d:\d\dZ)?$))";
        case Syntax::any:
            return "(?^:.)";
    }
    return {};
}

}  // namespace

bool is_oai_date(std::string_view text) {
    auto digits_at = [&](std::initializer_list<std::size_t> positions) {
        return std::all_of(positions.begin(), positions.end(),
                           [&](std::size_t i) { return is_digit(text[i]); });
    };
    if (text.size() != 10 && text.size() != 20) {
        return false;
    }
    if (!digits_at({0, 1, 2, 3, 5, 6, 8, 9}) || text[4] != '-' || text[7] != '-') {
        return false;
    }
    return text.size() == 10 || (text[10] == 'T' && digits_at({11, 12, 14, 15, 17, 18}) &&
                                 text[13] == ':' && text[16] == ':' && text[19] == 'Z');
}

CheckedRequest check_arguments(const std::multimap<std::string, std::string>& args) {
    CheckedRequest request;
    std::map<std::string, std::string> given;
    for (auto it = args.begin(); it != args.end(); it = args.upper_bound(it->first)) {
        if (args.count(it->first) > 1) {
            // Sic: EPrints reports a repeated argument as badVerb.
            request.errors.push_back(
                {"badVerb", "Includes a repeated argument for '" + it->first + "'"});
        } else if (!it->second.empty()) {
            given.emplace(it->first, it->second);
        }
    }

    auto verb_arg = given.extract("verb");
    if (verb_arg.empty()) {
        request.errors.insert(request.errors.begin(), {"badArgument", "Requires verb argument"});
        return request;
    }
    const std::string& verb_name = verb_arg.mapped();
    auto grammar_it = std::find_if(grammar().begin(), grammar().end(),
                                   [&](const VerbGrammar& g) { return g.name == verb_name; });
    if (grammar_it == grammar().end()) {
        request.errors.insert(
            request.errors.begin(),
            {{"badVerb", "The value of the verb argument is not a legal OAI-PMH verb"},
             {"badArgument", "Bad verb argument"}});
        return request;
    }
    const VerbGrammar& verb_grammar = *grammar_it;
    request.verb = verb_grammar.verb;
    request.echo.emplace_back("verb", verb_name);
    for (const auto& [name, value] : given) {
        request.echo.emplace_back(name, value);
    }

    auto rule_for = [&](std::string_view name) -> const Argument* {
        for (const auto& argument : verb_grammar.arguments) {
            if (argument.name == name) {
                return &argument;
            }
        }
        return nullptr;
    };
    bool exclusive = false;
    for (const auto& [name, value] : given) {
        const Argument* rule = rule_for(name);
        if (rule == nullptr) {
            request.errors.push_back({"badArgument", "Unrecognised argument '" + name + "'"});
        } else if (rule->need == Need::exclusive) {
            exclusive = true;
            // EPrints 3.4 means to say this but its check never fires; OAI-PMH requires it.
            if (given.size() > 1) {
                request.errors.push_back(
                    {"badArgument", "'" + name +
                                        "' is exclusive and can not be used with any other "
                                        "arguments (except for 'verb')"});
            }
        }
    }
    for (const auto& argument : verb_grammar.arguments) {
        if (!exclusive && argument.need == Need::required &&
            !given.contains(std::string(argument.name))) {
            request.errors.push_back(
                {"badArgument", "Missing required argument '" + std::string(argument.name) + "'"});
        }
    }
    for (const auto& [name, value] : given) {
        const Argument* rule = rule_for(name);
        if (rule == nullptr) {
            continue;
        }
        if (matches(rule->syntax, value)) {
            request.params.emplace(name, value);
        } else {
            request.errors.push_back(
                {"badArgument", "'" + name + "' doesn't match required syntax '" +
                                    std::string(perl_pattern(rule->syntax)) + "'"});
        }
    }
    return request;
}

}  // namespace oaiharvest::sample::detail
