#include "webdriver.hpp"

#include <httplib.h>

#include <csignal>
#include <memory>
#include <optional>
#include <regex>
#include <stdexcept>

#include "eventually.hpp"

namespace oaiharvest::test {
namespace {

// The key under which WebDriver returns an element's reference (the spec's constant).
constexpr const char* k_element_key = "element-6066-11e4-a52e-4f735466cecf";

// chromedriver --port=0 says which port it took: "... started successfully on port 40621."
// It takes a free port for one address family and then the same number for the other, and
// exits ("IPv4 port not available. Exiting...") when another process holds that one: a race
// with the suite's other servers, seen in CI. nullopt then, to start it again.
std::optional<int> driver_port(const BackgroundProcess& driver) {
    static const std::regex k_started(R"(started successfully on port (\d+))");
    std::smatch match;
    std::string out;
    bool port_taken = false;
    const bool started = eventually(
        [&] {
            out = driver.out_so_far();
            port_taken =
                (out + driver.err_so_far()).find("port not available") != std::string::npos;
            return port_taken || std::regex_search(out, match, k_started);
        },
        std::chrono::seconds{60});
    if (port_taken) {
        return std::nullopt;
    }
    if (!started) {
        throw std::runtime_error("chromedriver did not start: " + out + driver.err_so_far());
    }
    return std::stoi(match[1].str());
}

}  // namespace

std::unique_ptr<BackgroundProcess> start_chromedriver(const std::string& chromedriver, int& port) {
    constexpr int k_tries = 5;
    for (int attempt = 1;; ++attempt) {
        auto driver = std::make_unique<BackgroundProcess>(
            BackgroundProcess::Program{}, std::vector<std::string>{chromedriver, "--port=0"});
        if (auto taken = driver_port(*driver)) {
            port = *taken;
            return driver;
        }
        const std::string said = driver->out_so_far() + driver->err_so_far();
        driver->signal(SIGTERM);
        driver->wait();
        if (attempt == k_tries) {
            throw std::runtime_error("chromedriver found no free port in " +
                                     std::to_string(k_tries) + " tries: " + said);
        }
    }
}

namespace {

std::vector<std::string> references(const nlohmann::json& elements) {
    std::vector<std::string> ids;
    for (const auto& element : elements) {
        ids.push_back(element.at(k_element_key).get<std::string>());
    }
    return ids;
}

}  // namespace

Browser::Browser(const std::string& chromedriver, const std::string& chromium,
                 const std::filesystem::path& profile) {
    int port = 0;
    m_driver = start_chromedriver(chromedriver, port);
    m_client = std::make_unique<httplib::Client>("127.0.0.1", port);
    // A cold chromium under a sanitizer-slowed suite can take a while to start.
    m_client->set_read_timeout(180, 0);
    // --no-sandbox: the tests may run as root, where chromium's sandbox refuses to start.
    const nlohmann::json capabilities = {
        {"alwaysMatch",
         {{"browserName", "chrome"},
          {"goog:chromeOptions",
           {{"binary", chromium},
            {"args",
             {"--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
              "--disable-dev-shm-usage", "--user-data-dir=" + profile.string()}}}}}}};
    const auto reply = command("POST", "/session", {{"capabilities", capabilities}});
    m_session = reply.at("sessionId").get<std::string>();
}

Browser::~Browser() {
    try {
        if (!m_session.empty()) {
            command("DELETE", "/session/" + m_session);
        }
    } catch (const std::exception&) {
        // The driver is stopped below all the same; a failing test has said what went wrong.
    }
    m_client.reset();
    m_driver->signal(SIGTERM);
    m_driver->wait();
}

nlohmann::json Browser::command(const std::string& method, const std::string& path,
                                const nlohmann::json& body) {
    auto result = [&] {
        if (method == "GET") {
            return m_client->Get(path.c_str());
        }
        if (method == "DELETE") {
            return m_client->Delete(path.c_str());
        }
        return m_client->Post(path.c_str(), body.dump(), "application/json");
    }();
    if (!result) {
        throw std::runtime_error(method + " " + path + ": no answer from chromedriver (" +
                                 httplib::to_string(result.error()) + ")");
    }
    const auto reply = nlohmann::json::parse(result->body, nullptr, false);
    if (reply.is_discarded() || !reply.contains("value")) {
        throw std::runtime_error(method + " " + path +
                                 ": not a WebDriver answer: " + result->body.substr(0, 500));
    }
    const auto& value = reply["value"];
    if (result->status != 200) {
        const auto what = value.is_object()
                              ? value.value("error", "") + ": " + value.value("message", "")
                              : result->body.substr(0, 500);
        throw std::runtime_error(method + " " + path + ": " + what);
    }
    return value;
}

std::string Browser::element_path(const std::string& element) const {
    return "/session/" + m_session + "/element/" + element;
}

void Browser::open(const std::string& url) {
    command("POST", "/session/" + m_session + "/url", {{"url", url}});
}

std::string Browser::current_url() {
    return command("GET", "/session/" + m_session + "/url").get<std::string>();
}

void Browser::resize(int width, int height) {
    command("POST", "/session/" + m_session + "/window/rect",
            {{"width", width}, {"height", height}});
}

std::vector<std::string> Browser::find_all(const std::string& css) {
    return references(command("POST", "/session/" + m_session + "/elements",
                              {{"using", "css selector"}, {"value", css}}));
}

std::string Browser::find(const std::string& css) {
    const auto found = find_all(css);
    if (found.empty()) {
        throw std::runtime_error("no element on " + current_url() + " matches " + css);
    }
    return found.front();
}

std::vector<std::string> Browser::find_all_in(const std::string& element, const std::string& css) {
    return references(command("POST", element_path(element) + "/elements",
                              {{"using", "css selector"}, {"value", css}}));
}

void Browser::type(const std::string& element, const std::string& text) {
    command("POST", element_path(element) + "/value", {{"text", text}});
}

void Browser::clear(const std::string& element) {
    command("POST", element_path(element) + "/clear");
}

void Browser::click(const std::string& element) {
    command("POST", element_path(element) + "/click");
}

std::string Browser::text(const std::string& element) {
    return command("GET", element_path(element) + "/text").get<std::string>();
}

std::string Browser::attribute(const std::string& element, const std::string& name) {
    const auto value = command("GET", element_path(element) + "/attribute/" + name);
    return value.is_string() ? value.get<std::string>() : std::string{};
}

nlohmann::json Browser::evaluate(const std::string& script) {
    return command("POST", "/session/" + m_session + "/execute/sync",
                   {{"script", script}, {"args", nlohmann::json::array()}});
}

}  // namespace oaiharvest::test
