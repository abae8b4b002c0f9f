#include "serve_fixture.hpp"

#include <arpa/inet.h>
#include <httplib.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <csignal>
#include <regex>
#include <sstream>
#include <stdexcept>

#include "eventually.hpp"
#include "store/sqlite.hpp"
#include "support/raw_mirror.hpp"

namespace oaiharvest::test {
namespace {

// A port free a moment ago. `serve --listen 127.0.0.1:0` is refused today (the test "serve
// --listen 127.0.0.1:0 listens on a free port ..." fails), so the test chooses; another program
// may take the port in between, which the caller retries.
int free_port() {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) {
        throw std::runtime_error("socket failed");
    }
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t size = sizeof address;
    int port = -1;
    if (bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0 &&
        getsockname(fd, reinterpret_cast<sockaddr*>(&address), &size) == 0) {
        port = ntohs(address.sin_port);
    }
    close(fd);
    if (port <= 0) {
        throw std::runtime_error("no free port");
    }
    return port;
}

HttpReply reply_of(const httplib::Result& result) {
    if (!result) {
        return {0, {}, httplib::to_string(result.error())};
    }
    return {result->status, result->get_header_value("Content-Type"), result->body};
}

httplib::Client client(int port) {
    httplib::Client c("127.0.0.1", port);
    c.set_read_timeout(std::chrono::seconds{30});
    return c;
}

}  // namespace

sample::GenerateOptions sixty_records() {
    sample::GenerateOptions options;
    options.records = 60;
    return options;
}

ServedSample::ServedSample(std::vector<std::string> formats, FormatHarvests harvests)
    : prefixes(std::move(formats)) {
    h.use_config(k_serve_config);
    if (harvests == FormatHarvests::together) {
        first_harvest_log = harvest_source();
    } else {
        for (const auto& prefix : prefixes) {
            first_harvest_log += harvest_source({prefix});
        }
    }
    server = std::make_unique<ServeProcess>(h.db, h.config);
}

std::string ServedSample::harvest_source() {
    return harvest_source(prefixes);
}

std::string ServedSample::harvest_source(const std::vector<std::string>& formats) {
    std::vector<std::string> args;
    for (const auto& prefix : formats) {
        args.insert(args.end(), {"--prefix", prefix});
    }
    auto result = h.harvest(args);
    if (result.exit_code != 0) {
        throw std::runtime_error("harvest of the source failed: " + result.err);
    }
    if (!wait_past_second(util::now_utc())) {
        throw std::runtime_error("the clock did not reach the next second");
    }
    return result.err;
}

ServeProcess::ServeProcess(const std::string& db, std::optional<std::string> config) {
    static const std::regex k_serving(
        R"(serving \S+ at http://127\.0\.0\.1:(\d+)/ \(OAI-PMH at /oai\))");
    for (int attempt = 0; attempt < 3; ++attempt) {
        const int chosen = free_port();
        std::vector<std::string> args{"--db", db, "serve", "--listen",
                                      "127.0.0.1:" + std::to_string(chosen)};
        if (config) {
            args.insert(args.begin(), {"-c", *config});
        }
        m_process = std::make_unique<BackgroundProcess>(args);
        std::smatch match;
        std::string log;
        // The line is logged once the socket listens; "cannot listen" is the port taken since.
        eventually([&] {
            log = m_process->err_so_far();
            return std::regex_search(log, match, k_serving) ||
                   log.find("oaiharvest:") != std::string::npos;
        });
        if (std::regex_search(log, match, k_serving)) {
            m_port = std::stoi(match[1].str());
            return;
        }
        auto ended = stop();
        if (ended.err.find("cannot listen") == std::string::npos) {
            throw std::runtime_error("oaiharvest serve did not come up: " + ended.err);
        }
    }
    throw std::runtime_error("oaiharvest serve found no free port in three tries");
}

ServeProcess::~ServeProcess() {
    if (m_process) {
        stop();
    }
}

std::string ServeProcess::oai_url() const {
    return "http://127.0.0.1:" + std::to_string(m_port) + "/oai";
}

ProcessResult ServeProcess::stop(int signal) {
    m_process->signal(signal);
    auto result = m_process->wait();
    m_process.reset();
    return result;
}

