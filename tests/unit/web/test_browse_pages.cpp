// Browsing pages: an endpoint's records, its sets, years and authors and the records of each,
// followed by their "Next page" links to the end; 400 and 404 for what they cannot show.

#include <catch2/catch.hpp>
#include <set>

#include "web_mirror.hpp"

using namespace oaiharvest;
using test::HtmlDoc;
using test::Query;

namespace {

// The query of one of our links ("/endpoint?endpoint=eprints&after=x"), decoded as the HTTP
// server hands it to web_page.
std::pair<std::string, Query> request_of(const std::string& href) {
    auto decode = [](std::string_view text) {
        std::string out;
        for (std::size_t i = 0; i < text.size(); ++i) {
            if (text[i] == '%' && i + 2 < text.size()) {
                out +=
                    static_cast<char>(std::stoi(std::string(text.substr(i + 1, 2)), nullptr, 16));
                i += 2;
            } else {
                out += text[i];
            }
        }
        return out;
    };
    const auto mark = href.find('?');
    Query query;
    std::string_view rest =
        mark == std::string::npos ? "" : std::string_view(href).substr(mark + 1);
    while (!rest.empty()) {
        const auto amp = rest.find('&');
        const auto pair = rest.substr(0, amp);
        const auto eq = pair.find('=');
        query.emplace_back(decode(pair.substr(0, eq)), decode(pair.substr(eq + 1)));
        rest = amp == std::string_view::npos ? "" : rest.substr(amp + 1);
    }
    return {href.substr(0, mark), query};
}

// The entries of a list and of every page after it, following "Next page".
std::vector<std::string> follow(test::WebMirror& m, const std::string& href, const char* items,
                                int& pages) {
    std::vector<std::string> all;
    std::string next = href;
    for (pages = 0; !next.empty() && pages < 100; ++pages) {
        const auto [path, query] = request_of(next);
        const auto reply = m.get(path, query);
        REQUIRE(reply.status == 200);
        const HtmlDoc doc(reply.body);
        for (auto& text : doc.texts(items)) {
            all.push_back(std::move(text));
        }
        const auto more = doc.texts("//a[@rel='next']/@href");
        next = more.empty() ? "" : more.front();
    }
    return all;
}

}  // namespace

TEST_CASE("An endpoint's pages list each live record once, 20 a page", "[web][browse]") {
    test::WebMirror m;
    int pages = 0;
    const auto links = follow(m, "/endpoint?endpoint=eprints", "//ol/li/a/@href", pages);
    CHECK(pages == 13);  // 253 live records
    CHECK(links.size() == 253);
    CHECK(std::set<std::string>(links.begin(), links.end()).size() == 253);
    CHECK(std::find(links.begin(), links.end(),
                    "/record?endpoint=eprints&id=oai%3Aeprints.oailab.local%3A13") == links.end());
    const HtmlDoc first(m.get("/endpoint", {{"endpoint", "eprints"}}).body);
    CHECK(first.text("//h1") == "eprints");
    CHECK(first.text("//main/p[@class='meta']/a/@href") == "http://127.0.0.1:18180/cgi/oai2");
    CHECK(first.texts("//main/p[2]/a/@href") ==
          std::vector<std::string>{"/endpoint?endpoint=eprints", "/sets?endpoint=eprints",
                                   "/years?endpoint=eprints", "/authors?endpoint=eprints"});
    CHECK(first.count("//nav[@class='pager']//a[text()='« First page']") == 0);
    const auto second =
        m.get("/endpoint", {{"endpoint", "eprints"}, {"after", "oai:eprints.oailab.local:117"}});
    CHECK(HtmlDoc(second.body).text("//nav//a[1]/@href") == "/endpoint?endpoint=eprints");
}

TEST_CASE("The sets page links each set, shown decoded, to its records", "[web][browse]") {
    test::WebMirror m;
    const HtmlDoc doc(m.get("/sets", {{"endpoint", "eprints"}}).body);
    CHECK(doc.count("//ul[@class='facets']/li") == 31);
    const auto book = doc.texts("//li[a='types=book']/a/@href");
    REQUIRE(book.size() == 1);
    CHECK(book[0] == "/set?endpoint=eprints&set=74797065733D626F6F6B");
    CHECK(doc.text("//li[a='types=book']/span") == "13 records");
    int pages = 0;
    const auto records = follow(m, book[0], "//ol/li/a", pages);
    CHECK(records.size() == 13);
    const HtmlDoc set(
        m.get("/set", {{"endpoint", "eprints"}, {"set", "74797065733D626F6F6B"}}).body);
    CHECK(set.text("//h1") == "Set types=book");
}

