#include <curl/curl.h>

#include <algorithm>
#include <cctype>
#include <exception>

#include "http/http.hpp"
#include "util/url.hpp"
#include "util/version.hpp"

namespace oaiharvest::http {
namespace {

struct CurlDeleter {
    void operator()(CURL* curl) const { curl_easy_cleanup(curl); }
};
using CurlHandle = std::unique_ptr<CURL, CurlDeleter>;

struct SlistDeleter {
    void operator()(curl_slist* list) const { curl_slist_free_all(list); }
};
using HeaderList = std::unique_ptr<curl_slist, SlistDeleter>;

bool header_is(std::string_view line, std::string_view name) {
    if (line.size() <= name.size() || line[name.size()] != ':') {
        return false;
    }
    return std::equal(name.begin(), name.end(), line.begin(), [](char a, char b) {
        return std::tolower(static_cast<unsigned char>(a)) ==
               std::tolower(static_cast<unsigned char>(b));
    });
}

// "48MiB" when whole mebibytes, else bytes: the way the config file writes sizes.
std::string size_text(std::uint64_t bytes) {
    constexpr std::uint64_t k_mib = std::uint64_t{1} << 20;
    return bytes % k_mib == 0 && bytes > 0 ? std::to_string(bytes / k_mib) + "MiB"
                                           : std::to_string(bytes) + " bytes";
}

// Below this many decoded bytes the compression ratio is not checked: a small response of
// repeated whitespace may compress far better than any page.
constexpr std::uint64_t k_ratio_floor = std::uint64_t{1} << 20;

std::string_view trim(std::string_view s) {
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) {
        s.remove_prefix(1);
    }
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) {
        s.remove_suffix(1);
    }
    return s;
}

// State of one transfer, reached from curl's C callbacks. Exceptions never cross those
// callbacks: they are parked here and rethrown after curl_easy_perform returns.
struct Transfer {
    CURL* curl = nullptr;
    BodySink* sink = nullptr;
    std::uint64_t max_bytes = 0;
    std::uint64_t max_ratio = 0;
    std::uint64_t bytes = 0;
    std::uint64_t received = 0;  // as sent, before content decoding, when the ratio was passed
    bool head_sent = false;
    bool too_large = false;
    bool ratio_passed = false;
    std::optional<std::string> retry_after;
    std::optional<std::string> etag;
    std::optional<std::string> last_modified;
    std::optional<std::string> location;
    std::exception_ptr error;

    void send_head() {
        head_sent = true;
        sink->on_head(head());
    }

    ResponseHead head() const {
        ResponseHead head;
        if (curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &head.status) != CURLE_OK) {
            head.status = 0;
        }
        char* type = nullptr;
        if (curl_easy_getinfo(curl, CURLINFO_CONTENT_TYPE, &type) == CURLE_OK && type) {
            head.content_type = type;
        }
        char* url = nullptr;
        if (curl_easy_getinfo(curl, CURLINFO_EFFECTIVE_URL, &url) == CURLE_OK && url) {
            head.url = util::redact_credentials(url);
        }
        head.retry_after = retry_after;
        head.etag = etag;
        head.last_modified = last_modified;
        head.location = location;
        return head;
    }
};

extern "C" std::size_t on_header_line(char* data, std::size_t size, std::size_t count, void* user) {
    auto* t = static_cast<Transfer*>(user);
    std::string_view line(data, size * count);
    if (line.starts_with("HTTP/")) {
        // A new response (after a redirect or 100-continue): the last one's headers are not its.
        t->retry_after.reset();
        t->etag.reset();
        t->last_modified.reset();
        t->location.reset();
    } else if (header_is(line, "retry-after")) {
        t->retry_after = std::string(trim(line.substr(12)));
    } else if (header_is(line, "etag")) {
        t->etag = std::string(trim(line.substr(5)));
    } else if (header_is(line, "last-modified")) {
        t->last_modified = std::string(trim(line.substr(14)));
    } else if (header_is(line, "location")) {
        t->location = std::string(trim(line.substr(9)));
    }
    return size * count;
}

extern "C" std::size_t on_body_bytes(char* data, std::size_t size, std::size_t count, void* user) {
    auto* t = static_cast<Transfer*>(user);
    std::size_t n = size * count;
    try {
        if (!t->head_sent) {
            t->send_head();
        }
        t->bytes += n;
        if (t->bytes > t->max_bytes) {
            t->too_large = true;
            return 0;
        }
        if (t->max_ratio > 0 && t->bytes > k_ratio_floor) {
            // What curl has received of the body so far, before decoding it.
            curl_off_t received = 0;
            if (curl_easy_getinfo(t->curl, CURLINFO_SIZE_DOWNLOAD_T, &received) == CURLE_OK &&
                received > 0 && t->bytes / static_cast<std::uint64_t>(received) >= t->max_ratio) {
                t->ratio_passed = true;
                t->received = static_cast<std::uint64_t>(received);
                return 0;
            }
        }
        t->sink->on_body(std::string_view(data, n));
        return n;
    } catch (...) {
        t->error = std::current_exception();
        return 0;  // makes curl stop with CURLE_WRITE_ERROR
    }
}

