// The serving scenario (issue 14): `oaiharvest serve` over the mirror a run harvested, measured
// from the driver over loopback with libcurl. Each ListRecords list to its end, in oai_dc (made
// from the normalized records: the bench harvests METS) and in mets (served as harvested); then web
// searches from many clients at once, with a few home pages among them. Counts and statuses are
// checked, timings reported.

#include <arpa/inet.h>
#include <curl/curl.h>
#include <libxml/xmlreader.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <latch>
#include <map>
#include <memory>
#include <regex>
#include <sstream>
#include <stdexcept>
#include <system_error>
#include <thread>

#include "corpus.hpp"
#include "scenarios.hpp"

namespace oaiharvest::bench {
namespace {

// The format the bench harvests (harvest_run.cpp): served byte for byte as harvested.
constexpr const char* k_raw_prefix = "mets";
// Long enough for a connection that waits behind every other client's; past it a request fails.
constexpr long k_request_timeout_s = 120;
// Each client asks for the home page once in this many searches.
constexpr int k_searches_per_home_page = 10;
// Starts of the server, each on a new port (see free_port).
constexpr int k_start_attempts = 3;
// A served list ends at the second before its first response (docs/serving.md): records that
// changed later are left to the harvester's next visit. The lists must find the whole mirror.
constexpr double k_settle_s = 2;

struct CurlDeleter {
    void operator()(CURL* curl) const { curl_easy_cleanup(curl); }
};
using CurlPtr = std::unique_ptr<CURL, CurlDeleter>;

struct ReaderDeleter {
    void operator()(xmlTextReader* reader) const { xmlFreeTextReader(reader); }
};
using ReaderPtr = std::unique_ptr<xmlTextReader, ReaderDeleter>;

struct XmlCharDeleter {
    void operator()(xmlChar* text) const { xmlFree(text); }
};
using XmlCharPtr = std::unique_ptr<xmlChar, XmlCharDeleter>;

// A socket descriptor, closed when it goes.
class Socket {
public:
    explicit Socket(int fd) : m_fd(fd) {}
    Socket(const Socket&) = delete;
    Socket& operator=(const Socket&) = delete;
    Socket(Socket&&) = delete;
    Socket& operator=(Socket&&) = delete;
    ~Socket() {
        if (m_fd >= 0) {
            close(m_fd);
        }
    }
    int fd() const { return m_fd; }

private:
    int m_fd;
};

std::size_t append_body(char* data, std::size_t size, std::size_t count, void* user) {
    static_cast<std::string*>(user)->append(data, size * count);
    return size * count;
}

// One easy handle: curl keeps its connection alive from request to request, as long as the
// server does. One thread uses it.
class Client {
public:
    struct Reply {
        long status = 0;  // 0: no response (see error)
        std::string error;
        double ms = 0;
    };

    Client() : m_curl(curl_easy_init()) {
        if (!m_curl) {
            throw std::runtime_error("curl_easy_init failed");
        }
        set(CURLOPT_WRITEFUNCTION, append_body);
        set(CURLOPT_WRITEDATA, &m_body);
        // Clients run in threads: curl must not time out with signals.
        set(CURLOPT_NOSIGNAL, 1L);
        set(CURLOPT_TIMEOUT, k_request_timeout_s);
    }
    // CURLOPT_WRITEDATA points into the object.
    Client(const Client&) = delete;
    Client& operator=(const Client&) = delete;
    Client(Client&&) = delete;
    Client& operator=(Client&&) = delete;
    ~Client() = default;

    // GETs url, timed from the request to the response's last byte; the body stays in body()
    // until the next get.
    Reply get(const std::string& url) {
        Reply reply;
        m_body.clear();
        if (auto code = curl_easy_setopt(m_curl.get(), CURLOPT_URL, url.c_str());
            code != CURLE_OK) {
            reply.error = curl_easy_strerror(code);
            return reply;
        }
        const double started = now_s();
        const CURLcode code = curl_easy_perform(m_curl.get());
        reply.ms = (now_s() - started) * 1000;
        if (code != CURLE_OK) {
            reply.error = curl_easy_strerror(code);
        } else if (curl_easy_getinfo(m_curl.get(), CURLINFO_RESPONSE_CODE, &reply.status) !=
                   CURLE_OK) {
            reply.error = "no response code";
        }
        return reply;
    }
    const std::string& body() const { return m_body; }

