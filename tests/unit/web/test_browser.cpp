// The web pages in a real browser (issue 14): Debian's chromium, headless, opens the home page,
// searches as its form says, opens a record from the results, and what it then holds is
// checked. The pages are served by cpp-httplib from web_page(), as `oaiharvest serve` does;
// built only where chromium is installed (tests/unit/web/CMakeLists.txt).

#include <httplib.h>

#include <catch2/catch.hpp>
#include <cstdio>
#include <mutex>
#include <thread>

#include "util/url.hpp"
#include "web_mirror.hpp"

using namespace oaiharvest;
using test::HtmlDoc;

namespace {

// The mirror's pages on 127.0.0.1, at an ephemeral port, until destroyed.
class PageServer {
public:
    explicit PageServer(test::WebMirror& mirror) {
        m_server.Get(".*",
                     [&mirror, this](const httplib::Request& request, httplib::Response& response) {
                         test::Query query(request.params.begin(), request.params.end());
                         // A Store is used by one thread at a time; httplib answers on several.
                         std::lock_guard lock(m_mutex);
                         const auto reply = mirror.get(request.path, query);
                         response.status = reply.status;
                         response.set_content(reply.body, reply.content_type.c_str());
                     });
        m_port = m_server.bind_to_any_port("127.0.0.1");
        if (m_port <= 0) {
            throw std::runtime_error("cannot bind 127.0.0.1");
        }
        m_thread = std::thread([this] { m_server.listen_after_bind(); });
        // The socket accepts connections already; this only makes stop() safe at once.
        while (!m_server.is_running()) {
            std::this_thread::yield();
        }
    }
    ~PageServer() {
        m_server.stop();
        m_thread.join();
    }
    PageServer(const PageServer&) = delete;
    PageServer& operator=(const PageServer&) = delete;
    PageServer(PageServer&&) = delete;
    PageServer& operator=(PageServer&&) = delete;

    std::string url(const std::string& path) const {
        return "http://127.0.0.1:" + std::to_string(m_port) + path;
    }

private:
    httplib::Server m_server;
    std::mutex m_mutex;
    std::thread m_thread;
    int m_port = 0;
};

// The DOM chromium built from the page at `url`, serialized, as it stands once loaded.
std::string browse(const std::string& url, const test::TempDir& profile) {
    // Our URLs are percent-encoded ASCII, safe between single quotes. --no-sandbox: the tests
    // may run as root, where chromium's sandbox refuses to start.
    const std::string command = "timeout 120 " OAIHARVEST_CHROMIUM
                                " --headless --no-sandbox --disable-gpu --no-first-run"
                                " --user-data-dir='" +
                                profile.path().string() + "' --dump-dom '" + url + "' 2>/dev/null";
    std::unique_ptr<FILE, int (*)(FILE*)> pipe(popen(command.c_str(), "r"), pclose);
    if (!pipe) {
        throw std::runtime_error("cannot run chromium");
    }
    std::string dom;
    char buffer[65536];
    while (const auto n = std::fread(buffer, 1, sizeof buffer, pipe.get())) {
        dom.append(buffer, n);
    }
    const int status = pclose(pipe.release());
    if (status != 0) {
        throw std::runtime_error("chromium exited with " + std::to_string(status));
    }
    return dom;
}

}  // namespace

TEST_CASE("A browser opens the home page, searches, and opens a record", "[web][browser]") {
    test::WebMirror mirror;
    PageServer server(mirror);
    test::TempDir profile;

    const HtmlDoc home(browse(server.url("/"), profile));
    CHECK(home.text("//h1") == "Search the mirror");
    CHECK(home.texts("//tbody/tr/td[1]/a") == std::vector<std::string>{"eprints", "hostile"});
    const auto action = home.text("//main//form/@action");
    const auto field = home.text("//main//form//input/@name");
    CHECK(home.text("//main//form/@method") == "get");

    // What the form sends for these words (a browser without script submits nothing else).
    const std::string words = "Проблемы высшего образования";
    const HtmlDoc results(
        browse(server.url(action + "?" + field + "=" + util::percent_encode(words)), profile));
    CHECK(results.text("//h1") == "Search: " + words);
    CHECK(results.text("//header//input[@name='q']/@value") == words);
    const auto titles = results.texts("//ol/li/a");
    const auto links = results.texts("//ol/li/a/@href");
    REQUIRE_FALSE(links.empty());
    const auto at = std::find(titles.begin(), titles.end(),
                              "Проблемы и перспективы высшего образования в Республике Узбекистан");
    REQUIRE(at != titles.end());

    const HtmlDoc record(
        browse(server.url(links[static_cast<std::size_t>(at - titles.begin())]), profile));
    CHECK(record.text("//article/h1") ==
          "Проблемы и перспективы высшего образования в Республике Узбекистан");
    CHECK(record.texts("//dt") ==
          std::vector<std::string>{"Names", "Abstract", "Subjects", "Genre", "Issued", "Publisher",
                                   "Files", "Rights", "Sets", "Repository", "OAI identifier",
                                   "Datestamp", "Format", "Status", "Changed in the mirror",
                                   "METS OBJID", "METS created", "Custodian"});
    CHECK(record.text("//dt[text()='Files']/following-sibling::dd[1]//a/@href") ==
          "http://127.0.0.1:18180/id/eprint/2/1/fulltext_2.txt");
    CHECK(record.count("//script") == 0);

    // The hostile record's title is text on screen, and no script ran to change the page.
    const HtmlDoc hostile(
        browse(server.url("/record?endpoint=hostile&id=oai%3Ahostile%3A1"), profile));
    CHECK(hostile.text("//article/h1") == test::k_hostile_title);
    CHECK(hostile.count("//script") == 0);
}
