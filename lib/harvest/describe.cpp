#include <unordered_set>

#include "harvest/exchange.hpp"
#include "harvest/harvest.hpp"
#include "oai/request.hpp"

namespace oaiharvest::harvest {
namespace {

class DescriptionHandler final : public oai::ResponseHandler {
public:
    explicit DescriptionHandler(EndpointDescription& out) : m_out(out) {}
    void on_identify(const oai::RepositoryInfo& info) override {
        m_out.info = info;
        identified = true;
    }
    void on_metadata_format(const oai::MetadataFormat& format) override {
        m_out.formats.push_back(format);
    }
    void on_set(const oai::SetInfo&) override { ++m_out.set_count; }
    bool identified = false;

private:
    EndpointDescription& m_out;
};

std::string errors_text(const detail::Exchange& ex) {
    std::string text;
    for (const auto& e : ex.errors) {
        text += (text.empty() ? "" : "; ") + e.code_text + ": " + e.message;
    }
    return text;
}

}  // namespace

std::expected<EndpointDescription, std::string> describe_endpoint(http::Fetcher& fetcher,
                                                                  util::Clock& clock,
                                                                  const RetryPolicy& policy,
                                                                  const std::string& base_url) {
    EndpointDescription out;
    DescriptionHandler handler(out);
    detail::Retrier retrier(clock, policy);
    std::int64_t retries = 0;
    auto ask = [&](const oai::Request& request,
                   const char* verb) -> std::expected<detail::Exchange, std::string> {
        std::string url = request.url(base_url);
        auto ex = retrier.run([&] { return detail::exchange(fetcher, url, handler); }, retries);
        if (!ex) {
            return std::unexpected(std::string(verb) + " failed: " + ex.error().message);
        }
        return *ex;
    };

    auto identify = ask(oai::identify(), "Identify");
    if (!identify) {
        return std::unexpected(identify.error());
    }
    if (!handler.identified) {
        return std::unexpected("Identify failed: " + (identify->errors.empty()
                                                          ? std::string("no Identify element")
                                                          : errors_text(*identify)));
    }
    auto formats = ask(oai::list_metadata_formats(), "ListMetadataFormats");
    if (!formats) {
        return std::unexpected(formats.error());
    }
    auto sets = ask(oai::list_sets(), "ListSets");
    std::unordered_set<std::string> tokens;
    while (sets) {
        for (const auto& e : sets->errors) {
            if (e.code == oai::ErrorCode::no_set_hierarchy) {
                out.sets_supported = false;
            }
        }
        if (!sets->token || sets->token->value.empty() ||
            !tokens.insert(sets->token->value).second) {
            break;
        }
        sets = ask(oai::resume(oai::Verb::list_sets, sets->token->value), "ListSets");
    }
    if (!sets) {
        return std::unexpected(sets.error());
    }
    return out;
}

}  // namespace oaiharvest::harvest
