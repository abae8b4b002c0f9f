// Bad input: not OAI-PMH, not well-formed, cut short, hostile, or handled by a handler that
// throws. Each malformed input its own case.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

#include "reader_support.hpp"
#include "support/fixtures.hpp"

using namespace oaiharvest;
using namespace oaiharvest::oai;
using test::read_fixture;
using test::read_response;

namespace {

const std::string k_open =
    "<?xml version='1.0' encoding='UTF-8'?>\n"
    "<OAI-PMH xmlns=\"http://www.openarchives.org/OAI/2.0/\" "
    "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\">\n"
    "  <responseDate>2026-11-23T05:16:51Z</responseDate>\n"
    "  <request>http://127.0.0.1:18180/cgi/oai2</request>\n";
const std::string k_close = "</OAI-PMH>\n";

std::string one_record(const std::string& metadata) {
    return k_open +
           "<GetRecord><record><header><identifier>oai:x:1</identifier>"
           "<datestamp>2026-01-01</datestamp></header><metadata>" +
           metadata + "</metadata></record></GetRecord>" + k_close;
}

}  // namespace

TEST_CASE("every OAI-PMH error code, and one outside the protocol", "[oai][reader][errors]") {
    const std::vector<std::pair<std::string, ErrorCode>> codes{
        {"badArgument", ErrorCode::bad_argument},
        {"badResumptionToken", ErrorCode::bad_resumption_token},
        {"badVerb", ErrorCode::bad_verb},
        {"cannotDisseminateFormat", ErrorCode::cannot_disseminate_format},
        {"idDoesNotExist", ErrorCode::id_does_not_exist},
        {"noRecordsMatch", ErrorCode::no_records_match},
        {"noMetadataFormats", ErrorCode::no_metadata_formats},
        {"noSetHierarchy", ErrorCode::no_set_hierarchy},
        {"serviceUnavailable", ErrorCode::unknown},
    };
    for (const auto& [text, code] : codes) {
        INFO(text);
        auto reading = read_response(k_open + "  <error code=\"" + text +
                                     "\">\n   Something &amp; more\n  </error>\n" + k_close);
        REQUIRE(reading.events.errors.size() == 1);
        CHECK(reading.events.errors[0].code == code);
        CHECK(reading.events.errors[0].code_text == text);
        CHECK(reading.events.errors[0].message == "Something & more");
        CHECK(reading.summary.errors == 1);
    }
    auto empty = read_response(k_open + "<error code=\"noRecordsMatch\"/>" + k_close);
    REQUIRE(empty.events.errors.size() == 1);
    CHECK(empty.events.errors[0].message.empty());
}

TEST_CASE("an HTML page is not an OAI-PMH response, known at its root tag",
          "[oai][reader][errors]") {
    const std::string page =
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
        "<!DOCTYPE html PUBLIC \"-//W3C//DTD XHTML 1.0 Transitional//EN\" "
        "\"http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd\">\n"
        "<html xmlns=\"http://www.w3.org/1999/xhtml\"><head><title>EPrints System Error"
        "</title></head><body><p>Failed to connect to database&nbsp;";
    test::RecordingHandler handler;
    ResponseReader reader(handler);
    // Thrown by feed(), as soon as the root start tag is read: the rest never matters.
    const auto root_end = page.find("<head>");
    try {
        reader.feed(page.substr(0, root_end + 1));
        FAIL("no exception");
    } catch (const NotOaiPmhError& error) {
        CHECK(std::string(error.what()).find("<html>") != std::string::npos);
    }
    CHECK(handler.log.empty());
    CHECK_THROWS_AS(reader.feed("more"), std::logic_error);

    CHECK_THROWS_AS(read_response("<html><body>Service Unavailable</body></html>"), NotOaiPmhError);
    CHECK_THROWS_WITH(read_response("<h:html xmlns:h=\"urn:h\"/>"), Catch::Contains("<h:html>"));
}

TEST_CASE("a truncated body fails at finish() with where it ended", "[oai][reader][errors]") {
    const std::string full = read_fixture("eprints-3.4/ListRecords_mets_page1.xml");
    for (std::size_t cut : {full.size() / 2, full.size() - 12, full.size() - 2}) {
        INFO("cut at " << cut);
        test::RecordingHandler handler;
        ResponseReader reader(handler);
        reader.feed(std::string_view(full).substr(0, cut));
        try {
            reader.finish();
            FAIL("no exception");
        } catch (const XmlError& error) {
            CHECK(std::string(error.what()).starts_with("truncated response"));
            CHECK(error.line() > 1);
            CHECK(error.column() > 0);
        }
        // What was read before the cut was delivered (the token too, when the cut came after
        // it): the caller must not commit a page whose finish() failed.
        CHECK_FALSE(handler.records.empty());
        CHECK(handler.token.has_value() == (cut > full.rfind("</resumptionToken>")));
    }
}

