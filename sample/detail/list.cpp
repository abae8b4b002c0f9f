// ListRecords and ListIdentifiers, paged the way EPrints 3.4.7 pages them: records in eprint-id
// order, a token holding the original selection plus the next eprint id as "offset", a cursor
// that is the offset asked for, and completeListSize counting the whole selection.

#include <charconv>

#include "sample/detail/oai_xml.hpp"
#include "sample/detail/text.hpp"
#include "sample/detail/verbs.hpp"
#include "sample/provider.hpp"

namespace oaiharvest::sample::detail {
namespace {

constexpr std::string_view k_bad_token =
    "The value of the resumptionToken argument is invalid or expired.";

struct Selection {
    std::map<std::string, std::string> fields;  // metadataPrefix, from, until, set: the token's
    std::optional<std::size_t> offset;          // the first eprint id of this page
};

// EPrints reads the offset with sprintf("%d"): leading digits, else 0.
std::size_t leading_number(std::string_view text) {
    std::size_t value = 0;
    std::from_chars(text.data(), text.data() + text.size(), value);
    return value;
}

std::string field(const Selection& selection, const std::string& name) {
    auto it = selection.fields.find(name);
    return it == selection.fields.end() ? std::string{} : it->second;
}

OaiErrors read_token(const VerbContext& context, std::string_view token, Selection& selection) {
    selection.fields = parse_token(token);
    OaiErrors errors;
    if (auto offset = selection.fields.extract("offset"); !offset.empty()) {
        selection.offset = leading_number(offset.mapped());
    }
    auto prefix = selection.fields.find("metadataPrefix");
    if (prefix == selection.fields.end()) {
        std::string contents;
        for (const auto& [name, value] : parse_token(token)) {
            contents += (contents.empty() ? "" : ",") + name + "," + value;
        }
        errors.push_back(
            {"badArgument",
             "Expected metadata prefix as part of resumption token, token contains: " + contents});
    } else if (context.catalog.format(prefix->second) == nullptr) {
        errors.push_back({"cannotDisseminateFormat",
                          "Record not available as metadata type: '" + prefix->second + "'"});
    }
    for (const char* name : {"from", "until"}) {
        auto date = selection.fields.find(name);
        if (date != selection.fields.end() && !is_oai_date(date->second)) {
            errors.push_back({"badArgument", std::string("Invalid ") + name + " in token"});
        }
    }
    if (!errors.empty()) {
        errors.insert(errors.begin(), {"badResumptionToken", std::string(k_bad_token)});
    }
    return errors;
}

std::string lower_bound_of(const std::string& from) {
    return from.size() == 10 ? from + "T00:00:00Z" : from;
}

std::string upper_bound_of(const std::string& until) {
    return until.size() == 10 ? until + "T23:59:59Z" : until;
}

std::string expiration_after(std::string_view response_date) {
    auto t = parse_utc_seconds(response_date);
    return t ? format_utc_seconds(*t + 86400) : std::string(response_date);
}

}  // namespace

std::string serialise_token(const std::map<std::string, std::string>& fields) {
    std::string joined;
    for (const auto& [name, value] : fields) {
        joined += (joined.empty() ? "" : "&") + uri_escape(name) + "=" + uri_escape(value);
    }
    return uri_escape(joined);
}

std::map<std::string, std::string> parse_token(std::string_view token) {
    std::map<std::string, std::string> fields;
    const std::string text = uri_unescape(token);
    std::size_t start = 0;
    while (start <= text.size()) {
        std::size_t end = std::min(text.find('&', start), text.size());
        std::string_view pair = std::string_view(text).substr(start, end - start);
        auto equals = pair.find('=');
        if (equals != std::string_view::npos) {
            std::string_view value = pair.substr(equals + 1);
            value = value.substr(0, value.find('='));
            if (!value.empty()) {
                fields[uri_unescape(pair.substr(0, equals))] = uri_unescape(value);
            }
        }
        start = end + 1;
    }
    return fields;
}

OaiErrors list(const VerbContext& context, const CheckedRequest& request, bool with_metadata,
               std::string& out) {
    Selection selection;
    if (auto token = request.params.find("resumptionToken"); token != request.params.end()) {
        if (OaiErrors errors = read_token(context, token->second, selection); !errors.empty()) {
            return errors;
        }
    } else {
        auto from = request.params.find("from");
        auto until = request.params.find("until");
        if (from != request.params.end() && until != request.params.end() &&
            from->second.size() != until->second.size()) {
            return {{"badArgument", "from and until dates have different granularity"}};
        }
        for (const char* name : {"metadataPrefix", "from", "until", "set"}) {
            if (auto it = request.params.find(name); it != request.params.end()) {
                selection.fields.emplace(name, it->second);
            }
        }
    }
    const std::string prefix = field(selection, "metadataPrefix");
    const std::string set = field(selection, "set");
    if (!set.empty() && !context.catalog.knows_set_key(set)) {
        return {{"badArgument", "Invalid set parameter; unknown key ( " + set_key(set) + " )"}};
    }
    const std::string from = lower_bound_of(field(selection, "from"));
    const std::string until = upper_bound_of(field(selection, "until"));
    const std::size_t offset = selection.offset.value_or(0);
    const std::size_t page_size = std::max<std::size_t>(context.options.page_size, 1);

    std::vector<const SampleRecord*> page;
    std::size_t complete_list_size = 0;
    bool more = false;
    for (const SampleRecord* record : context.catalog.in_order()) {
        if ((!from.empty() && record->datestamp < from) ||
            (!until.empty() && record->datestamp > until) ||
            (!set.empty() && !in_set(*record, set)) ||
            (!record->deleted && metadata_of(*record, prefix).empty())) {
            continue;
        }
        ++complete_list_size;
        if (eprint_number(record->identifier).value_or(0) < offset) {
            continue;
        }
        if (page.size() < page_size) {
            page.push_back(record);
        } else {
            more = true;
        }
    }

    const std::string_view element = with_metadata ? "ListRecords" : "ListIdentifiers";
    if (page.empty()) {
        if (!selection.offset) {
            return {
                {"noRecordsMatch", "No items match. None. None at all. Not even deleted ones."}};
        }
        out += "  <" + std::string(element) + "/>\n";  // what EPrints sends after a full last page
        return {};
    }
    out += "  <" + std::string(element) + ">\n";
    for (const SampleRecord* record : page) {
        if (with_metadata) {
            append_record(out, *record, metadata_of(*record, prefix));
        } else {
            append_header(out, *record);
            out += '\n';
        }
    }
    const bool full_page_token =
        context.options.last_page == LastPage::eprints_empty_page && page.size() >= page_size;
    if (more || full_page_token) {
        selection.fields["offset"] =
            std::to_string(eprint_number(page.back()->identifier).value_or(0) + 1);
        out += "    <resumptionToken expirationDate=\"" + expiration_after(context.response_date) +
               "\" completeListSize=\"" + std::to_string(complete_list_size) + "\" cursor=\"" +
               std::to_string(offset) + "\">" + serialise_token(selection.fields) +
               "</resumptionToken>\n";
    }
    out += "  </" + std::string(element) + ">\n";
    return {};
}

}  // namespace oaiharvest::sample::detail