FailureKind kind_of(CURLcode code) {
    switch (code) {
        case CURLE_COULDNT_CONNECT:
        case CURLE_COULDNT_RESOLVE_HOST:
        case CURLE_COULDNT_RESOLVE_PROXY:
        case CURLE_RECV_ERROR:
        case CURLE_SEND_ERROR:
        case CURLE_GOT_NOTHING:
        case CURLE_SSL_CONNECT_ERROR:
            return FailureKind::connect;
        case CURLE_OPERATION_TIMEDOUT:
            return FailureKind::timeout;
        case CURLE_PARTIAL_FILE:
        case CURLE_BAD_CONTENT_ENCODING:
            return FailureKind::truncated;
        case CURLE_FILESIZE_EXCEEDED:
            return FailureKind::too_large;
        case CURLE_UNSUPPORTED_PROTOCOL:
        case CURLE_TOO_MANY_REDIRECTS:
        case CURLE_URL_MALFORMAT:  // asking again cannot help
            return FailureKind::forbidden;
        default:
            return FailureKind::other;
    }
}

// Nonzero aborts the transfer (CURLE_ABORTED_BY_CALLBACK).
extern "C" int on_progress(void* abort, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
    return static_cast<const std::atomic<bool>*>(abort)->load() ? 1 : 0;
}

class CurlFetcher final : public Fetcher {
public:
    explicit CurlFetcher(const FetchOptions& options)
        : m_options(options), m_curl(curl_easy_init()) {
        if (!m_curl) {
            throw std::runtime_error("curl_easy_init failed");
        }
        if (m_options.user_agent.empty()) {
            m_options.user_agent = std::string("oaiharvest/") + k_version;
        }
    }