    // `text` percent-encoded for a query string.
    std::string escape(const std::string& text) {
        char* escaped = curl_easy_escape(m_curl.get(), text.data(), static_cast<int>(text.size()));
        if (escaped == nullptr) {
            throw std::runtime_error("curl_easy_escape failed");
        }
        std::string result(escaped);
        curl_free(escaped);
        return result;
    }

private:
    template <typename T>
    void set(CURLoption option, T value) {
        if (auto code = curl_easy_setopt(m_curl.get(), option, value); code != CURLE_OK) {
            throw std::runtime_error(std::string("curl_easy_setopt: ") + curl_easy_strerror(code));
        }
    }

    CurlPtr m_curl;
    std::string m_body;
};

std::string failure_of(const Client::Reply& reply) {
    return reply.status != 0 ? "HTTP " + std::to_string(reply.status) : reply.error;
}

// A ListRecords response: its <record>s (depth 2: OAI-PMH/ListRecords/record), or what is wrong
// with it (an OAI-PMH <error> and its code, or XML that does not parse).
struct PageFacts {
    std::size_t records = 0;
    std::string error;
};

PageFacts read_page(const std::string& page) {
    PageFacts facts;
    ReaderPtr reader(xmlReaderForMemory(page.data(), static_cast<int>(page.size()), "ListRecords",
                                        nullptr, XML_PARSE_NONET));
    if (!reader) {
        facts.error = "xmlReaderForMemory failed";
        return facts;
    }
    int ret = 0;
    while ((ret = xmlTextReaderRead(reader.get())) == 1) {
        if (xmlTextReaderNodeType(reader.get()) != XML_READER_TYPE_ELEMENT) {
            continue;
        }
        const int depth = xmlTextReaderDepth(reader.get());
        const auto* name = reinterpret_cast<const char*>(xmlTextReaderConstLocalName(reader.get()));
        if (depth == 2 && std::strcmp(name, "record") == 0) {
            ++facts.records;
        } else if (depth == 1 && std::strcmp(name, "error") == 0) {
            XmlCharPtr code(xmlTextReaderGetAttribute(reader.get(), BAD_CAST "code"));
            facts.error = "<error code=\"" +
                          (code ? std::string(reinterpret_cast<const char*>(code.get())) : "") +
                          "\">";
        }
    }
    if (ret != 0) {
        facts.error = "the response is not well-formed XML";
    }
    return facts;
}

struct ListRun {
    std::size_t records = 0;
    std::size_t pages = 0;
    double seconds = 0;  // the downloads'
    std::string error;
};

// ListRecords of `prefix` to its end, following the resumption tokens on one connection; each
// page is read after its download, out of the time. A list that outgrows `expected` by a page
// is cut short: a token that never ends the list would otherwise loop for ever.
ListRun list_records(Client& client, const std::string& oai, const std::string& prefix,
                     std::size_t expected) {
    ListRun run;
    std::string url = oai + "?verb=ListRecords&metadataPrefix=" + prefix;
    while (true) {
        auto reply = client.get(url);
        run.seconds += reply.ms / 1000;
        if (reply.status != 200) {
            run.error = url + ": " + failure_of(reply);
            return run;
        }
        auto facts = read_page(client.body());
        if (!facts.error.empty()) {
            run.error = url + ": " + facts.error;
            return run;
        }
        ++run.pages;
        run.records += facts.records;
        const std::string token = resumption_token_of(client.body());
        if (token.empty()) {
            return run;
        }
        if (run.records > expected) {
            run.error = url + ": the list goes on past " + std::to_string(expected) + " records";
            return run;
        }
        url = oai + "?verb=ListRecords&resumptionToken=" + client.escape(token);
    }
}

void measure_lists(const std::string& base, const Mirror& mirror, Figures& figures) {
    if (const double wait_s = mirror.changed_at + k_settle_s - now_s(); wait_s > 0) {
        usleep(static_cast<useconds_t>(wait_s * 1e6));
    }
    Client client;
    for (const std::string prefix : {"oai_dc", k_raw_prefix}) {
        auto run = list_records(client, base + "/oai", prefix, mirror.records);
        if (!run.error.empty()) {
            figures.fail("serve ListRecords " + prefix + ": " + run.error);
            continue;
        }
        if (run.records != mirror.records) {
            figures.fail("serve ListRecords " + prefix + " gave " + std::to_string(run.records) +
                         " records, the mirror holds " + std::to_string(mirror.records));
            continue;
        }
        figures.add("serve ListRecords " + prefix, "rec/s",
                    static_cast<double>(run.records) / run.seconds);
    }
}

// What one web client measured: latencies of the answers that were 200, and the others counted
// by what went wrong ("HTTP 503", curl's message).
struct ClientRun {
    std::vector<double> search_ms;
    std::vector<double> home_ms;
    std::map<std::string, std::size_t> failures;
};

void record(const Client::Reply& reply, std::vector<double>& latencies, ClientRun& run) {
    if (reply.status == 200) {
        latencies.push_back(reply.ms);
    } else {
        ++run.failures[failure_of(reply)];
    }
}

// Client `index` of many: its searches go through the queries from its own place in them, so
// that at any moment the clients ask for different words.
void search_client(const std::string& base, const std::vector<std::string>& queries,
                   std::size_t index, int searches, std::latch& start, ClientRun& run) {
    std::unique_ptr<Client> client;
    std::vector<std::string> urls;
    try {
        client = std::make_unique<Client>();
        for (const auto& query : queries) {
            urls.push_back(base + "/search?q=" + client->escape(query));
        }
    } catch (const std::exception& e) {
        ++run.failures[e.what()];
    }
    // Every client arrives, ready or not, or the others would wait for ever.
    start.arrive_and_wait();
    if (!client) {
        return;
    }
    for (int n = 0; n < searches; ++n) {
        // Spread over the clients' requests: were it every client's first, the home pages would
        // measure only the moment all clients connect at once.
        if ((index + static_cast<std::size_t>(n)) % k_searches_per_home_page == 0) {
            record(client->get(base + "/"), run.home_ms, run);
        }
        record(client->get(urls[(index + static_cast<std::size_t>(n)) % urls.size()]),
               run.search_ms, run);
    }
}

void measure_searches(const BenchOptions& options, const std::string& base, const Mirror& mirror,
                      Figures& figures) {
    if (mirror.queries_with_hits.empty()) {
        figures.fail("serve: no search query found anything, so none was sent to /search");
        return;
    }
    const std::size_t clients = options.serve_clients;
    std::vector<ClientRun> runs(clients);
    std::latch start(static_cast<std::ptrdiff_t>(clients) + 1);
    std::vector<std::jthread> threads;
    try {
        for (std::size_t i = 0; i < clients; ++i) {
            threads.emplace_back(search_client, std::cref(base),
                                 std::cref(mirror.queries_with_hits), i, options.serve_requests,
                                 std::ref(start), std::ref(runs[i]));
        }
    } catch (...) {
        // The clients started wait for the rest at the latch: release them, or the joins below
        // (the jthreads' destructors) would wait for ever.
        start.count_down(static_cast<std::ptrdiff_t>(clients - threads.size()) + 1);
        throw;
    }
    start.arrive_and_wait();
    const double started = now_s();
    threads.clear();  // joins
    const double wall_s = now_s() - started;

    ClientRun all;
    std::size_t failed = 0;
    for (const auto& run : runs) {
        all.search_ms.insert(all.search_ms.end(), run.search_ms.begin(), run.search_ms.end());
        all.home_ms.insert(all.home_ms.end(), run.home_ms.begin(), run.home_ms.end());
        for (const auto& [what, count] : run.failures) {
            all.failures[what] += count;
            failed += count;
        }
    }
    const std::size_t answered = all.search_ms.size() + all.home_ms.size();
    const std::string label = " (" + std::to_string(clients) + " clients)";
    if (failed > 0) {
        std::string causes;
        for (const auto& [what, count] : all.failures) {
            causes += (causes.empty() ? "" : ", ") + what + " x" + std::to_string(count);
        }
        figures.fail("serve: " + std::to_string(failed) + " of " +
                     std::to_string(failed + answered) + " web requests" + label +
                     " were not answered 200: " + causes);
        return;
    }
    figures.add("serve search p50" + label, "ms", percentile_of(all.search_ms, 50));
    figures.add("serve search p95" + label, "ms", percentile_of(all.search_ms, 95));
    if (!all.home_ms.empty()) {
        figures.add("serve home page p50" + label, "ms", percentile_of(all.home_ms, 50));
        figures.add("serve home page p95" + label, "ms", percentile_of(all.home_ms, 95));
    }
    figures.add("serve web requests/s" + label, "req/s", static_cast<double>(answered) / wall_s);
}

// A port free now on 127.0.0.1. `serve --listen` refuses port 0, so the kernel picks one for a
// socket closed at once; another program may take it before the server binds it (then the
// server does not start, and the caller tries again).
int free_port() {
    Socket socket(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
    if (socket.fd() < 0) {
        throw std::system_error(errno, std::generic_category(), "socket");
    }
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    address.sin_port = 0;
    socklen_t size = sizeof address;
    if (bind(socket.fd(), reinterpret_cast<sockaddr*>(&address), size) != 0 ||
        getsockname(socket.fd(), reinterpret_cast<sockaddr*>(&address), &size) != 0) {
        throw std::system_error(errno, std::generic_category(), "bind or getsockname");
    }
    return ntohs(address.sin_port);
}

std::string read_text(const std::string& path) {
    std::ifstream in(path);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

std::string tail(const std::string& text) {
    return text.size() > 2000 ? text.substr(text.size() - 2000) : text;
}

// The server's address from its log line "serving DB at http://127.0.0.1:PORT/ (OAI-PMH at
// /oai)"; "" when the server ended or said nothing of the kind within 30 s.
std::string wait_until_serving(Background& server, const std::string& log) {
    static const std::regex k_serving(R"( at (http://127\.0\.0\.1:[0-9]+)/ \(OAI-PMH at /oai\))");
    const double deadline = now_s() + 30;
    while (now_s() < deadline) {
        const std::string text = read_text(log);
        if (std::smatch match; std::regex_search(text, match, k_serving)) {
            return match[1];
        }
        if (server.exited()) {
            return {};
        }
        usleep(10'000);
    }
    return {};
}

}  // namespace

void run_serve(const BenchOptions& options, const Mirror& mirror, Figures& figures) {
    const std::string config = mirror.dir + "/serve.toml";
    // page_size is the default; said here so that the figures keep their meaning if it changes.
    std::string serve = "[serve]\npage_size = 100\n";
    if (options.serve_workers > 0) {
        serve += "workers = " + std::to_string(options.serve_workers) + "\n";
    }
    write_config(config, serve);
    const std::string log = mirror.dir + "/serve.log";
    for (int attempt = 1; attempt <= k_start_attempts; ++attempt) {
        Background server({options.binary, "-c", config, "--db", mirror.db, "serve", "--listen",
                           "127.0.0.1:" + std::to_string(free_port())},
                          log);
        const std::string base = wait_until_serving(server, log);
        if (base.empty()) {
            auto ended = server.stop();
            if (attempt == k_start_attempts) {
                figures.fail("serve did not start (exit " + std::to_string(ended.exit_code) +
                             "): " + tail(read_text(log)));
            }
            continue;
        }
        measure_lists(base, mirror, figures);
        measure_searches(options, base, mirror, figures);
        auto stopped = server.stop();
        if (stopped.exit_code != 0) {
            figures.fail("serve exited " + std::to_string(stopped.exit_code) +
                         " on SIGTERM: " + tail(read_text(log)));
        }
        figures.add("serve peak RSS (ru_maxrss)", "MiB",
                    mib_of_kib(static_cast<double>(stopped.maxrss_kib)));
        return;
    }
}

}  // namespace oaiharvest::bench
