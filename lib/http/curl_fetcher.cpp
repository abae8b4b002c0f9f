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

bool header_is(std::string_view line, std::string_view name) {
    if (line.size() <= name.size() || line[name.size()] != ':') {
        return false;
    }
    return std::equal(name.begin(), name.end(), line.begin(), [](char a, char b) {
        return std::tolower(static_cast<unsigned char>(a)) ==
               std::tolower(static_cast<unsigned char>(b));
    });
}

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
    std::uint64_t bytes = 0;
    bool head_sent = false;
    bool too_large = false;
    std::optional<std::string> retry_after;
    std::exception_ptr error;

    void send_head() {
        head_sent = true;
        ResponseHead head;
        curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &head.status);
        char* type = nullptr;
        if (curl_easy_getinfo(curl, CURLINFO_CONTENT_TYPE, &type) == CURLE_OK && type) {
            head.content_type = type;
        }
        char* url = nullptr;
        if (curl_easy_getinfo(curl, CURLINFO_EFFECTIVE_URL, &url) == CURLE_OK && url) {
            head.url = util::redact_credentials(url);
        }
        head.retry_after = retry_after;
        sink->on_head(head);
    }
};

extern "C" std::size_t on_header_line(char* data, std::size_t size, std::size_t count, void* user) {
    auto* t = static_cast<Transfer*>(user);
    std::string_view line(data, size * count);
    if (line.starts_with("HTTP/")) {
        t->retry_after.reset();  // a new response (after a redirect or 100-continue)
    } else if (header_is(line, "retry-after")) {
        t->retry_after = std::string(trim(line.substr(12)));
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

    std::expected<Completed, TransportFailure> get(const std::string& url,
                                                   BodySink& sink) override {
        CURL* curl = m_curl.get();
        curl_easy_reset(curl);  // keeps the connection cache; clears the last request's options
        Transfer transfer;
        transfer.curl = curl;
        transfer.sink = &sink;
        transfer.max_bytes = m_options.max_response_bytes;
        char error_buffer[CURL_ERROR_SIZE] = {};
        curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
        curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, error_buffer);
        curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
        curl_easy_setopt(curl, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
        curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 1L);
        curl_easy_setopt(curl, CURLOPT_MAXREDIRS, 10L);
        curl_easy_setopt(curl, CURLOPT_ACCEPT_ENCODING, "gzip, deflate");
        curl_easy_setopt(curl, CURLOPT_USERAGENT, m_options.user_agent.c_str());
        curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);  // threads: no SIGALRM for DNS timeouts
        curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS,
                         static_cast<long>(m_options.connect_timeout.count()));
        // A stall (under 1 byte/s for the whole stall window) fails the request; a total timeout
        // would fail a large page that is arriving steadily.
        curl_easy_setopt(curl, CURLOPT_LOW_SPEED_LIMIT, 1L);
        curl_easy_setopt(curl, CURLOPT_LOW_SPEED_TIME,
                         std::max(1L, static_cast<long>(m_options.stall_timeout.count() / 1000)));
        curl_easy_setopt(curl, CURLOPT_MAXFILESIZE_LARGE,
                         static_cast<curl_off_t>(m_options.max_response_bytes));
        curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, on_header_line);
        curl_easy_setopt(curl, CURLOPT_HEADERDATA, &transfer);
        curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, on_body_bytes);
        curl_easy_setopt(curl, CURLOPT_WRITEDATA, &transfer);
        if (m_options.abort != nullptr) {
            // curl calls this about once a second even while no byte arrives.
            curl_easy_setopt(curl, CURLOPT_XFERINFOFUNCTION, on_progress);
            curl_easy_setopt(curl, CURLOPT_XFERINFODATA, m_options.abort);
            curl_easy_setopt(curl, CURLOPT_NOPROGRESS, 0L);
        }

        CURLcode code = curl_easy_perform(curl);
        if (transfer.error) {
            std::rethrow_exception(transfer.error);
        }
        std::string where = util::redact_credentials(url);
        if (transfer.too_large) {
            return std::unexpected(TransportFailure{
                FailureKind::too_large, "response larger than " +
                                            std::to_string(m_options.max_response_bytes) +
                                            " bytes from " + where});
        }
        if (code != CURLE_OK) {
            std::string detail = error_buffer[0] ? error_buffer : curl_easy_strerror(code);
            return std::unexpected(TransportFailure{kind_of(code), detail + " (" + where + ")"});
        }
        if (!transfer.head_sent) {
            transfer.send_head();  // an empty body: the sink still hears the status
        }
        Completed done;
        curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &done.head.status);
        char* type = nullptr;
        if (curl_easy_getinfo(curl, CURLINFO_CONTENT_TYPE, &type) == CURLE_OK && type) {
            done.head.content_type = type;
        }
        done.head.retry_after = transfer.retry_after;
        done.head.url = where;
        done.body_bytes = transfer.bytes;
        return done;
    }

private:
    FetchOptions m_options;
    CurlHandle m_curl;
};

}  // namespace

std::unique_ptr<Fetcher> make_curl_fetcher(const FetchOptions& options) {
    return std::make_unique<CurlFetcher>(options);
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
