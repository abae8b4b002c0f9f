// `oaiharvest serve` in a real browser, driven as a reader drives it (issue 14): Debian's
// chromium under chromedriver types searches into the served mirror's home page in English,
// Russian and Uzbek Latin, clicks a result, reads the record page, and lays the pages out on a
// phone's screen. Built only where chromium and chromedriver are installed
// (tests/integration/CMakeLists.txt).

#include <catch2/catch.hpp>
#include <chrono>
#include <csignal>
#include <fstream>

#include "eventually.hpp"
#include "serve_fixture.hpp"
#include "webdriver.hpp"

using namespace oaiharvest;
using namespace oaiharvest::test;

namespace {

// The seed record's title, as a browser lays it out (its two spaces collapse into one).
const std::string k_seed_title =
    "MECHANISMS FOR DEVELOPING CULTURAL DIPLOMACY BETWEEN THE REPUBLICS OF KYRGYZSTAN AND "
    "TAJIKISTAN";

std::string base_url(const ServedSample& sample) {
    return "http://127.0.0.1:" + std::to_string(sample.server->port());
}

// What the results page lists, as rendered.
std::vector<std::string> result_titles(Browser& browser) {
    std::vector<std::string> titles;
    for (const auto& link : browser.find_all("main ol li a")) {
        titles.push_back(browser.text(link));
    }
    return titles;
}

// Types `words` into the search box of the page's `form` (the home page's, or the one on top
// of every page) and submits it with Enter, then
// waits for the results page that names them.
void search_for(Browser& browser, const std::string& words, const std::string& form = "main form") {
    const auto box = browser.find(form + " input[name=q]");
    // The box on top of a results page holds that search's words.
    browser.clear(box);
    browser.type(box, words);
    browser.type(box, Browser::k_enter);
    const bool arrived = eventually(
        [&] {
            const auto headings = browser.find_all("h1");
            return !headings.empty() && browser.text(headings.front()) == "Search: " + words;
        },
        std::chrono::seconds{60});
    REQUIRE(arrived);
}

bool contains(const std::vector<std::string>& list, const std::string& item) {
    return std::find(list.begin(), list.end(), item) != list.end();
}

// The record page's <dt> labels with their <dd> texts, in order.
std::vector<std::pair<std::string, std::string>> fields(Browser& browser) {
    const auto terms = browser.find_all("article dl > dt");
    const auto values = browser.find_all("article dl > dd");
    REQUIRE(terms.size() == values.size());
    std::vector<std::pair<std::string, std::string>> out;
    for (std::size_t i = 0; i < terms.size(); ++i) {
        out.emplace_back(browser.text(terms[i]), browser.text(values[i]));
    }
    return out;
}

// The title of a live record of the mirror that holds `part`, read from the database; the
// sample's generator picks titles at random, so which are there is a fact of the mirror.
std::string title_holding(const std::string& db, const std::string& part) {
    for (const auto& [key, record] : comparable_records(db)) {
        const auto title = record.value("title", nlohmann::json()).is_string()
                               ? record["title"].get<std::string>()
                               : std::string{};
        if (!record.value("deleted", false) && title.find(part) != std::string::npos) {
            return title;
        }
    }
    FAIL("the mirror holds no live record whose title holds " << part);
    return {};
}

std::string field(const std::vector<std::pair<std::string, std::string>>& all,
                  const std::string& label) {
    for (const auto& [term, value] : all) {
        if (term == label) {
            return value;
        }
    }
    return "(no " + label + ")";
}

}  // namespace

TEST_CASE(
    "A reader types searches into the served mirror in a browser, opens a record and reads "
    "it",
    "[serve][browser]") {
    ServedSample sample;
    TempDir profile;
    Browser browser(OAIHARVEST_CHROMEDRIVER, OAIHARVEST_CHROMIUM, profile.path());

    browser.open(base_url(sample) + "/");
    CHECK(browser.text(browser.find("h1")) == "Search the mirror");
    CHECK(browser.find_all("script").empty());

    search_for(browser, "cultural diplomacy");
    const auto titles = result_titles(browser);
    REQUIRE_FALSE(titles.empty());
    CHECK(titles.front() == k_seed_title);

    browser.click(browser.find_all("main ol li a").front());
    REQUIRE(eventually([&] { return browser.current_url().find("/record?") != std::string::npos; },
                       std::chrono::seconds{60}));
    CHECK(browser.text(browser.find("article h1")) == k_seed_title);
    const auto record = fields(browser);
    CHECK(field(record, "Names").find("Nazarova") != std::string::npos);
    CHECK(field(record, "Genre") == "Maqola");
    CHECK(field(record, "Issued").starts_with("2026-01-01"));
    CHECK(field(record, "Abstract").starts_with("In this article, author examines"));
    CHECK(field(record, "Repository") == "sample");

    // Titles in Cyrillic and in Uzbek Latin with its apostrophe letters, typed whole as a
    // reader types them, each into the search box on top of the page before.
    for (const std::string part : {"ия", "‘", "ʻ"}) {
        const auto title = title_holding(sample.h.db, part);
        INFO("typed: " << title);
        search_for(browser, title, "header form");
        INFO("results: " << nlohmann::json(result_titles(browser)).dump());
        CHECK(contains(result_titles(browser), title));
    }
}

TEST_CASE("The served mirror's pages fit a phone's screen without sideways scrolling",
          "[serve][browser]") {
    ServedSample sample;
    TempDir profile;
    Browser browser(OAIHARVEST_CHROMEDRIVER, OAIHARVEST_CHROMIUM, profile.path());
    browser.resize(390, 844);

    // The widest content there is: a long title, a long unbroken identifier, tables of counts.
    for (const std::string path :
         {"/", "/search?q=cultural+diplomacy", "/endpoint?endpoint=sample",
          "/authors?endpoint=sample",
          "/record?endpoint=sample&id=oai%3Asample.oaiharvest.local%3A1"}) {
        browser.open(base_url(sample) + path);
        const auto sizes =
            browser.evaluate("return [window.innerWidth, document.documentElement.scrollWidth];");
        INFO(path << ": viewport and content widths " << sizes.dump());
        CHECK(sizes.at(0).get<int>() <= 500);
        CHECK(sizes.at(1).get<int>() <= sizes.at(0).get<int>());
    }
}

TEST_CASE("chromedriver that exits for want of its port is started again", "[serve][browser]") {
    // A stand-in that behaves as chromedriver did in CI the first two times it runs (another
    // process held the port it chose for IPv4), then starts.
    TempDir dir;
    const auto script = dir.path() / "chromedriver";
    const auto runs = dir.path() / "runs";
    {
        std::ofstream out(script);
        out << "#!/bin/sh\n"
            << "echo run >> '" << runs.string() << "'\n"
            << "if [ $(wc -l < '" << runs.string() << "') -le 2 ]; then\n"
            << "  echo 'Starting ChromeDriver on port 0'\n"
            << "  echo 'IPv4 port not available. Exiting...'\n"
            << "  exit 1\n"
            << "fi\n"
            << "echo 'ChromeDriver was started successfully on port 40621.'\n"
            << "exec sleep 60\n";
    }
    std::filesystem::permissions(script, std::filesystem::perms::owner_all);
    int port = 0;
    auto driver = start_chromedriver(script.string(), port);
    CHECK(port == 40621);
    std::ifstream in(runs);
    std::string line;
    int count = 0;
    while (std::getline(in, line)) {
        ++count;
    }
    CHECK(count == 3);
    driver->signal(SIGTERM);
    driver->wait();
}
