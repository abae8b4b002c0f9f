#include "support/changing_repository_oai.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <set>
#include <string_view>
#include <variant>

#include "sample/detail/text.hpp"

namespace oaiharvest::testing::changing {

bool offers(const ServedRecord& record, const std::string& prefix) {
    return record.titles.contains(prefix) || (record.deleted && record.titles.empty());
}

bool in_set(const std::vector<std::string>& sets, const std::string& wanted) {
    return std::any_of(sets.begin(), sets.end(), [&](const std::string& set) {
        return set == wanted || set.starts_with(wanted + ":");
    });
}

std::map<std::string, const ServedRecord*> newest_entries(const std::vector<ServedRecord>& all) {
    std::map<std::string, const ServedRecord*> newest;
    for (const auto& entry : all) {
        auto& slot = newest[entry.identifier];
        if (!slot || entry.datestamp >= slot->datestamp) {
            slot = &entry;
        }
    }
    return newest;
}

namespace {

using sample::detail::escaped;
using Args = std::map<std::string, std::string>;

bool digits_at(std::string_view text, std::initializer_list<std::size_t> positions) {
    return std::all_of(positions.begin(), positions.end(), [&](std::size_t i) {
        return std::isdigit(static_cast<unsigned char>(text[i])) != 0;
    });
}

bool is_day(std::string_view text) {
    return text.size() == 10 && text[4] == '-' && text[7] == '-' &&
           digits_at(text, {0, 1, 2, 3, 5, 6, 8, 9});
}

bool is_seconds(std::string_view text) {
    return text.size() == 20 && is_day(text.substr(0, 10)) && text[10] == 'T' && text[13] == ':' &&
           text[16] == ':' && text[19] == 'Z' && digits_at(text, {11, 12, 14, 15, 17, 18});
}

std::optional<std::size_t> number(std::string_view text) {
    std::size_t value = 0;
    auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error != std::errc() || end != text.data() + text.size() || text.empty()) {
        return std::nullopt;
    }
    return value;
}

std::string token_of(const ListArgs& list) {
    std::string token = "offset=" + std::to_string(list.offset) +
                        "&page=" + std::to_string(list.page) +
                        "&metadataPrefix=" + sample::detail::uri_escape(list.prefix);
    for (const auto& [name, value] :
         {std::pair{"from", list.from}, {"until", list.until}, {"set", list.set}}) {
        if (value) {
            token += std::string("&") + name + "=" + sample::detail::uri_escape(*value);
        }
    }
    return token;
}

std::optional<ListArgs> parse_token(std::string_view token) {
    ListArgs list;
    std::optional<std::size_t> offset, page;
    bool has_prefix = false;
    while (!token.empty()) {
        const std::size_t amp = token.find('&');
        const std::string_view field = token.substr(0, amp);
        token = amp == std::string_view::npos ? std::string_view() : token.substr(amp + 1);
        const std::size_t eq = field.find('=');
        if (eq == std::string_view::npos) {
            return std::nullopt;
        }
        const std::string_view name = field.substr(0, eq);
        std::string value = sample::detail::uri_unescape(field.substr(eq + 1));
        if (name == "offset") {
            offset = number(value);
        } else if (name == "page") {
            page = number(value);
        } else if (name == "metadataPrefix") {
            list.prefix = std::move(value);
            has_prefix = true;
        } else if (name == "from") {
            list.from = std::move(value);
        } else if (name == "until") {
            list.until = std::move(value);
        } else if (name == "set") {
            list.set = std::move(value);
        } else {
            return std::nullopt;
        }
    }
    if (!offset || !page || !has_prefix) {
        return std::nullopt;
    }
    list.offset = *offset;
    list.page = *page;
    return list;
}

// Checks from/until against the repository's granularity (OAI-PMH 2.0 section 3.3.1).
std::optional<OaiError> check_dates(const ListArgs& list, bool day_granularity) {
    auto granularity = [&](const std::optional<std::string>& date) -> std::optional<char> {
        if (!date || is_day(*date)) {
            return 'd';
        }
        if (is_seconds(*date) && !day_granularity) {
            return 's';
        }
        return std::nullopt;
    };
    auto from = granularity(list.from), until = granularity(list.until);
    if (!from || !until) {
        return OaiError{"badArgument", "from or until is not a date the repository supports"};
    }
    if (list.from && list.until && *from != *until) {
        return OaiError{"badArgument", "from and until have different granularities"};
    }
    return std::nullopt;
}

// A day bound stands for its first second (from) or its last (until) in a seconds repository.
bool in_window(const std::string& datestamp, const ListArgs& list, const ServerBehaviour& b) {
    const bool days = b.day_granularity;
    if (list.from) {
        const std::string from =
            days || !is_day(*list.from) ? *list.from : *list.from + "T00:00:00Z";
        if (b.from_exclusive ? datestamp <= from : datestamp < from) {
            return false;
        }
    }
    if (list.until) {
        const std::string until =
            days || !is_day(*list.until) ? *list.until : *list.until + "T23:59:59Z";
        if (datestamp > until) {
            return false;
        }
    }
    return true;
}

// The arguments each verb allows, required ones marked.
const std::map<std::string, std::map<std::string, bool>>& verb_arguments() {
    static const std::map<std::string, std::map<std::string, bool>> table{
        {"Identify", {}},
        {"ListMetadataFormats", {{"identifier", false}}},
        {"ListSets", {{"resumptionToken", false}}},
        {"GetRecord", {{"identifier", true}, {"metadataPrefix", true}}},
        {"ListIdentifiers",
         {{"metadataPrefix", true}, {"from", false}, {"until", false}, {"set", false}}},
        {"ListRecords",
         {{"metadataPrefix", true}, {"from", false}, {"until", false}, {"set", false}}},
    };
    return table;
}

}  // namespace

