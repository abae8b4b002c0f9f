#include "harvest/identifier_list.hpp"

#include <algorithm>
#include <unordered_set>

#include "oai/request.hpp"
#include "util/safe_text.hpp"
#include "util/url.hpp"

namespace oaiharvest::harvest::detail {
namespace {

// One page's headers, kept apart until the page is read whole: a failed attempt adds nothing.
class PageHeaders final : public oai::ResponseHandler {
public:
    void on_header(const oai::RecordHeader& header) override { headers.push_back(header); }
    std::vector<oai::RecordHeader> headers;
};

}  // namespace

std::vector<std::string> sorted_sets(std::vector<std::string> sets) {
    std::sort(sets.begin(), sets.end());
    sets.erase(std::unique(sets.begin(), sets.end()), sets.end());
    return sets;
}

bool earlier(const std::string& a, const std::string& b) {
    auto x = util::parse_utc(a);
    auto y = util::parse_utc(b);
    return x && y && *x < *y;
}

std::expected<IdentifierList, std::string> list_identifiers(
    ScopeContext& ctx, Retrier& retrier, store::RunEvents& events, const std::string& base_url,
    const std::string& prefix, const std::string& set_spec,
    const std::optional<std::string>& from) {
    IdentifierList list;
    std::optional<std::string> token;
    std::unordered_set<std::string> tokens_seen;
    while (true) {
        if (ctx.stop != nullptr && ctx.stop->load()) {
            return std::unexpected(std::string("stopped by a signal"));
        }
        const oai::Request request =
            token ? oai::resume(oai::Verb::list_identifiers, *token)
                  : oai::list_identifiers(
                        {prefix, from, std::nullopt,
                         set_spec.empty() ? std::nullopt : std::optional(set_spec)});
        const std::string url = request.url(base_url);
        PageHeaders page;
        auto result = retrier.run(
            [&]() -> std::expected<Exchange, Failure> {
                page.headers.clear();
                auto ex = exchange(ctx.fetcher, url, page, ctx.policy.reader_limits);
                if (ex && ex->errors.empty() && !ex->summary.list_element_seen) {
                    return std::unexpected(Failure{true,
                                                   "response from " +
                                                       util::redact_credentials(url) +
                                                       " has neither ListIdentifiers nor an error",
                                                   std::nullopt});
                }
                return ex;
            },
            events.retries);
        if (!result) {
            return std::unexpected(result.error().message);
        }
        events.repaired_characters +=
            static_cast<std::int64_t>(result->summary.repaired_characters);
        if (!token) {
            list.started = utc_response_date(result->response_date);
        }
        ++list.pages;
        if (!result->errors.empty()) {
            const bool empty =
                !token && std::ranges::any_of(result->errors, [](const oai::ProtocolError& e) {
                    return e.code == oai::ErrorCode::no_records_match;
                });
            if (empty) {
                return list;
            }
            return std::unexpected(describe_errors(*result, url));
        }
        for (auto& header : page.headers) {
            Listed listed{header.datestamp, header.deleted, sorted_sets(header.set_specs)};
            if (util::parse_utc(header.datestamp) &&
                (!list.newest || earlier(*list.newest, header.datestamp))) {
                list.newest = header.datestamp;
            }
            auto [at, added] = list.entries.try_emplace(header.identifier, listed);
            // Listed twice: the newest entry counts (the later one among equals).
            if (!added && !earlier(header.datestamp, at->second.datestamp)) {
                at->second = std::move(listed);
            }
        }
        const auto& next = result->token;
        if (!next || next->value.empty()) {
            return list;
        }
        if (!tokens_seen.insert(next->value).second) {
            return std::unexpected("resumption token loop: the server sent \"" + next->value +
                                   "\" twice in one list (" + util::redact_credentials(url) + ")");
        }
        if (list.pages >= ctx.policy.max_list_pages) {
            return std::unexpected("the list passes max_pages (" +
                                   std::to_string(ctx.policy.max_list_pages) + ") at token \"" +
                                   next->value + "\" (" + util::redact_credentials(url) + ")");
        }
        token = next->value;
    }
}

}  // namespace oaiharvest::harvest::detail
