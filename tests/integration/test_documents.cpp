// Documents mirrored by the real binary: a harvest of a server whose METS records list files
// served (as EPrints 3.4 serves them) by a second in-process server on 127.0.0.1.
#include <sqlite3.h>

#include <catch2/catch.hpp>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "eventually.hpp"
#include "harness.hpp"
#include "store/sql_functions.hpp"
#include "support/document_server.hpp"
#include "util/time.hpp"

using namespace oaiharvest;
using namespace oaiharvest::test;
using oaiharvest::testing::DocumentServer;
using oaiharvest::testing::ServedFile;

namespace {

std::string mets_listing(const std::vector<std::pair<std::string, std::string>>& files) {
    std::string xml =
        "<mets:mets xmlns:mets=\"http://www.loc.gov/METS/\" "
        "xmlns:xlink=\"http://www.w3.org/1999/xlink\" OBJID=\"eprint\"><mets:fileSec>"
        "<mets:fileGrp USE=\"reference\">";
    int n = 0;
    for (const auto& [href, type] : files) {
        xml += "<mets:file ID=\"f" + std::to_string(n++) + "\" MIMETYPE=\"" + type +
               "\"><mets:FLocat LOCTYPE=\"URL\" xlink:type=\"simple\" xlink:href=\"" + href +
               "\"/></mets:file>";
    }
    return xml + "</mets:fileGrp></mets:fileSec></mets:mets>";
}

sample::SampleRecord listing(int number, const std::string& datestamp,
                             const std::vector<std::pair<std::string, std::string>>& files) {
    sample::SampleRecord record;
    record.identifier = "oai:sample.oaiharvest.local:" + std::to_string(number);
    record.datestamp = datestamp;
    record.mets = mets_listing(files);
    return record;
}

ServedFile served(const std::string& body, const std::string& etag) {
    ServedFile file;
    file.body = body;
    file.etag = etag;  // unquoted, as EPrints 3.4 sends it
    return file;
}

struct DocumentsHarness {
    Harness h;
    DocumentServer files;
    std::filesystem::path folder = h.db + ".documents";