Request read_request(const sample::QueryArgs& query, bool day_granularity) {
    Request request;
    bool repeated = false;
    for (const auto& [name, value] : query) {
        if (name == "verb") {
            repeated = repeated || !request.verb.empty();
            request.verb = value;
        } else if (!request.args.emplace(name, value).second) {
            repeated = true;
        }
    }
    const auto& table = verb_arguments();
    const auto allowed = table.find(request.verb);
    if (allowed == table.end()) {
        request.error = OaiError{"badVerb", "no such verb: \"" + request.verb + "\""};
        return request;
    }
    if (repeated) {
        request.error = OaiError{"badArgument", "an argument is repeated"};
        return request;
    }
    const bool list = request.verb == "ListIdentifiers" || request.verb == "ListRecords";
    if (auto token = request.args.find("resumptionToken"); list && token != request.args.end()) {
        if (request.args.size() != 1) {
            request.error = OaiError{"badArgument", "resumptionToken is an exclusive argument"};
        } else if (request.list = parse_token(token->second); !request.list) {
            request.error = OaiError{"badResumptionToken", "not a token of this repository"};
        }
        return request;
    }
    for (const auto& [name, value] : request.args) {
        if (!allowed->second.contains(name)) {
            request.error = OaiError{"badArgument", "illegal argument: " + name};
            return request;
        }
    }
    for (const auto& [name, required] : allowed->second) {
        if (required && !request.args.contains(name)) {
            request.error = OaiError{"badArgument", "missing argument: " + name};
            return request;
        }
    }
    if (request.verb == "ListSets" && request.args.contains("resumptionToken")) {
        request.error = OaiError{"badResumptionToken", "ListSets is never paged here"};
    }
    if (list) {
        auto optional_arg = [&](const char* name) -> std::optional<std::string> {
            auto it = request.args.find(name);
            return it == request.args.end() ? std::nullopt : std::optional(it->second);
        };
        request.list = ListArgs{request.args.at("metadataPrefix"),
                                optional_arg("from"),
                                optional_arg("until"),
                                optional_arg("set"),
                                0,
                                0};
        request.error = check_dates(*request.list, day_granularity);
    }
    return request;
}