HttpReply http_get(int port, const std::string& target) {
    return reply_of(client(port).Get(target.c_str()));
}

HttpReply http_post(int port, const std::string& path, const std::string& body,
                    const std::string& content_type) {
    return reply_of(client(port).Post(path.c_str(), body, content_type.c_str()));
}

HttpReply http_post_chunked(int port, const std::string& path, const std::string& body,
                            const std::string& content_type) {
    auto provide = [&body](std::size_t offset, httplib::DataSink& sink) {
        if (offset >= body.size()) {
            sink.done();
        } else {
            sink.write(body.data() + offset,
                       std::min<std::size_t>(64 * 1024, body.size() - offset));
        }
        return true;
    };
    return reply_of(client(port).Post(path.c_str(), provide, content_type.c_str()));
}

HttpReply http_request(int port, const std::string& method, const std::string& target) {
    httplib::Request request;
    request.method = method;
    request.path = target;
    return reply_of(client(port).send(request));
}

std::string encode_form(const Arguments& arguments) {
    static const char* k_hex = "0123456789ABCDEF";
    std::string out;
    for (const auto& [name, value] : arguments) {
        if (!out.empty()) {
            out += '&';
        }
        for (const std::string* part : {&name, &value}) {
            for (unsigned char c : *part) {
                if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
                    out += static_cast<char>(c);
                } else {
                    out += {'%', k_hex[c >> 4], k_hex[c & 15]};
                }
            }
            if (part == &name) {
                out += '=';
            }
        }
    }
    return out;
}

HttpReply oai_request(const ServeProcess& server, Method method, const Arguments& arguments) {
    return method == Method::get ? http_get(server.port(), "/oai?" + encode_form(arguments))
                                 : http_post(server.port(), "/oai", encode_form(arguments));
}

MirrorRows mirror_rows(const std::string& db) {
    auto connection = raw_connection(db);
    store::sql::Statement rows(*connection,
                               "SELECT e.name, r.identifier, r.metadata_prefix, r.deleted, "
                               "oaiharvest_unpack(r.metadata) FROM records r "
                               "JOIN endpoints e ON e.id = r.endpoint_id");
    MirrorRows out;
    while (rows.step()) {
        out[{std::string(rows.text(1)), std::string(rows.text(2))}] = {
            std::string(rows.text(0)), rows.int64(3) != 0, rows.optional_text(4)};
    }
    return out;
}

std::map<std::string, std::string> served_datestamps(const std::string& db,
                                                     const std::string& identifier) {
    auto connection = raw_connection(db);
    store::sql::Statement rows(
        *connection, "SELECT metadata_prefix, last_changed FROM records WHERE identifier = ?1");
    rows.bind(1, identifier);
    std::map<std::string, std::string> out;
    while (rows.step()) {
        out[std::string(rows.text(0))] = std::string(rows.text(1));
    }
    return out;
}

std::map<std::pair<std::string, std::string>, nlohmann::json> comparable_records(
    const std::string& db) {
    // Every copy, not only the current ones export gives: in a mirror of a mirror a record's
    // copies carry the datestamps of when each changed in the first mirror, which may fall in
    // different seconds, so which copy is current may differ between the two.
    auto connection = raw_connection(db);
    store::sql::Statement rows(*connection,
                               "SELECT r.identifier, r.metadata_prefix, oaiharvest_unpack(i.json) "
                               "FROM records r JOIN items_json i ON i.record_id = r.id");
    std::map<std::pair<std::string, std::string>, nlohmann::json> out;
    while (rows.step()) {
        auto record = nlohmann::json::parse(rows.text(2));
        for (const char* field : {"endpoint", "datestamp", "sets"}) {
            record.erase(field);
        }
        out[{std::string(rows.text(0)), std::string(rows.text(1))}] = std::move(record);
    }
    return out;
}

bool wait_past_second(util::UtcTime t) {
    // UtcTime counts whole seconds: a later one is a later second.
    return eventually([&] { return util::now_utc() > t; }, std::chrono::seconds{5});
}

}  // namespace oaiharvest::test