TEST_CASE("The years page links each year to its records, newest first", "[web][browse]") {
    test::WebMirror m;
    const HtmlDoc doc(m.get("/years", {{"endpoint", "eprints"}}).body);
    const auto years = doc.texts("//ul[@class='facets']/li/a");
    REQUIRE(years.size() == 15);
    CHECK(years.front() == "2026");
    CHECK(years.back() == "2012");
    int pages = 0;
    const auto records =
        follow(m, "/year?endpoint=eprints&year=2021", "//ol/li//span[@class='meta']", pages);
    CHECK(pages == 2);
    CHECK(records.size() == 23);
    for (const auto& meta : records) {
        CHECK(meta.ends_with(" · 2021"));
    }
    const HtmlDoc hostile(m.get("/years", {{"endpoint", "hostile"}}).body);
    CHECK(hostile.texts("//ul[@class='facets']/li/a") == std::vector<std::string>{"2024", "1999"});
}

TEST_CASE("The authors page links each family name, Cyrillic too, to its records",
          "[web][browse]") {
    test::WebMirror m;
    int pages = 0;
    const auto authors = follow(m, "/authors?endpoint=eprints", "//ul/li/a", pages);
    CHECK(std::is_sorted(authors.begin(), authors.end()));
    CHECK(std::find(authors.begin(), authors.end(), "Назарова") != authors.end());
    CHECK(std::find(authors.begin(), authors.end(), "G‘ofurova") != authors.end());
    const auto reply = m.get("/author", {{"endpoint", "eprints"}, {"name", "Назарова"}});
    REQUIRE(reply.status == 200);
    const HtmlDoc doc(reply.body);
    CHECK(doc.text("//h1") == "Назарова");
    const auto first = doc.texts("//ol/li[1]/a");
    REQUIRE(first.size() == 1);
    CHECK(first[0] == "Проблемы и перспективы высшего образования в Республике Узбекистан");
    const HtmlDoc unesco(m.get("/author", {{"endpoint", "hostile"}, {"name", "UNESCO"}}).body);
    CHECK(unesco.texts("//ol/li/a") == std::vector<std::string>{test::k_cyrillic_title});
}

TEST_CASE("Browsing without an endpoint, or with bad values, is 400", "[web][browse]") {
    test::WebMirror m;
    const std::vector<std::pair<const char*, Query>> bad{
        {"/endpoint", {}},
        {"/endpoint", {{"endpoint", ""}}},
        {"/sets", {}},
        {"/set", {{"endpoint", "eprints"}}},
        {"/year", {{"endpoint", "eprints"}}},
        {"/year", {{"endpoint", "eprints"}, {"year", "abc"}}},
        {"/year", {{"endpoint", "eprints"}, {"year", "-1"}}},
        {"/year", {{"endpoint", "eprints"}, {"year", "10000"}}},
        {"/year", {{"endpoint", "eprints"}, {"year", "2021"}, {"after", "-5"}}},
        {"/year", {{"endpoint", "eprints"}, {"year", "2021"}, {"after", "x"}}},
        {"/author", {{"endpoint", "eprints"}}},
        {"/author", {{"endpoint", "eprints"}, {"name", "Назарова"}, {"after", "1e3"}}},
        {"/years", {{"endpoint", "eprints"}, {"before", "abc"}}},
        {"/years", {{"endpoint", "eprints"}, {"before", "99999999999999999999"}}},
    };
    for (const auto& [path, query] : bad) {
        INFO(path << " " << (query.empty() ? "" : query.back().first + "=" + query.back().second));
        const auto reply = m.get(path, query);
        CHECK(reply.status == 400);
        const HtmlDoc doc(reply.body);
        CHECK(doc.text("//h1") == "Bad request");
        CHECK(doc.text("//main/p[1]").starts_with("The parameter "));
    }
}

TEST_CASE("An unknown endpoint, set, year or author, or a cursor past the end, is 404",
          "[web][browse]") {
    test::WebMirror m;
    const std::vector<std::pair<const char*, Query>> missing{
        {"/endpoint", {{"endpoint", "nowhere"}}},
        {"/sets", {{"endpoint", "<nowhere>"}}},
        {"/set", {{"endpoint", "eprints"}, {"set", "no such set"}}},
        {"/year", {{"endpoint", "eprints"}, {"year", "1850"}}},
        {"/year", {{"endpoint", "eprints"}, {"year", "unknown"}}},
        {"/author", {{"endpoint", "eprints"}, {"name", "Nobody"}}},
        {"/endpoint", {{"endpoint", "eprints"}, {"after", "zzz"}}},
        {"/year", {{"endpoint", "eprints"}, {"year", "2021"}, {"after", "9223372036854775807"}}},
    };
    for (const auto& [path, query] : missing) {
        INFO(path << " " << query.back().first << "=" << query.back().second);
        const auto reply = m.get(path, query);
        CHECK(reply.status == 404);
        CHECK(HtmlDoc(reply.body).text("//h1") == "Not found");
    }
    const HtmlDoc nowhere(m.get("/endpoint", {{"endpoint", "<nowhere>"}}).body);
    CHECK(nowhere.text("//main/p[1]") == "The mirror has no repository named <nowhere>.");
}