namespace {

// Every prefix the repository knows: those of its records, and oai_dc and mods always.
std::set<std::string> known_prefixes(const std::vector<ServedRecord>& entries) {
    std::set<std::string> prefixes{"oai_dc", "mods"};
    for (const auto& entry : entries) {
        for (const auto& [prefix, title] : entry.titles) {
            prefixes.insert(prefix);
        }
    }
    return prefixes;
}

std::string identify(const Snapshot& s) {
    const ServerBehaviour& b = s.behaviour;
    std::string earliest = b.day_granularity ? "1970-01-01" : "1970-01-01T00:00:00Z";
    if (!s.ordered.empty()) {
        earliest =
            std::min_element(s.ordered.begin(), s.ordered.end(), [](const auto& x, const auto& y) {
                return x.datestamp < y.datestamp;
            })->datestamp;
    }
    return "<Identify><repositoryName>Changing test repository</repositoryName><baseURL>" +
           escaped(s.base_url) +
           "</baseURL><protocolVersion>2.0</protocolVersion>"
           "<adminEmail>admin@example.org</adminEmail><earliestDatestamp>" +
           escaped(earliest) + "</earliestDatestamp><deletedRecord>" + escaped(b.deleted_record) +
           "</deletedRecord><granularity>" +
           (b.day_granularity ? "YYYY-MM-DD" : "YYYY-MM-DDThh:mm:ssZ") +
           "</granularity></Identify>\n";
}

std::variant<std::string, OaiError> list_formats(const Request& request, const Snapshot& s) {
    std::set<std::string> prefixes = known_prefixes(s.ordered);
    if (auto identifier = request.args.find("identifier"); identifier != request.args.end()) {
        std::set<std::string> offered;
        bool found = false;
        for (const auto& entry : s.ordered) {
            if (entry.identifier != identifier->second) {
                continue;
            }
            found = true;
            for (const auto& prefix : prefixes) {
                if (offers(entry, prefix)) {
                    offered.insert(prefix);
                }
            }
        }
        if (!found) {
            return OaiError{"idDoesNotExist", "no record " + identifier->second};
        }
        if (offered.empty()) {
            return OaiError{"noMetadataFormats", "the record is in no format"};
        }
        prefixes = std::move(offered);
    }
    std::string out = "<ListMetadataFormats>\n";
    for (const auto& prefix : prefixes) {
        out += format_element(prefix);
    }
    return out + "</ListMetadataFormats>\n";
}

std::variant<std::string, OaiError> list_sets(const Snapshot& s) {
    std::set<std::string> sets;
    for (const auto& entry : s.ordered) {
        for (const auto& set : entry.sets) {
            // A sub-set's parents are sets too.
            for (std::size_t colon = set.find(':'); colon != std::string::npos;
                 colon = set.find(':', colon + 1)) {
                sets.insert(set.substr(0, colon));
            }
            sets.insert(set);
        }
    }
    if (sets.empty()) {
        return OaiError{"noSetHierarchy", "the repository has no sets"};
    }
    std::string out = "<ListSets>\n";
    for (const auto& set : sets) {
        out += "<set><setSpec>" + escaped(set) + "</setSpec><setName>" + escaped(set) +
               "</setName></set>\n";
    }
    return out + "</ListSets>\n";
}

std::variant<std::string, OaiError> get_record(const Request& request, const Snapshot& s) {
    const std::string& prefix = request.args.at("metadataPrefix");
    auto newest = newest_entries(s.ordered);
    auto found = newest.find(request.args.at("identifier"));
    if (found == newest.end()) {
        return OaiError{"idDoesNotExist", "no record " + request.args.at("identifier")};
    }
    const ServedRecord& record = *found->second;
    const bool header_only = !record.deleted && s.behaviour.header_only_for_missing_format;
    if (!known_prefixes(s.ordered).contains(prefix) || !(offers(record, prefix) || header_only)) {
        return OaiError{"cannotDisseminateFormat", "the record is not in " + prefix};
    }
    std::string out = "<GetRecord>";
    append_record(out, record, prefix, s.behaviour);
    return out + "</GetRecord>\n";
}

std::variant<std::string, OaiError> list(const Request& request, const Snapshot& s) {
    const ListArgs& args = *request.list;
    const ServerBehaviour& b = s.behaviour;
    if (!known_prefixes(s.ordered).contains(args.prefix)) {
        return OaiError{"cannotDisseminateFormat", "no format " + args.prefix};
    }
    std::vector<const ServedRecord*> selection;
    for (const auto& entry : s.ordered) {
        const bool listed =
            offers(entry, args.prefix) || (!entry.deleted && b.header_only_for_missing_format);
        // A deleted header without setSpecs is in no set, as on EPrints.
        const bool shows_sets = !entry.deleted || b.deleted_headers_carry_sets;
        if (listed && (!args.set || (shows_sets && in_set(entry.sets, *args.set))) &&
            in_window(entry.datestamp, args, b)) {
            selection.push_back(&entry);
        }
    }
    const bool token_request = args.page > 0;
    if (selection.empty() && !token_request) {
        return OaiError{"noRecordsMatch", "no records match"};
    }
    // Past the end (records went away during the list): an empty list element and no token,
    // as EPrints answers.
    const std::size_t begin = std::min(args.offset, selection.size());
    const std::size_t end =
        std::min(begin + std::max<std::size_t>(b.page_size, 1), selection.size());
    const bool records = request.verb == "ListRecords";
    std::string out = "<" + request.verb + ">\n";
    for (std::size_t i = begin; i < end; ++i) {
        if (records) {
            append_record(out, *selection[i], args.prefix, b);
        } else {
            append_header(out, *selection[i], b);
            out += '\n';
        }
    }
    if (end < selection.size()) {
        ListArgs next = args;
        next.offset = end;
        next.page = args.page + 1;
        out += "<resumptionToken completeListSize=\"" + std::to_string(selection.size()) +
               "\" cursor=\"" + std::to_string(begin) + "\">" + escaped(token_of(next)) +
               "</resumptionToken>\n";
    }
    return out + "</" + request.verb + ">\n";
}

}  // namespace

std::string respond(const Request& request, const Snapshot& s) {
    Args echo = request.args;
    echo.emplace("verb", request.verb);
    if (request.error) {
        const bool bad_request =
            request.error->code == "badVerb" || request.error->code == "badArgument";
        return envelope(s.behaviour, s.base_url, bad_request ? std::nullopt : std::optional(echo),
                        error_element(*request.error));
    }
    std::variant<std::string, OaiError> content;
    if (request.verb == "Identify") {
        content = identify(s);
    } else if (request.verb == "ListMetadataFormats") {
        content = list_formats(request, s);
    } else if (request.verb == "ListSets") {
        content = list_sets(s);
    } else if (request.verb == "GetRecord") {
        content = get_record(request, s);
    } else {
        content = list(request, s);
    }
    if (auto* error = std::get_if<OaiError>(&content)) {
        return envelope(s.behaviour, s.base_url, echo, error_element(*error));
    }
    return envelope(s.behaviour, s.base_url, echo, std::get<std::string>(content));
}

}  // namespace oaiharvest::testing::changing