TEST_CASE("an empty body fails at finish()", "[oai][reader][errors]") {
    CHECK_THROWS_AS(read_response(""), XmlError);
    CHECK_THROWS_AS(read_response("  \n"), XmlError);
    CHECK_THROWS_AS(read_response("<?xml version='1.0'?>\n"), XmlError);
}

TEST_CASE("a mismatched end tag fails in feed() with line and column", "[oai][reader][errors]") {
    const std::string body = k_open + "<ListRecords>\n<record>\n</recrod>\n" + k_close;
    test::RecordingHandler handler;
    ResponseReader reader(handler);
    try {
        reader.feed(body);
        reader.finish();
        FAIL("no exception");
    } catch (const XmlError& error) {
        CHECK(error.line() == 7);
        CHECK(error.column() > 1);
        CHECK(std::string(error.what()).find("line 7") != std::string::npos);
        CHECK(std::string(error.what()).find("mismatch") != std::string::npos);
    }
    CHECK_THROWS_AS(reader.finish(), std::logic_error);
}

TEST_CASE("an undefined entity is an XML error", "[oai][reader][errors]") {
    CHECK_THROWS_WITH(read_response(one_record("<dc>a&nbsp;b</dc>")),
                      Catch::Contains("nbsp") && Catch::Contains("line 5"));
}

TEST_CASE("an unescaped ampersand is an XML error", "[oai][reader][errors]") {
    CHECK_THROWS_AS(read_response(one_record("<dc>Tom & Jerry</dc>")), XmlError);
}

TEST_CASE("two root elements are an XML error", "[oai][reader][errors]") {
    CHECK_THROWS_AS(read_response(k_open + k_close + "<OAI-PMH/>"), XmlError);
}

TEST_CASE("no entity and no DTD is ever loaded", "[oai][reader][errors][security]") {
    namespace fs = std::filesystem;
    const fs::path secret = fs::temp_directory_path() / "oaiharvest-unit-oai-secret.txt";
    const std::string marker = "SECRET-MARKER-4f1c9a";
    std::ofstream(secret) << marker << "\n";
    const std::string url = "file://" + secret.string();
    const std::string body_start =
        "<OAI-PMH xmlns=\"http://www.openarchives.org/OAI/2.0/\">"
        "<responseDate>x</responseDate><GetRecord><record><header>"
        "<identifier>i</identifier><datestamp>d</datestamp></header>"
        "<metadata><dc a=\"1\">";
    const std::string body_end = "</dc></metadata></record></GetRecord></OAI-PMH>";
    const std::vector<std::string> hostile{
        // An external general entity, then its reference.
        "<!DOCTYPE OAI-PMH [<!ENTITY xxe SYSTEM \"" + url + "\">]>" + body_start + "[&xxe;]" +
            body_end,
        // The same with /etc/passwd, the classic.
        "<!DOCTYPE OAI-PMH [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>" + body_start +
            "[&xxe;]" + body_end,
        // An external DTD.
        "<!DOCTYPE OAI-PMH SYSTEM \"" + url + "\">" + body_start + "[&xxe;]" + body_end,
        // An external parameter entity expanded in the internal subset.
        "<!DOCTYPE OAI-PMH [<!ENTITY % pe SYSTEM \"" + url + "\"> %pe;]>" + body_start + "[]" +
            body_end,
    };
    for (const auto& body : hostile) {
        INFO(body);
        test::RecordingHandler handler;
        std::string everything;
        try {
            ResponseSummary summary;
            test::read_into(handler, summary, body);
        } catch (const std::exception& error) {
            everything += error.what();
        }
        for (const auto& line : handler.log) {
            everything += line;
        }
        CHECK(everything.find(marker) == std::string::npos);
        CHECK(everything.find("root:") == std::string::npos);
    }
    // The external DTD case parses; the unresolvable reference is left out and counted.
    auto reading = read_response(hostile[2]);
    REQUIRE(reading.events.records.size() == 1);
    CHECK(reading.events.records[0].metadata ==
          "<dc xmlns=\"http://www.openarchives.org/OAI/2.0/\" a=\"1\">[]</dc>");
    CHECK(reading.summary.repaired_characters == 1);
    // The internal entity declaration is not used: an XML error names the entity.
    CHECK_THROWS_WITH(read_response(hostile[0]), Catch::Contains("xxe"));
    fs::remove(secret);
}

namespace {

struct Boom : std::runtime_error {
    using std::runtime_error::runtime_error;
};

class ThrowingHandler : public test::RecordingHandler {
public:
    explicit ThrowingHandler(std::size_t throw_at_record) : m_throw_at(throw_at_record) {}
    void on_record(Record& record) override {
        if (records.size() == m_throw_at) {
            throw Boom("handler failed at " + record.header.identifier);
        }
        RecordingHandler::on_record(record);
    }

private:
    std::size_t m_throw_at;
};

}  // namespace