    using Fetcher::get;
    std::expected<Completed, TransportFailure> get(const std::string& url, BodySink& sink,
                                                   const Conditions& conditions) override {
        HeaderList headers;
        for (auto [name, value] : {std::pair{"If-None-Match: ", &conditions.etag},
                                   std::pair{"If-Modified-Since: ", &conditions.last_modified}}) {
            if (!value->has_value()) {
                continue;
            }
            if ((*value)->find_first_of("\r\n") != std::string::npos) {
                return std::unexpected(
                    TransportFailure{FailureKind::forbidden,
                                     std::string("refused to send a header with a line break: ") +
                                         name + "(" + util::redact_credentials(url) + ")"});
            }
            curl_slist* longer = curl_slist_append(headers.get(), (name + **value).c_str());
            if (longer == nullptr) {
                throw std::bad_alloc();
            }
            static_cast<void>(headers.release());  // now owned through `longer`
            headers.reset(longer);
        }
        CURL* curl = m_curl.get();
        curl_easy_reset(curl);  // keeps the connection cache; clears the last request's options
        Transfer transfer;
        transfer.curl = curl;
        transfer.sink = &sink;
        transfer.max_bytes = m_options.max_response_bytes;
        transfer.max_ratio = m_options.max_compression_ratio;
        char error_buffer[CURL_ERROR_SIZE] = {};
        const std::string_view redirects =
            redirect_protocols(url, m_options.allow_insecure_redirects);
        const std::string redirect_list(redirects);
        // Every option matters (the protocol restriction most of all): a request is not made
        // with one of them missing.
        const char* refused = nullptr;
        CURLcode set_code = CURLE_OK;
        auto set = [&](CURLoption option, auto value, const char* name) {
            if (set_code == CURLE_OK) {
                set_code = curl_easy_setopt(curl, option, value);
                refused = name;
            }
        };
        set(CURLOPT_URL, url.c_str(), "CURLOPT_URL");
        set(CURLOPT_ERRORBUFFER, error_buffer, "CURLOPT_ERRORBUFFER");
        set(CURLOPT_PROTOCOLS_STR, "http,https", "CURLOPT_PROTOCOLS_STR");
        set(CURLOPT_REDIR_PROTOCOLS_STR, redirect_list.c_str(), "CURLOPT_REDIR_PROTOCOLS_STR");
        set(CURLOPT_FOLLOWLOCATION, m_options.follow_redirects ? 1L : 0L, "CURLOPT_FOLLOWLOCATION");
        if (headers) {
            set(CURLOPT_HTTPHEADER, headers.get(), "CURLOPT_HTTPHEADER");
        }
        set(CURLOPT_MAXREDIRS, 10L, "CURLOPT_MAXREDIRS");
        set(CURLOPT_ACCEPT_ENCODING, "gzip, deflate", "CURLOPT_ACCEPT_ENCODING");
        set(CURLOPT_USERAGENT, m_options.user_agent.c_str(), "CURLOPT_USERAGENT");
        set(CURLOPT_NOSIGNAL, 1L, "CURLOPT_NOSIGNAL");  // threads: no SIGALRM for DNS timeouts
        set(CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(m_options.connect_timeout.count()),
            "CURLOPT_CONNECTTIMEOUT_MS");
        // A stall (under 1 byte/s for the whole stall window) fails the request, and so does the
        // deadline, which is long enough for any large page arriving steadily.
        set(CURLOPT_LOW_SPEED_LIMIT, 1L, "CURLOPT_LOW_SPEED_LIMIT");
        set(CURLOPT_LOW_SPEED_TIME,
            std::max(1L, static_cast<long>(m_options.stall_timeout.count() / 1000)),
            "CURLOPT_LOW_SPEED_TIME");
        set(CURLOPT_TIMEOUT_MS, static_cast<long>(m_options.deadline.count()),
            "CURLOPT_TIMEOUT_MS");
        set(CURLOPT_MAXFILESIZE_LARGE, static_cast<curl_off_t>(m_options.max_response_bytes),
            "CURLOPT_MAXFILESIZE_LARGE");
        set(CURLOPT_HEADERFUNCTION, on_header_line, "CURLOPT_HEADERFUNCTION");
        set(CURLOPT_HEADERDATA, &transfer, "CURLOPT_HEADERDATA");
        set(CURLOPT_WRITEFUNCTION, on_body_bytes, "CURLOPT_WRITEFUNCTION");
        set(CURLOPT_WRITEDATA, &transfer, "CURLOPT_WRITEDATA");
        if (m_options.abort != nullptr) {
            // curl calls this about once a second even while no byte arrives.
            set(CURLOPT_XFERINFOFUNCTION, on_progress, "CURLOPT_XFERINFOFUNCTION");
            set(CURLOPT_XFERINFODATA, m_options.abort, "CURLOPT_XFERINFODATA");
            set(CURLOPT_NOPROGRESS, 0L, "CURLOPT_NOPROGRESS");
        }
        if (set_code != CURLE_OK) {
            return std::unexpected(TransportFailure{FailureKind::forbidden,
                                                    std::string("curl refused ") + refused + ": " +
                                                        curl_easy_strerror(set_code) + " (" +
                                                        util::redact_credentials(url) + ")"});
        }

        CURLcode code = curl_easy_perform(curl);
        if (transfer.error) {
            std::rethrow_exception(transfer.error);
        }
        std::string where = util::redact_credentials(url);
        if (transfer.too_large) {
            return std::unexpected(
                TransportFailure{FailureKind::too_large,
                                 "response larger than " + size_text(m_options.max_response_bytes) +
                                     " (http.max_response_size), counted decoded, from " + where});
        }
        if (transfer.ratio_passed) {
            return std::unexpected(TransportFailure{
                FailureKind::too_large,
                "response over the compression ratio cap of " +
                    std::to_string(m_options.max_compression_ratio) +
                    " (http.max_compression_ratio): " + std::to_string(transfer.bytes) +
                    " bytes decoded from " + std::to_string(transfer.received) +
                    " received, from " + where});
        }
        if (code != CURLE_OK) {
            std::string detail = error_buffer[0] ? error_buffer : curl_easy_strerror(code);
            if (code == CURLE_OPERATION_TIMEDOUT && past_deadline(curl)) {
                detail = "request still unfinished at the " +
                         std::to_string(m_options.deadline.count() / 1000) +
                         " s deadline (http.request_deadline): " + detail;
            } else if (code == CURLE_UNSUPPORTED_PROTOCOL && redirects == "https") {
                detail =
                    "redirect from https refused unless to https "
                    "(http.allow_insecure_redirects): " +
                    detail;
            }
            return std::unexpected(TransportFailure{kind_of(code), detail + " (" + where + ")"});
        }
        if (!transfer.head_sent) {
            transfer.send_head();  // an empty body: the sink still hears the status
        }
        Completed done;
        done.head = transfer.head();
        done.head.url = where;
        done.body_bytes = transfer.bytes;
        return done;
    }

private:
    // The transfer ran until the deadline, not into the stall timeout.
    bool past_deadline(CURL* curl) const {
        curl_off_t micros = 0;
        return curl_easy_getinfo(curl, CURLINFO_TOTAL_TIME_T, &micros) == CURLE_OK &&
               micros / 1000 >= m_options.deadline.count() - 50;
    }

    FetchOptions m_options;
    CurlHandle m_curl;
};

}  // namespace

std::unique_ptr<Fetcher> make_curl_fetcher(const FetchOptions& options) {
    return std::make_unique<CurlFetcher>(options);
}

std::string_view redirect_protocols(std::string_view url, bool allow_insecure) {
    constexpr std::string_view k_https = "https://";
    const bool https = url.size() >= k_https.size() &&
                       std::equal(k_https.begin(), k_https.end(), url.begin(), [](char a, char b) {
                           return a == std::tolower(static_cast<unsigned char>(b));
                       });
    return https && !allow_insecure ? "https" : "http,https";
}

std::string_view failure_kind_name(FailureKind kind) {
    switch (kind) {
        case FailureKind::connect:
            return "connection failed";
        case FailureKind::timeout:
            return "timed out";
        case FailureKind::too_large:
            return "response too large";
        case FailureKind::truncated:
            return "response truncated";
        case FailureKind::forbidden:
            return "redirect or protocol refused";
        case FailureKind::other:
            return "transfer failed";
    }
    return "transfer failed";
}

}  // namespace oaiharvest::http
