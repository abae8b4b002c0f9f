#include "serve/provider.hpp"

#include <algorithm>
#include <optional>
#include <set>

#include "oai/provider_request.hpp"
#include "oai/provider_response.hpp"
#include "oai/provider_token.hpp"
#include "serve/dublin_core.hpp"
#include "serve/formats.hpp"
#include "store/served.hpp"

namespace oaiharvest::serve {
namespace {

using oai::ProviderError;
using oai::Refusal;

constexpr std::string_view k_oai_dc = "oai_dc";

// A refusal, as the response carries it.
struct Refused {
    Refusal refusal;
};

[[noreturn]] void refuse(ProviderError error, std::string message) {
    throw Refused{{error, std::move(message)}};
}

util::UtcTime time_of(const std::string& utc) {
    // Every last_changed is written by oaiharvest as UTC seconds; an unreadable one is a damaged
    // mirror, and the epoch says so without making the response invalid.
    return util::parse_utc(utc).value_or(util::UtcTime{});
}

// The served setSpecs of a copy: its endpoint, and the endpoint's sets beneath it.
std::vector<std::string> served_sets(const store::ServedCopy& copy) {
    std::vector<std::string> sets{copy.endpoint};
    for (const auto& spec : copy.sets) {
        if (oai::is_spec_text(spec)) {
            sets.push_back(copy.endpoint + ":" + spec);
        }
    }
    return sets;
}

oai::ServedHeader header_of(const store::ServedCopy& copy) {
    return {copy.identifier, time_of(copy.last_changed), served_sets(copy), copy.deleted};
}

oai::ServedRecord record_of(const store::ServedCopy& copy, std::string_view prefix) {
    oai::ServedRecord record{header_of(copy), {}};
    if (copy.deleted) {
        return record;
    }
    if (prefix != k_oai_dc || copy.metadata_prefix == k_oai_dc) {
        record.metadata = copy.metadata.value_or("");
    } else {
        record.metadata = oai_dc_from_record_json(copy.json.value_or("{}"));
    }
    return record;
}

class Answer {
public:
    Answer(store::Store& store, const ProviderSettings& settings, util::UtcTime now)
        : m_store(store), m_settings(settings), m_now(now) {}

    std::string respond(const oai::ResponseFrame& frame, const oai::ProviderRequest& request) {
        switch (request.verb) {
            case oai::Verb::identify:
                return identify(frame);
            case oai::Verb::list_metadata_formats:
                return oai::list_metadata_formats_response(frame, formats(request.identifier));
            case oai::Verb::list_sets:
                return list_sets(frame, request);
            case oai::Verb::get_record:
                return get_record(frame, request);
            case oai::Verb::list_identifiers:
            case oai::Verb::list_records:
                return list(frame, request);
        }
        return {};
    }

private:
    std::string identify(const oai::ResponseFrame& frame) {
        oai::RepositoryIdentity identity{m_settings.repository_name, m_settings.admin_emails,
                                         m_now};
        if (auto earliest = store::earliest_change(m_store)) {
            identity.earliest_datestamp = time_of(*earliest);
        }
        return oai::identify_response(frame, identity);
    }

    bool is_served_prefix(const std::string& prefix) {
        auto prefixes = store::served_prefixes(m_store);
        return prefix == k_oai_dc || std::ranges::binary_search(prefixes, prefix);
    }

    std::vector<oai::ServedFormat> formats(const std::optional<std::string>& identifier) {
        std::vector<std::string> prefixes;
        if (identifier) {
            auto copies = store::served_record(m_store, *identifier);
            if (copies.empty()) {
                refuse(ProviderError::id_does_not_exist,
                       "the mirror holds no record " + *identifier);
            }
            for (const auto& copy : copies) {
                prefixes.push_back(copy.metadata_prefix);
            }
        } else {
            prefixes = store::served_prefixes(m_store);
        }
        std::vector<oai::ServedFormat> out{oai_dc_format()};
        for (const auto& prefix : prefixes) {
            if (prefix != k_oai_dc) {
                out.push_back(harvested_format(prefix, store::sample_metadata(m_store, prefix)));
            }
        }
        return out;
    }