    // more_toml: tables after the endpoint's.
    explicit DocumentsHarness(const std::string& more_toml = "") {
        h.use_config(
            "[http]\nrequest_interval = \"0s\"\n[[endpoint]]\nname = \"sample\"\n"
            "url = \"" +
            h.server.base_url() +
            "\"\nprefixes = [\"mets\"]\ndocuments = true\n"
            "document_max_size = \"1KB\"\n" +
            more_toml);
    }
    void serve(std::vector<sample::SampleRecord> records) {
        sample::Repository repository;
        repository.formats = sample::standard_formats({"mets"});
        repository.records = std::move(records);
        h.server.set_repository(std::move(repository));
    }
    // --full: the sample's datestamps lie before the saved window, and unchanged records listed
    // again cost nothing.
    ProcessResult harvest() const { return h.run({"harvest", "--full"}); }
};

std::string contents(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

void run_sql(const std::string& db, const char* sql) {
    sqlite3* handle = nullptr;
    REQUIRE(sqlite3_open(db.c_str(), &handle) == SQLITE_OK);
    std::unique_ptr<sqlite3, decltype(&sqlite3_close)> closer(handle, sqlite3_close);
    // The search tables' tokenizer: a change of document_texts writes document_search.
    REQUIRE(store::detail::register_functions(handle) == SQLITE_OK);
    REQUIRE(sqlite3_exec(handle, sql, nullptr, nullptr, nullptr) == SQLITE_OK);
}

}  // namespace

TEST_CASE("A harvest with documents stores each body once and a re-harvest downloads nothing",
          "[integration][documents]") {
    DocumentsHarness t;
    const auto pdf = t.files.url("/1/paper.pdf");
    const auto text = t.files.url("/2/notes.txt");
    t.files.put("/1/paper.pdf", served("%PDF-1.4 the paper", "abc-1"));
    ServedFile notes = served("plain notes", "abc-2");
    notes.content_type = "text/plain";
    t.files.put("/2/notes.txt", notes);
    t.files.put("/big.pdf", served(std::string(2000, 'x'), "abc-3"));
    const std::string elsewhere = "http://localhost:" + std::to_string(t.files.port()) + "/x.pdf";
    t.serve(
        {listing(1, "2026-01-01T00:00:00Z", {{pdf, "application/pdf"}}),
         listing(2, "2026-01-01T00:00:00Z", {{pdf, "application/pdf"}, {text, "text/plain"}}),
         listing(3, "2026-01-01T00:00:00Z",
                 {{t.files.url("/big.pdf"), "application/pdf"}, {elsewhere, "application/pdf"}})});

    auto first = t.harvest();
    INFO(first.err);
    REQUIRE(first.exit_code == 0);
    CHECK(t.files.bodies_sent("/1/paper.pdf") == 1);  // two records list it: fetched once
    CHECK(files_under(t.folder / "sha256") == 2);
    CHECK(files_under(t.folder / "tmp") == 0);

    auto status = t.h.status();
    const auto& documents = status[0]["documents"];
    CHECK(documents["stored"] == 2);
    CHECK(documents["failed"] == 1);   // over document_max_size
    CHECK(documents["refused"] == 1);  // localhost is not the endpoint's host
    CHECK(documents["last_error"].get<std::string>().find("document_max_size") !=
          std::string::npos);

    auto printed = t.h.run({"status"});
    CHECK(printed.out.find("  documents: 2 stored, 0 pending, 1 failed, 1 refused\n") !=
          std::string::npos);
    CHECK(printed.out.find("  last document error ") != std::string::npos);

    auto shown = nlohmann::json::parse(t.h.run({"show", "oai:sample.oaiharvest.local:2"}).out);
    REQUIRE(shown["documents"].size() == 2);
    CHECK(shown["documents"][0]["url"] == pdf);
    CHECK(shown["documents"][0]["state"] == "stored");
    CHECK(std::filesystem::exists(shown["documents"][0]["path"].get<std::string>()));
    CHECK(shown["documents"][1]["mimetype"] == "text/plain");

    const auto harvested = util::now_utc();
    const auto sent = t.files.total_bodies_sent();
    auto again = t.harvest();
    REQUIRE(again.exit_code == 0);
    CHECK(t.files.total_bodies_sent() == sent);
    CHECK(t.files.requests("/1/paper.pdf") == 1);

    SECTION("a changed record revalidates with the ETag as sent, and a 304 downloads nothing") {
        // records.last_changed counts whole seconds: the change must fall in a later one than
        // the first harvest's for the mirror to see it as newer.
        REQUIRE(eventually([&] { return util::now_utc() > harvested; }));
        t.serve(
            {listing(1, "2026-02-01T00:00:00Z", {{pdf, "application/pdf"}}),
             listing(2, "2026-01-01T00:00:00Z", {{pdf, "application/pdf"}, {text, "text/plain"}}),
             listing(3, "2026-01-01T00:00:00Z", {})});
        REQUIRE(t.harvest().exit_code == 0);
        CHECK(t.files.requests("/1/paper.pdf") == 2);
        CHECK(t.files.bodies_sent("/1/paper.pdf") == 1);
        CHECK(t.files.last_if_none_match("/1/paper.pdf") == "abc-1");
    }
    SECTION("a deleted record's file is removed") {
        auto deleted = listing(2, "2026-02-01T00:00:00Z", {});
        deleted.deleted = true;
        deleted.mets.clear();
        t.serve({listing(1, "2026-01-01T00:00:00Z", {{pdf, "application/pdf"}}), deleted,
                 listing(3, "2026-01-01T00:00:00Z", {})});
        REQUIRE(t.harvest().exit_code == 0);
        CHECK(files_under(t.folder / "sha256") == 1);  // notes.txt gone, the paper kept
        auto after = t.h.status()[0]["documents"];
        CHECK(after["stored"] == 1);
        CHECK(after["failed"] == 0);
    }
}

TEST_CASE("A harvest killed mid-download stores everything when run again",
          "[integration][documents]") {
    DocumentsHarness t;
    ServedFile stalls = served(std::string(800, 'p'), "s-1");
    stalls.hold = true;
    t.files.put("/slow.pdf", stalls);
    t.files.put("/fast.pdf", served("%PDF fast", "f-1"));
    t.serve({listing(1, "2026-01-01T00:00:00Z",
                     {{t.files.url("/slow.pdf"), "application/pdf"},
                      {t.files.url("/fast.pdf"), "application/pdf"}})});

    auto args = std::vector<std::string>{"-c", *t.h.config, "--db", t.h.db, "harvest"};
    auto harvest = std::make_unique<BackgroundProcess>(args);
    REQUIRE(t.files.wait_for_hold(60));
    // Half a body, in flight.
    REQUIRE(eventually([&] { return files_under(t.folder / "tmp") == 1; }));
    harvest->signal(SIGKILL);
    CHECK(harvest->wait().signal == SIGKILL);

    ServedFile whole = served(std::string(800, 'p'), "s-1");
    t.files.put("/slow.pdf", whole);
    auto rerun = t.harvest();
    INFO(rerun.err);
    REQUIRE(rerun.exit_code == 0);
    auto documents = t.h.status()[0]["documents"];
    CHECK(documents["stored"] == 2);
    CHECK(documents["pending"] == 0);
    CHECK(files_under(t.folder / "sha256") == 2);
    CHECK(files_under(t.folder / "tmp") == 0);
}

TEST_CASE("Search finds words of a document's body, also after a kill between store and text",
          "[integration][documents]") {
    DocumentsHarness t;
    ServedFile notes = served("Minutes of the Zarafshon water council, kept by the river", "n-1");
    notes.content_type = "text/plain";
    t.files.put("/2/notes.txt", notes);
    t.serve({listing(1, "2026-01-01T00:00:00Z", {}),
             listing(2, "2026-01-01T00:00:00Z", {{t.files.url("/2/notes.txt"), "text/plain"}})});
    REQUIRE(t.harvest().exit_code == 0);

    auto identifiers_found = [&](const std::string& query) {
        auto hits = nlohmann::json::parse(t.h.run({"search", query, "--json"}).out);
        std::vector<std::string> found;
        for (const auto& hit : hits) {
            CHECK(hit["in_full_text"] == true);
            found.push_back(hit["identifier"]);
        }
        return found;
    };
    const std::vector<std::string> record_2{"oai:sample.oaiharvest.local:2"};
    CHECK(identifiers_found("Zarafshon council") == record_2);
    CHECK(t.h.run({"search", "Zarafshon"}).out.ends_with("  (in the full text)\n"));

    // What a kill between storing the body and indexing its text leaves: the body, no text.
    run_sql(t.h.db, "DELETE FROM document_texts");
    CHECK(identifiers_found("Zarafshon council").empty());
    const auto sent = t.files.total_bodies_sent();
    REQUIRE(t.harvest().exit_code == 0);
    CHECK(t.files.total_bodies_sent() == sent);  // the body is read from the mirror
    CHECK(identifiers_found("Zarafshon council") == record_2);
    auto shown = nlohmann::json::parse(t.h.run({"show", "oai:sample.oaiharvest.local:2"}).out);
    CHECK(shown["documents"][0]["text"]["status"] == "extracted");
}

TEST_CASE("export gives each document's path, and with --documents-dir a copy of its body",
          "[integration][documents]") {
    DocumentsHarness t;
    const auto paper = t.files.url("/1/paper.pdf");
    t.files.put("/1/paper.pdf", served("%PDF-1.4 the paper", "p-1"));
    t.serve({listing(1, "2026-01-01T00:00:00Z", {{paper, "application/pdf"}}),
             listing(2, "2026-01-01T00:00:00Z", {})});
    REQUIRE(t.harvest().exit_code == 0);
    const auto mirrored =
        nlohmann::json::parse(t.h.run({"show", "oai:sample.oaiharvest.local:1"}).out)["documents"];
    REQUIRE(mirrored.size() == 1);
    const std::string body = mirrored[0]["path"];

    auto exported = t.h.exported();
    REQUIRE(exported.size() == 2);
    CHECK(exported[0]["documents"] == mirrored);
    CHECK_FALSE(exported[1].contains("documents"));  // the contract's JSON, unchanged

    auto csv = lines_of(t.h.run({"export", "--format", "csv"}).out);
    REQUIRE(csv.size() == 3);
    CHECK(csv[0].ends_with(",parse_error,documents\r"));
    CHECK(csv[1].ends_with("," + body + "\r"));
    CHECK(csv[2].ends_with(",\r"));

    auto xml = t.h.run({"export", "--format", "xml"}).out;
    CHECK(xml.find("<document url=\"" + paper + "\" path=\"" + body + "\" size=\"18\" sha256=\"" +
                   mirrored[0]["sha256"].get<std::string>() + "\" mimetype=\"" +
                   mirrored[0]["mimetype"].get<std::string>() +
                   "\" state=\"stored\"/></oaiharvest>") != std::string::npos);

    SECTION("--documents-dir copies each body into a folder of the same layout") {
        const auto folder = t.h.dir.file("export-documents");
        auto run = t.h.run({"export", "--documents-dir", folder});
        INFO(run.err);
        REQUIRE(run.exit_code == 0);
        auto line = nlohmann::json::parse(lines_of(run.out).at(0));
        const std::string copy = line["documents"][0]["path"];
        CHECK(copy == folder + "/sha256/" + body.substr(body.size() - 64, 2) + "/" +
                          body.substr(body.size() - 64));
        CHECK(contents(copy) == "%PDF-1.4 the paper");
        CHECK(files_under(folder) == 1);
        // Again into the same folder: nothing copied twice, nothing changed.
        REQUIRE(t.h.run({"export", "--documents-dir", folder}).exit_code == 0);
        CHECK(files_under(folder) == 1);
        CHECK(contents(body) == "%PDF-1.4 the paper");
    }
    SECTION("a body missing from the mirror is named, and the export goes on without it") {
        std::filesystem::remove(body);
        auto run = t.h.run({"export", "--documents-dir", t.h.dir.file("out")});
        CHECK(run.exit_code == 0);
        CHECK(run.err.find("is missing from the mirror (" + body + ")") != std::string::npos);
        auto line = nlohmann::json::parse(lines_of(run.out).at(0));
        CHECK(line["documents"][0]["path"].is_null());
    }
    SECTION("a --documents-dir that cannot be made is a usage error") {
        auto run = t.h.run({"export", "--documents-dir", t.h.db + "/under-a-file"});
        CHECK(run.exit_code == 2);
        CHECK(run.err.find("cannot create --documents-dir") != std::string::npos);
    }
}

TEST_CASE("The [text] settings bound a document's text, and a broken PDF costs only its own",
          "[integration][documents]") {
    DocumentsHarness t("[text]\nmax_text_size = \"16B\"\n");
    ServedFile notes = served("Minutes of the Zarafshon water council", "n-1");
    notes.content_type = "text/plain";
    t.files.put("/notes.txt", notes);
    // A PDF cut off in its first object: poppler, in the worker, cannot open it.
    t.files.put("/broken.pdf", served("%PDF-1.7\n1 0 obj\n<< /Type /Catalog /Pages 2", "b-1"));
    t.serve({listing(1, "2026-01-01T00:00:00Z",
                     {{t.files.url("/broken.pdf"), "application/pdf"},
                      {t.files.url("/notes.txt"), "text/plain"}})});
    auto harvest = t.harvest();
    INFO(harvest.err);
    REQUIRE(harvest.exit_code == 0);
    auto shown = nlohmann::json::parse(t.h.run({"show", "oai:sample.oaiharvest.local:1"}).out);
    REQUIRE(shown["documents"].size() == 2);  // by URL: broken.pdf, notes.txt
    CHECK(shown["documents"][0]["state"] == "stored");
    CHECK(shown["documents"][0]["text"]["status"] == "failed");
    CHECK(shown["documents"][0]["text"]["error"].get<std::string>().find(
              shown["documents"][0]["path"].get<std::string>()) != std::string::npos);
    CHECK(shown["documents"][1]["text"]["status"] == "extracted");
    CHECK(shown["documents"][1]["text"]["bytes"] == 16);
    CHECK_FALSE(t.h.run({"search", "Minutes"}).out.empty());
    CHECK(t.h.run({"search", "council"}).out.empty());  // past the cap
}
