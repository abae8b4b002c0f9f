// The reader's caps (ReaderLimits): a record over the byte or nesting cap is handed over with its
// header and Record::dropped, the records around it as usual; what cannot be dropped (a header
// field over the cap, nesting past k_max_document_depth) throws LimitError.

#include <catch2/catch.hpp>

#include "reader_support.hpp"

using namespace oaiharvest;
using namespace oaiharvest::oai;

namespace {

const std::string k_open =
    "<?xml version='1.0' encoding='UTF-8'?>\n"
    "<OAI-PMH xmlns=\"http://www.openarchives.org/OAI/2.0/\">"
    "<responseDate>2026-11-23T05:16:51Z</responseDate><request>http://x/</request>"
    "<ListRecords>";
const std::string k_close = "</ListRecords></OAI-PMH>";

std::string record(const std::string& id, const std::string& description) {
    return "<record><header><identifier>" + id +
           "</identifier><datestamp>2026-01-01</datestamp></header><metadata>"
           "<oai_dc:dc xmlns:oai_dc=\"http://www.openarchives.org/OAI/2.0/oai_dc/\" "
           "xmlns:dc=\"http://purl.org/dc/elements/1.1/\"><dc:description>" +
           description + "</dc:description></oai_dc:dc></metadata></record>";
}

std::string nested(int depth) {
    std::string text;
    for (int i = 0; i < depth; ++i) {
        text += "<b>";
    }
    text += "x";
    for (int i = 0; i < depth; ++i) {
        text += "</b>";
    }
    return text;
}

// Each record's identifier, its dropped reason (or "-"), and whether a tree came with it.
struct Seen {
    std::string identifier;
    std::string dropped;
    std::size_t metadata_bytes = 0;
    bool tree = false;
};

class Handler final : public ResponseHandler {
public:
    std::vector<Seen> seen;
    void on_record(Record& record) override {
        seen.push_back({record.header.identifier, record.dropped.value_or("-"),
                        record.metadata.size(), record.metadata_tree.root() != nullptr});
    }
};

std::vector<Seen> read(const std::string& body, const ReaderLimits& limits,
                       std::size_t chunk = 4096) {
    Handler handler;
    ResponseReader reader(handler, limits);
    for (std::size_t at = 0; at < body.size(); at += chunk) {
        reader.feed(std::string_view(body).substr(at, chunk));
    }
    reader.finish();
    return handler.seen;
}

}  // namespace

TEST_CASE("a record over the byte cap comes without metadata, the next ones as usual",
          "[oai][reader][limits]") {
    const std::string body = k_open + record("oai:x:1", "small") +
                             record("oai:x:2", std::string(3000, 'a')) +
                             record("oai:x:3", "small") + k_close;
    auto seen = read(body, {.max_record_bytes = 1024, .max_depth = 256}, 100);
    REQUIRE(seen.size() == 3);
    CHECK(seen[0].dropped == "-");
    CHECK(seen[0].tree);
    CHECK(seen[1].identifier == "oai:x:2");
    CHECK(seen[1].dropped ==
          "metadata larger than the 1024 bytes record cap "
          "(http.max_record_size)");
    CHECK(seen[1].metadata_bytes == 0);
    CHECK_FALSE(seen[1].tree);
    CHECK(seen[2].dropped == "-");
    CHECK(seen[2].metadata_bytes > 0);
    CHECK(seen[2].tree);
}

TEST_CASE("a record nested deeper than the cap comes without metadata", "[oai][reader][limits]") {
    const std::string body = k_open + record("oai:x:1", nested(10)) +
                             record("oai:x:2", nested(100'000)) + record("oai:x:3", "fine") +
                             k_close;
    auto seen = read(body, {.max_record_bytes = 16u << 20, .max_depth = 64});
    REQUIRE(seen.size() == 3);
    CHECK(seen[0].dropped == "-");
    CHECK(seen[1].dropped.find("nesting cap") != std::string::npos);
    CHECK_FALSE(seen[1].tree);
    CHECK(seen[2].dropped == "-");
    CHECK(seen[2].tree);
}

TEST_CASE("the nesting cap counts the child of metadata as 1", "[oai][reader][limits]") {
    // oai_dc:dc, dc:description and 2 <b>: 4 elements.
    CHECK(read(k_open + record("oai:x:1", nested(2)) + k_close, {.max_depth = 4})[0].dropped ==
          "-");
    CHECK(read(k_open + record("oai:x:1", nested(3)) + k_close, {.max_depth = 4})[0].dropped !=
          "-");
}

TEST_CASE("an identifier longer than the record cap fails the response", "[oai][reader][limits]") {
    const std::string body = k_open + "<record><header><identifier>" + std::string(5000, 'i') +
                             "</identifier><datestamp>2026-01-01</datestamp></header></record>" +
                             k_close;
    CHECK_THROWS_AS(read(body, {.max_record_bytes = 1024}), LimitError);
}

TEST_CASE("nesting past the document limit fails the response, outside any record too",
          "[oai][reader][limits]") {
    const std::string body = k_open + nested(static_cast<int>(k_max_document_depth) + 1) + k_close;
    CHECK_THROWS_AS(read(body, {}, 1 << 20), LimitError);
}
