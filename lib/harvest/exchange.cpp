#include "harvest/exchange.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <ctime>
#include <random>

#include "util/safe_text.hpp"
#include "util/url.hpp"

namespace oaiharvest::harvest::detail {
namespace {

constexpr std::size_t k_body_excerpt = 300;

// Forwards records to the caller's handler and keeps what the harvest needs to decide.
class Collector final : public oai::ResponseHandler {
public:
    Collector(oai::ResponseHandler& inner, Exchange& out) : m_inner(inner), m_out(out) {}
    void on_response_date(const std::string& date) override { m_out.response_date = date; }
    void on_error(const oai::ProtocolError& error) override { m_out.errors.push_back(error); }
    void on_identify(const oai::RepositoryInfo& info) override { m_inner.on_identify(info); }
    void on_metadata_format(const oai::MetadataFormat& f) override {
        m_inner.on_metadata_format(f);
    }
    void on_set(const oai::SetInfo& set) override { m_inner.on_set(set); }
    void on_header(const oai::RecordHeader& header) override { m_inner.on_header(header); }
    void on_record(oai::Record& record) override { m_inner.on_record(record); }
    void on_resumption_token(const oai::ResumptionToken& token) override { m_out.token = token; }

private:
    oai::ResponseHandler& m_inner;
    Exchange& m_out;
};

bool is_html(const std::string& content_type) {
    std::string lower(content_type);
    std::transform(lower.begin(), lower.end(), lower.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return lower.find("html") != std::string::npos || lower.find("json") != std::string::npos;
}

// The start of a body as a message may quote it: a server's bytes made printable (valid
// UTF-8 on one line, no terminal escapes), since the message is logged, stored and printed.
std::string excerpt(std::string_view text) {
    return util::printable(text);
}

// Decides, once the status is known, whether the body is read as OAI-PMH or only quoted.
class ResponseSink final : public http::BodySink {
public:
    ResponseSink(oai::ResponseHandler& handler, const oai::ReaderLimits& limits)
        : m_reader(handler, limits) {}

    void on_head(const http::ResponseHead& head) override {
        m_head = head;
        bool server_trouble = head.status >= 500 || head.status == 429;
        m_parse = !server_trouble && !(head.status == 200 && is_html(head.content_type));
    }
    void on_body(std::string_view bytes) override {
        if (m_excerpt.size() < k_body_excerpt) {
            m_excerpt.append(bytes.substr(0, k_body_excerpt - m_excerpt.size()));
        }
        if (m_parse) {
            m_reader.feed(bytes);
        }
    }
    const http::ResponseHead& head() const { return m_head; }
    bool parsed() const { return m_parse; }
    oai::ResponseReader& reader() { return m_reader; }
    const std::string& body_excerpt() const { return m_excerpt; }

private:
    oai::ResponseReader m_reader;
    http::ResponseHead m_head;
    bool m_parse = false;
    std::string m_excerpt;
};

}  // namespace

std::expected<Exchange, Failure> exchange(http::Fetcher& fetcher, const std::string& url,
                                          oai::ResponseHandler& handler,
                                          const oai::ReaderLimits& limits) {
    Exchange out;
    Collector collector(handler, out);
    ResponseSink sink(collector, limits);
    const std::string where = util::redact_credentials(url);
    auto http_failure = [&](bool retriable) {
        const auto& head = sink.head();
        return std::unexpected(Failure{retriable,
                                       "HTTP " + std::to_string(head.status) + " from " + where +
                                           ": " + excerpt(sink.body_excerpt()),
                                       head.retry_after, head.status});
    };
    try {
        auto done = fetcher.get(url, sink);
        if (!done) {
            bool retriable = done.error().kind != http::FailureKind::too_large &&
                             done.error().kind != http::FailureKind::forbidden;
            return std::unexpected(Failure{retriable,
                                           std::string(http::failure_kind_name(done.error().kind)) +
                                               ": " + util::printable(done.error().message),
                                           std::nullopt, 0});
        }
        out.http_status = done->head.status;
        if (!sink.parsed()) {
            if (done->head.status == 200) {
                return std::unexpected(Failure{true,
                                               "HTML instead of OAI-PMH (" +
                                                   excerpt(done->head.content_type) + ") from " +
                                                   where + ": " + excerpt(sink.body_excerpt()),
                                               std::nullopt, 200});
            }
            return http_failure(true);
        }
        out.summary = sink.reader().finish();
    } catch (const oai::XmlError& e) {
        if (sink.head().status != 200 && sink.head().status != 0) {
            return http_failure(false);
        }
        return std::unexpected(Failure{true,
                                       "malformed XML from " + where + " at line " +
                                           std::to_string(e.line()) + ", column " +
                                           std::to_string(e.column()) + ": " + excerpt(e.what()),
                                       std::nullopt, 200});
    } catch (const oai::LimitError& e) {
        return std::unexpected(
            Failure{false, std::string("response from ") + where + " refused: " + e.what(),
                    std::nullopt, sink.head().status});
    } catch (const oai::NotOaiPmhError& e) {
        if (sink.head().status != 200) {
            return http_failure(false);
        }
        return std::unexpected(Failure{true,
                                       std::string("not an OAI-PMH response from ") + where + ": " +
                                           excerpt(e.what()) + ": " + excerpt(sink.body_excerpt()),
                                       std::nullopt, 200});
    }
    if (out.http_status != 200 && out.errors.empty()) {
        return http_failure(false);  // a 4xx that is not an OAI error: asking again won't help
    }
    return out;
}

std::optional<std::chrono::milliseconds> parse_retry_after(const std::string& value,
                                                           util::UtcTime now) {
    if (!value.empty() && std::all_of(value.begin(), value.end(), ::isdigit)) {
        return std::chrono::seconds(std::stoll(value.substr(0, 12)));
    }
    std::tm tm{};
    const char* end = strptime(value.c_str(), "%a, %d %b %Y %H:%M:%S GMT", &tm);
    if (end == nullptr) {
        return std::nullopt;
    }
    auto when = std::chrono::sys_seconds{std::chrono::seconds{timegm(&tm)}};
    return std::max(std::chrono::milliseconds{0},
                    std::chrono::duration_cast<std::chrono::milliseconds>(when - now));
}

Failure Retrier::stopped() {
    return Failure{false, "stopped by a signal", std::nullopt, 0, true};
}

std::optional<std::chrono::milliseconds> Retrier::asked_wait(const Failure& failure) {
    if (!failure.retry_after) {
        return std::nullopt;
    }
    return parse_retry_after(*failure.retry_after, m_clock.now());
}

bool Retrier::asks_too_long(Failure& failure,
                            std::optional<std::chrono::milliseconds> asked) const {
    if (!asked || *asked <= m_policy.max_retry_after) {
        return false;
    }
    failure.message += "; the server asks to retry after " + std::to_string(asked->count() / 1000) +
                       " s, longer than max_retry_after (" +
                       std::to_string(m_policy.max_retry_after.count() / 1000) + " s)";
    failure.retriable = false;
    return true;
}

void Retrier::space_requests() {
    auto now = m_clock.monotonic();
    if (m_last_request && m_policy.request_interval.count() > 0 && !stopping()) {
        auto due = *m_last_request + m_policy.request_interval;
        if (due > now) {
            m_clock.sleep_for(due - now);
        }
    }
    m_last_request = m_clock.monotonic();
}

void Retrier::wait_before_retry(int tries, const Failure& failure,
                                std::optional<std::chrono::milliseconds> asked) {
    std::chrono::milliseconds wait;
    if (asked) {
        wait = *asked;
    } else {
        // Exponential backoff with "equal jitter": half fixed, half random, so that many
        // harvesters failing together do not come back together.
        auto base = m_policy.first_delay * (1LL << std::min(tries, 20));
        base = std::min<std::chrono::milliseconds>(base, m_policy.max_delay);
        static thread_local std::mt19937_64 random{std::random_device{}()};
        std::uniform_int_distribution<std::int64_t> jitter(0, base.count() / 2);
        wait = std::chrono::milliseconds(base.count() / 2 + jitter(random));
    }
    spdlog::warn("{}; retry {} of {} in {:.1f} s", failure.message, tries + 1, m_policy.retries,
                 wait.count() / 1000.0);
    m_clock.sleep_for(wait);
}

bool has_error(const Exchange& ex, oai::ErrorCode code) {
    return std::ranges::any_of(ex.errors,
                               [code](const oai::ProtocolError& e) { return e.code == code; });
}

std::string describe_errors(const Exchange& ex, const std::string& url) {
    std::string text;
    for (const auto& e : ex.errors) {
        text += (text.empty() ? "" : "; ") + e.code_text + ": " + e.message;
    }
    return text + " (" + util::redact_credentials(url) + ")";
}

}  // namespace oaiharvest::harvest::detail