    // A metadataPrefix or set the protocol's syntax does not allow is a badArgument (OAI-PMH
    // 2.0, 3.6: "illegal syntax"), not a format or set the mirror lacks.
    static void check_syntax(const oai::ProviderRequest& request) {
        if (request.metadata_prefix && (!oai::is_spec_text(*request.metadata_prefix) ||
                                        request.metadata_prefix->find(':') != std::string::npos)) {
            refuse(ProviderError::bad_argument,
                   "metadataPrefix may hold only A-Z a-z 0-9 and -_.!~*'()");
        }
        if (request.set && !oai::is_spec_text(*request.set)) {
            refuse(ProviderError::bad_argument,
                   "set must be parts of A-Z a-z 0-9 and -_.!~*'() joined by ':'");
        }
    }

    std::string get_record(const oai::ResponseFrame& frame, const oai::ProviderRequest& request) {
        check_syntax(request);
        const auto& prefix = *request.metadata_prefix;
        auto copies = store::served_record(m_store, *request.identifier);
        if (copies.empty()) {
            refuse(ProviderError::id_does_not_exist,
                   "the mirror holds no record " + *request.identifier);
        }
        auto it = std::ranges::find_if(copies, [&](const store::ServedCopy& copy) {
            return prefix == k_oai_dc ? copy.current : copy.metadata_prefix == prefix;
        });
        if (it == copies.end()) {
            refuse(ProviderError::cannot_disseminate_format,
                   "the record " + *request.identifier + " is not held in the format " + prefix);
        }
        return oai::get_record_response(frame, record_of(*it, prefix));
    }

    // Every set: the endpoints, and beneath each the sets its records are in, with the sets
    // above those (`a` for `a:b`), which the protocol's hierarchy implies.
    std::vector<oai::ServedSet> all_sets() {
        std::vector<oai::ServedSet> out;
        for (const auto& endpoint : store::served_endpoints(m_store)) {
            out.push_back({endpoint.name, endpoint.repository_name.value_or(endpoint.name)});
            std::set<std::string> specs;
            for (const auto& spec : store::served_set_specs(m_store, endpoint.name)) {
                if (!oai::is_spec_text(spec)) {
                    continue;
                }
                for (auto colon = spec.find(':'); colon != std::string::npos;
                     colon = spec.find(':', colon + 1)) {
                    specs.insert(spec.substr(0, colon));
                }
                specs.insert(spec);
            }
            for (const auto& spec : specs) {
                out.push_back({endpoint.name + ":" + spec, spec});
            }
        }
        return out;
    }

    std::string list_sets(const oai::ResponseFrame& frame, const oai::ProviderRequest& request) {
        oai::ListState state;
        state.verb = oai::Verb::list_sets;
        if (request.resumption_token) {
            state = decode_list(*request.resumption_token, oai::Verb::list_sets);
        }
        auto sets = all_sets();
        if (sets.empty()) {
            refuse(ProviderError::no_set_hierarchy, "the mirror holds no endpoint yet");
        }
        if (!request.resumption_token) {
            state.complete_list_size = static_cast<std::int64_t>(sets.size());
        }
        // Sets are few and listed in name order; a set added between two pages shifts the
        // rest by one, which a harvester of sets tolerates.
        auto first = std::min<std::size_t>(static_cast<std::size_t>(state.cursor), sets.size());
        auto last = std::min(sets.size(), first + static_cast<std::size_t>(m_settings.page_size));
        if (first == last) {
            refuse(ProviderError::bad_resumption_token, "the list of sets ended before this token");
        }
        std::vector<oai::ServedSet> page(sets.begin() + static_cast<std::ptrdiff_t>(first),
                                         sets.begin() + static_cast<std::ptrdiff_t>(last));
        std::optional<oai::ListPage> list_page;
        if (last < sets.size() || request.resumption_token) {
            oai::ListState next = state;
            next.cursor = static_cast<std::int64_t>(last);
            list_page = page_of(state, last < sets.size() ? std::optional(next) : std::nullopt);
        }
        return oai::list_sets_response(frame, page, list_page);
    }

    oai::ListState decode_list(const std::string& token, oai::Verb verb) {
        auto state = oai::decode_token(token);
        if (!state || state->verb != verb) {
            refuse(ProviderError::bad_resumption_token,
                   "the resumptionToken was not issued by this provider for " +
                       std::string(oai::verb_name(verb)));
        }
        return *state;
    }