TEST_CASE("a handler's exception comes out of feed(), and the parser stops",
          "[oai][reader][errors]") {
    const std::string page = read_fixture("eprints-3.4/ListRecords_mets_page1.xml");
    ThrowingHandler handler(3);
    ResponseReader reader(handler);
    CHECK_THROWS_AS(reader.feed(page), Boom);
    CHECK(handler.records.size() == 3);  // nothing after the throw
    CHECK_THROWS_AS(reader.feed("x"), std::logic_error);

    // Fed in small chunks, the same.
    ThrowingHandler chunked(5);
    ResponseReader chunked_reader(chunked);
    try {
        for (std::size_t at = 0; at < page.size(); at += 100) {
            chunked_reader.feed(std::string_view(page).substr(at, 100));
        }
        FAIL("no exception");
    } catch (const Boom& error) {
        CHECK(std::string(error.what()) == "handler failed at oai:eprints.oailab.local:6");
    }
    CHECK(chunked.records.size() == 5);
}

TEST_CASE("resumptionToken: empty element, odd attributes", "[oai][reader]") {
    const std::string list_start = k_open +
                                   "<ListIdentifiers><header><identifier>a</identifier>"
                                   "<datestamp>d</datestamp></header>";
    SECTION("an empty token ends the list") {
        auto reading = read_response(list_start +
                                     "<resumptionToken completeListSize=\"258\" cursor=\"200\"/>"
                                     "</ListIdentifiers>" +
                                     k_close);
        REQUIRE(reading.events.token);
        CHECK(reading.events.token->value.empty());
        CHECK(reading.events.token->cursor == 200);
        CHECK(reading.events.token->complete_list_size == 258);
        CHECK_FALSE(reading.events.token->expiration_date);
        CHECK(reading.summary.resumption_token_seen);
    }
    SECTION("whitespace around the value, attributes that are not numbers") {
        auto reading = read_response(
            list_start +
            "<resumptionToken cursor=\"x\" completeListSize=\"\" expirationDate=\"2026-01-01\">"
            "\n   a&amp;b=c  \n</resumptionToken></ListIdentifiers>" +
            k_close);
        REQUIRE(reading.events.token);
        CHECK(reading.events.token->value == "a&b=c");
        CHECK_FALSE(reading.events.token->cursor);
        CHECK_FALSE(reading.events.token->complete_list_size);
        CHECK(reading.events.token->expiration_date == "2026-01-01");
    }
}

TEST_CASE("bad characters are repaired, counted, and the page still reads",
          "[oai][reader][repair]") {
    auto reading = read_response(one_record("<dc t=\"a&#1;b\">caf\xE9\x0B &#x1F;ok</dc>"));
    REQUIRE(reading.events.records.size() == 1);
    CHECK(reading.events.records[0].metadata ==
          "<dc xmlns=\"http://www.openarchives.org/OAI/2.0/\" t=\"ab\">caf\xEF\xBF\xBD ok</dc>");
    CHECK(reading.summary.repaired_characters == 4);
}

TEST_CASE("a response in ISO-8859-1 is read as such", "[oai][reader][repair]") {
    std::string body = one_record("<dc>caf\xE9</dc>");
    body.replace(body.find("UTF-8"), 5, "ISO-8859-1");
    auto reading = read_response(body);
    REQUIRE(reading.events.records.size() == 1);
    CHECK(reading.events.records[0].metadata.find("café") != std::string::npos);
    CHECK(reading.summary.repaired_characters == 0);
}

TEST_CASE("a prefixed OAI-PMH root, unknown elements and stray text are fine", "[oai][reader]") {
    auto reading = read_response(
        "<oai:OAI-PMH xmlns:oai=\"http://www.openarchives.org/OAI/2.0/\">"
        "<oai:responseDate> 2026-01-01T00:00:00Z </oai:responseDate>"
        "<oai:extension><oai:record/></oai:extension>stray"
        "<oai:ListRecords>text<oai:record><oai:header><oai:identifier>i</oai:identifier>"
        "<oai:datestamp>d</oai:datestamp><oai:setSpec> s </oai:setSpec><x>y</x></oai:header>"
        "</oai:record></oai:ListRecords></oai:OAI-PMH>");
    CHECK(*reading.events.response_date == "2026-01-01T00:00:00Z");
    REQUIRE(reading.events.records.size() == 1);
    CHECK(reading.events.records[0].header.identifier == "i");
    CHECK(reading.events.records[0].header.set_specs == std::vector<std::string>{"s"});
    CHECK(reading.events.records[0].metadata.empty());
}
