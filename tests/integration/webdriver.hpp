#pragma once
// A real browser driven as a reader drives it: Debian's chromium, headless, under
// chromedriver, over the W3C WebDriver protocol (https://www.w3.org/TR/webdriver2/). It types
// into fields, clicks, and reads the text the page renders; only what the tests need.
//
// For one test's thread. Throws std::runtime_error naming the command and chromedriver's
// message when a command fails.

#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "process.hpp"

namespace httplib {
class Client;
}

namespace oaiharvest::test {

// Starts `chromedriver --port=0` and returns it with the port it took, starting it again when
// it exits for want of its port (chromedriver's own race with other servers; webdriver.cpp).
std::unique_ptr<BackgroundProcess> start_chromedriver(const std::string& chromedriver, int& port);

class Browser {
public:
    // Starts chromedriver on a free port of 127.0.0.1 and a headless chromium session with
    // `profile` as its user data folder.
    Browser(const std::string& chromedriver, const std::string& chromium,
            const std::filesystem::path& profile);
    // Ends the session (chromium quits), then chromedriver.
    ~Browser();
    Browser(const Browser&) = delete;
    Browser& operator=(const Browser&) = delete;
    Browser(Browser&&) = delete;
    Browser& operator=(Browser&&) = delete;

    // Loads `url` and waits for the page to load.
    void open(const std::string& url);
    std::string current_url();
    // The window's outer size in CSS pixels.
    void resize(int width, int height);

    // The elements a CSS selector matches, by their WebDriver references.
    std::vector<std::string> find_all(const std::string& css);
    // The one element `css` matches first; throws when none does.
    std::string find(const std::string& css);
    // Within an element found before.
    std::vector<std::string> find_all_in(const std::string& element, const std::string& css);

    // Empties a text field, as selecting its text and deleting it does.
    void clear(const std::string& element);
    // Key presses into the element (focused first), as a reader types `text`.
    void type(const std::string& element, const std::string& text);
    // A click in the middle of the element; a link or button navigates, and the browser waits
    // for the next page to load.
    void click(const std::string& element);
    // The text as rendered: what is visible on screen, whitespace as laid out.
    std::string text(const std::string& element);
    std::string attribute(const std::string& element, const std::string& name);

    // A script run by the driver, outside the page's Content-Security-Policy: for layout
    // measures only, never to act on the page.
    nlohmann::json evaluate(const std::string& script);

    // The Enter key, for type().
    static constexpr const char* k_enter = "\xee\x80\x87";  // U+E007

private:
    nlohmann::json command(const std::string& method, const std::string& path,
                           const nlohmann::json& body = nlohmann::json::object());
    std::string element_path(const std::string& element) const;

    std::unique_ptr<BackgroundProcess> m_driver;
    std::unique_ptr<httplib::Client> m_client;
    std::string m_session;
};

}  // namespace oaiharvest::test