    oai::ListPage page_of(const oai::ListState& state, const std::optional<oai::ListState>& next) {
        oai::ListPage page;
        page.cursor = state.cursor;
        page.complete_list_size = state.complete_list_size;
        if (next) {
            page.token = oai::encode_token(*next);
            page.expiration = m_now + m_settings.token_lifetime;
        }
        return page;
    }

    // A new list's state from the request's arguments.
    oai::ListState start_list(const oai::ProviderRequest& request) {
        oai::ListState state;
        state.verb = request.verb;
        state.metadata_prefix = *request.metadata_prefix;
        check_syntax(request);
        if (!is_served_prefix(state.metadata_prefix)) {
            refuse(ProviderError::cannot_disseminate_format,
                   "the mirror holds no records in the format " + state.metadata_prefix);
        }
        state.set = request.set;
        state.from = request.from;
        // Up to the second before this response: a record changed later, even within this
        // second, is left to the harvester's next incremental harvest.
        state.until = m_now - std::chrono::seconds{1};
        if (request.until && *request.until < state.until) {
            state.until = *request.until;
        }
        return state;
    }

    static store::Selection selection_of(const oai::ListState& state) {
        store::Selection selection;
        if (state.metadata_prefix != k_oai_dc) {
            selection.metadata_prefix = state.metadata_prefix;
        }
        if (state.set) {
            auto colon = state.set->find(':');
            selection.endpoint = state.set->substr(0, colon);
            if (colon != std::string::npos) {
                selection.set = state.set->substr(colon + 1);
            }
        }
        if (state.from) {
            selection.from = util::format_utc_seconds(*state.from);
        }
        selection.until = util::format_utc_seconds(state.until);
        return selection;
    }

    std::string list(const oai::ResponseFrame& frame, const oai::ProviderRequest& request) {
        const bool resumed = request.resumption_token.has_value();
        auto state =
            resumed ? decode_list(*request.resumption_token, request.verb) : start_list(request);
        auto selection = selection_of(state);
        if (!resumed) {
            state.complete_list_size = store::served_count(m_store, selection);
        }
        const auto content = request.verb == oai::Verb::list_records ? store::Content::records
                                                                     : store::Content::headers;
        store::ServedPosition position;
        if (state.after_id != 0) {
            position = {util::format_utc_seconds(state.after_changed), state.after_id};
        }
        // One more than a page: whether another page follows, known without counting again.
        auto copies =
            store::served_page(m_store, selection, position, m_settings.page_size + 1, content);
        if (copies.empty()) {
            refuse(ProviderError::no_records_match,
                   resumed ? "the rest of the list changed in the mirror since the list began: "
                             "harvest again from the list's first responseDate"
                           : "no record matches the request");
        }
        const bool more = copies.size() > static_cast<std::size_t>(m_settings.page_size);
        if (more) {
            copies.pop_back();
        }
        std::optional<oai::ListPage> page;
        if (more || resumed) {
            oai::ListState next = state;
            next.after_changed = time_of(copies.back().last_changed);
            next.after_id = copies.back().row_id;
            next.cursor = state.cursor + static_cast<std::int64_t>(copies.size());
            page = page_of(state, more ? std::optional(next) : std::nullopt);
        }
        if (content == store::Content::headers) {
            std::vector<oai::ServedHeader> headers;
            headers.reserve(copies.size());
            for (const auto& copy : copies) {
                headers.push_back(header_of(copy));
            }
            return oai::list_identifiers_response(frame, headers, page);
        }
        std::vector<oai::ServedRecord> records;
        records.reserve(copies.size());
        for (const auto& copy : copies) {
            records.push_back(record_of(copy, state.metadata_prefix));
        }
        return oai::list_records_response(frame, records, page);
    }

    store::Store& m_store;
    const ProviderSettings& m_settings;
    util::UtcTime m_now;
};

}  // namespace

std::string answer_oai(store::Store& store, const ProviderSettings& settings,
                       const std::string& base_url,
                       const std::vector<std::pair<std::string, std::string>>& arguments,
                       util::UtcTime now) {
    oai::ResponseFrame frame{now, base_url, arguments};
    auto request = oai::parse_provider_request(arguments);
    if (!request) {
        return oai::error_response(frame, request.error());
    }
    try {
        return Answer(store, settings, now).respond(frame, *request);
    } catch (const Refused& refused) {
        return oai::error_response(frame, refused.refusal);
    }
}

}  // namespace oaiharvest::serve
