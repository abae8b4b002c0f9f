// The catalogue as downstream users read it: search, show and the three export formats of the
// real binary, over a harvest of the sample repository.

#include <libxml/c14n.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <sqlite3.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <fstream>
#include <map>
#include <memory>
#include <set>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "harness.hpp"
#include "util/time.hpp"

using namespace oaiharvest;
using test::Harness;

namespace {

const std::string k_seed = "oai:sample.oaiharvest.local:1";
const std::string k_seed_title =
    "MECHANISMS FOR DEVELOPING CULTURAL DIPLOMACY BETWEEN THE REPUBLICS OF KYRGYZSTAN AND "
    "TAJIKISTAN";

// The seed's cleaned abstract and rights (tests/unit/metadata/golden/001_mets_seed.json).
const std::string k_seed_abstract =
    "In this article, author examines the mechanisms for developing cultural "
    "diplomacy between the Kyrgyzstan and Tajikistan as a strategic instrument "
    "for enhancing bilateral relations, fostering social cohesion, and "
    "mitigating conflict risks in a historically sensitive border context. "
    "Methodologically, the article employs qualitative analysis of policy "
    "documents, bilateral agreements, and regional cooperation frameworks, "
    "complemented by comparative insights from Central Asian diplomatic "
    "practice. The findings identify key institutional, societal, and discursive "
    "mechanisms shaping Kyrgyz–Tajik cultural diplomacy, including "
    "intergovernmental cultural commissions, educational and academic exchanges, "
    "joint heritage and language initiatives, people-to-people diplomacy, and "
    "the role of civil society and local communities in border regions. "
    "Particular attention is given to the integrative potential of shared "
    "historical narratives, cross-border cultural events, and youth-oriented "
    "programs in counteracting securitization and politicization of identity. "
    "The article argues that effective cultural diplomacy requires institutional "
    "continuity, depoliticization of cultural cooperation, and alignment with "
    "broader regional confidence-building measures.";
const std::string k_seed_rights =
    "For work being deposited by its own author: In self-archiving this "
    "collection of files and associated bibliographic metadata, I grant Arxiv "
    "Universal Publishings the right to store them and to make them permanently "
    "available publicly for free on-line. I declare that this material is my own "
    "intellectual property and I understand that Arxiv Universal Publishings "
    "does not assume any responsibility if there is any breach of copyright in "
    "distributing these files or metadata. (All authors are urged to prominently "
    "assert their copyright on the title page of their work.)\nFor work being "
    "deposited by someone other than its author: I hereby declare that the "
    "collection of files and associated bibliographic metadata that I am "
    "archiving at Arxiv Universal Publishings is in the public domain. If this "
    "is not the case, I accept full responsibility for any breach of copyright "
    "that distributing these files or metadata may entail.\nClicking on the "
    "Deposit Item Now button indicates your agreement to these terms.";

// The keys of the contract's record JSON (CONTRACT.md, "Normalized record"), in its order.
const std::vector<std::string> k_record_keys = {
    "endpoint",  "identifier", "datestamp",   "deleted",  "metadata_prefix",
    "sets",      "title",      "subtitle",    "names",    "abstract",
    "subjects",  "genre",      "type",        "language", "date_issued",
    "publisher", "host",       "identifiers", "urls",     "files",
    "rights",    "mets",       "parse_error"};
const std::vector<std::string> k_name_keys = {"given", "family", "display", "role"};
const std::vector<std::string> k_host_keys = {"title", "issn", "volume", "issue", "pages"};
const std::vector<std::string> k_identifier_keys = {"type", "value"};
const std::vector<std::string> k_file_keys = {"href", "mimetype", "size", "use"};
const std::vector<std::string> k_mets_keys = {"objid", "created", "custodian"};

// The CSV header of docs/cli.md.
const std::vector<std::string> k_csv_header = {
    "endpoint",   "identifier",   "datestamp",      "deleted",     "metadata_prefix",
    "sets",       "title",        "subtitle",       "names",       "abstract",
    "subjects",   "genre",        "type",           "language",    "date_issued",
    "publisher",  "host_title",   "host_issn",      "host_volume", "host_issue",
    "host_pages", "identifiers",  "urls",           "files",       "rights",
    "mets_objid", "mets_created", "mets_custodian", "parse_error", "documents"};

std::vector<std::string> keys_of(const nlohmann::ordered_json& object) {
    std::vector<std::string> keys;
    for (const auto& [key, value] : object.items()) {
        keys.push_back(key);
    }
    return keys;
}

std::vector<nlohmann::ordered_json> json_lines(const std::string& text) {
    std::vector<nlohmann::ordered_json> lines;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) {
        lines.push_back(nlohmann::ordered_json::parse(line));
    }
    return lines;
}

std::vector<std::string> identifiers_of(const std::vector<nlohmann::ordered_json>& records) {
    std::vector<std::string> out;
    for (const auto& r : records) {
        out.push_back(r["identifier"].get<std::string>());
    }
    std::sort(out.begin(), out.end());
    return out;
}

std::string sample_id(int number) {
    return "oai:sample.oaiharvest.local:" + std::to_string(number);
}

// RFC 4180: records end in CRLF, fields are separated by commas, a field holding a comma, a
// quote, CR or LF is quoted and its quotes doubled. Anything else is an error, not a guess.
struct Csv {
    std::vector<std::vector<std::string>> rows;
    std::size_t quoted_with_comma = 0;
    std::size_t quoted_with_quote = 0;
    std::size_t quoted_with_newline = 0;
};

Csv parse_csv(const std::string& text) {
    Csv csv;
    std::vector<std::string> row;
    std::size_t i = 0;
    auto fail = [&](const std::string& why) {
        throw std::runtime_error("CSV row " + std::to_string(csv.rows.size() + 1) + ", byte " +
                                 std::to_string(i) + ": " + why);
    };
    while (i < text.size()) {
        std::string field;
        if (text[i] == '"') {
            ++i;
            bool comma = false, quote = false, newline = false;
            for (;;) {
                if (i >= text.size()) {
                    fail("unterminated quoted field");
                }
                char c = text[i++];
                if (c == '"') {
                    if (i < text.size() && text[i] == '"') {
                        field += '"';
                        quote = true;
                        ++i;
                        continue;
                    }
                    break;
                }
                comma = comma || c == ',';
                newline = newline || c == '\n' || c == '\r';
                field += c;
            }
            csv.quoted_with_comma += comma;
            csv.quoted_with_quote += quote;
            csv.quoted_with_newline += newline;
        } else {
            while (i < text.size() && text[i] != ',' && text[i] != '\r') {
                if (text[i] == '"' || text[i] == '\n') {
                    fail("a quote or line feed in an unquoted field");
                }
                field += text[i++];
            }
        }
        row.push_back(std::move(field));
        if (i < text.size() && text[i] == ',') {
            ++i;
            if (i == text.size()) {
                fail("a comma at the end of the text");
            }
        } else if (text.compare(i, 2, "\r\n") == 0) {
            i += 2;
            csv.rows.push_back(std::move(row));
            row.clear();
        } else {
            fail("a field not followed by a comma or CRLF");
        }
    }
    if (!row.empty()) {
        fail("the last record does not end in CRLF");
    }
    return csv;
}

std::string joined(const nlohmann::ordered_json& list, const char* member = nullptr) {
    std::string out;
    for (const auto& item : list) {
        const auto& value = member ? item[member] : item;
        out += (out.empty() ? "" : "; ") + value.get<std::string>();
    }
    return out;
}

std::string text_or_empty(const nlohmann::ordered_json& value) {
    return value.is_null() ? std::string() : value.get<std::string>();
}

struct DocFree {
    void operator()(xmlDoc* doc) const { xmlFreeDoc(doc); }
};
using XmlDocPtr = std::unique_ptr<xmlDoc, DocFree>;

std::string name_of(const xmlNode* node) {
    return reinterpret_cast<const char*>(node->name);
}

std::string content_of(const xmlNode* node) {
    xmlChar* text = xmlNodeGetContent(node);
    std::string out = reinterpret_cast<const char*>(text);
    xmlFree(text);
    return out;
}

std::vector<xmlNode*> element_children(xmlNode* node, const std::string& name = "") {
    std::vector<xmlNode*> out;
    for (xmlNode* c = node->children; c != nullptr; c = c->next) {
        if (c->type == XML_ELEMENT_NODE && (name.empty() || name_of(c) == name)) {
            out.push_back(c);
        }
    }
    return out;
}

// Exclusive C14N of one element where it stands, namespaces in scope included: compared with
// the canonical form of the record as the server sent it, it shows that the export neither
// changed the metadata nor put any of it into another namespace (the OAI-PMH default one).
std::string canonical_subtree(xmlDoc* doc, xmlNode* element) {
    auto visible = [](void* root, xmlNode* node, xmlNode* parent) -> int {
        const xmlNode* n = node->type == XML_NAMESPACE_DECL ? parent : node;
        for (; n != nullptr; n = n->parent) {
            if (n == root) {
                return 1;
            }
        }
        return 0;
    };
    xmlOutputBuffer* out = xmlAllocOutputBuffer(nullptr);
    REQUIRE(out);
    int rc = xmlC14NExecute(doc, visible, element, XML_C14N_EXCLUSIVE_1_0, nullptr, 0, out);
    std::string text(reinterpret_cast<const char*>(xmlOutputBufferGetContent(out)),
                     xmlOutputBufferGetSize(out));
    xmlOutputBufferClose(out);
    REQUIRE(rc >= 0);
    return text;
}

// Sets last_changed of every record back to 2020, as if the first harvest were long ago: the
// mirror's times have one-second resolution, and tests do not sleep.
void backdate_mirror(const std::string& db) {
    sqlite3* handle = nullptr;
    REQUIRE(sqlite3_open(db.c_str(), &handle) == SQLITE_OK);
    std::unique_ptr<sqlite3, decltype(&sqlite3_close)> closer(handle, sqlite3_close);
    REQUIRE(sqlite3_exec(handle, "UPDATE records SET last_changed = '2020-01-01T00:00:00Z'",
                         nullptr, nullptr, nullptr) == SQLITE_OK);
}

}  // namespace

TEST_CASE("search finds the seed first by its author and by its subject, as text and JSON",
          "[integration][catalogue]") {
    Harness h;
    REQUIRE(h.harvest().exit_code == 0);
    // "cultural diplomacy" as the shell passes it unquoted (both words) and as an FTS5 phrase.
    for (const std::string query : {"Nazarova", "cultural diplomacy", "\"cultural diplomacy\""}) {
        INFO(query);
        auto text = h.run({"search", query});
        INFO(text.err);
        REQUIRE(text.exit_code == 0);
        std::string first = text.out.substr(0, text.out.find('\n'));
        CHECK(first == k_seed + "  2026  Nazarova, Feruza  " + k_seed_title);
        // The sample generates neither the name nor the phrase: the seed is the only hit.
        CHECK(std::count(text.out.begin(), text.out.end(), '\n') == 1);

        auto json = h.run({"search", query, "--json"});
        REQUIRE(json.exit_code == 0);
        auto hits = nlohmann::ordered_json::parse(json.out);
        REQUIRE(hits.size() == 1);
        CHECK(keys_of(hits[0]) == std::vector<std::string>{"endpoint", "identifier", "year",
                                                           "names", "title", "rank",
                                                           "in_full_text"});
        CHECK(hits[0]["endpoint"] == "sample");
        CHECK(hits[0]["identifier"] == k_seed);
        CHECK(hits[0]["year"] == 2026);
        CHECK(hits[0]["names"] == nlohmann::ordered_json::array({"Nazarova, Feruza"}));
        CHECK(hits[0]["title"] == k_seed_title);
        CHECK(hits[0]["rank"].is_number());
        CHECK(hits[0]["in_full_text"] == false);  // no documents mirrored
    }

    // A word many records share: best first (bm25: lower is better), at most --limit.
    auto many = nlohmann::json::parse(h.run({"search", "diplomacy", "--json", "--limit", "7"}).out);
    REQUIRE(many.size() == 7);
    for (std::size_t i = 1; i < many.size(); ++i) {
        CHECK(many[i - 1]["rank"].get<double>() <= many[i]["rank"].get<double>());
    }
    std::set<std::string> distinct;
    for (const auto& hit : many) {
        distinct.insert(hit["identifier"].get<std::string>());
    }
    CHECK(distinct.size() == 7);
}

TEST_CASE("show prints the contract's record JSON for the seed, every key in order",
          "[integration][catalogue]") {
    Harness h;
    REQUIRE(h.harvest().exit_code == 0);
    auto shown = h.run({"show", k_seed});
    INFO(shown.err);
    REQUIRE(shown.exit_code == 0);
    auto record = nlohmann::ordered_json::parse(shown.out);

    auto source = sample::make_sample_record(1, h.generate);
    std::vector<std::string> sets = source.sets;
    std::sort(sets.begin(), sets.end());
    // The contract's example, with the sample's header (endpoint, identifier, datestamp, sets).
    nlohmann::ordered_json expected = {
        {"endpoint", "sample"},
        {"identifier", k_seed},
        {"datestamp", source.datestamp},
        {"deleted", false},
        {"metadata_prefix", "mets"},
        {"sets", sets},
        {"title", k_seed_title},
        {"subtitle", nullptr},
        {"names",
         {{{"given", "Feruza"},
           {"family", "Nazarova"},
           {"display", "Nazarova, Feruza"},
           {"role", "author"}}}},
        {"abstract", k_seed_abstract},
        {"subjects", nlohmann::ordered_json::array()},
        {"genre", "Maqola"},
        {"type", nullptr},
        {"language", nullptr},
        {"date_issued", "2026-01-01"},
        {"publisher",
         "FAN, TA’LIM, TEXNOLOGIYA VA ISHLAB CHIQARISH INTEGRATSIYASI ASOSIDA RIVOJLANISH "
         "ISTIQBOLLARI"},
        {"host", nullptr},
        {"identifiers", nlohmann::ordered_json::array()},
        {"urls", nlohmann::ordered_json::array()},
        {"files", nlohmann::ordered_json::array()},
        {"rights", k_seed_rights},
        {"mets",
         {{"objid", "eprint_85694"},
          {"created", "2026-06-03T02:27:02Z"},
          {"custodian", "Arxiv Universal Publishings"}}},
        {"parse_error", nullptr}};
    CHECK(record.dump(2) == expected.dump(2));
}

TEST_CASE("every line of the JSONL export has exactly the contract's keys, live or deleted",
          "[integration][catalogue]") {
    // The sample generates no host and no identifier in METS: record 4 gets both, so that
    // their shapes are checked too.
    sample::GenerateOptions options;
    Harness h(options);
    auto repo = sample::make_sample_repository(options);
    auto& with_host = repo.records[3];
    auto at = with_host.mets.find("</mets:xmlData>");
    REQUIRE(at != std::string::npos);
    with_host.mets.insert(
        at,
        "<mods:relatedItem type=\"host\"><mods:titleInfo><mods:title>Journal of Central Asian "
        "Studies</mods:title></mods:titleInfo><mods:identifier type=\"issn\">2181-2586</"
        "mods:identifier><mods:part><mods:detail type=\"volume\"><mods:number>4</mods:number>"
        "</mods:detail></mods:part></mods:relatedItem><mods:identifier type=\"doi\">10.1234/"
        "sample.4</mods:identifier>");
    h.server.set_repository(std::move(repo));
    REQUIRE(h.harvest().exit_code == 0);
    auto result = h.run({"export", "--format", "jsonl", "--include-deleted"});
    REQUIRE(result.exit_code == 0);
    auto records = json_lines(result.out);
    REQUIRE(records.size() == 300);

    std::size_t deleted = 0, hosts = 0, identifiers = 0, files = 0;
    for (const auto& r : records) {
        INFO(r["identifier"]);
        CHECK(keys_of(r) == k_record_keys);
        CHECK(r["deleted"].is_boolean());
        CHECK(r["sets"].is_array());
        for (const char* list : {"names", "subjects", "identifiers", "urls", "files"}) {
            CHECK(r[list].is_array());
        }
        for (const auto& n : r["names"]) {
            CHECK(keys_of(n) == k_name_keys);
        }
        for (const auto& i : r["identifiers"]) {
            CHECK(keys_of(i) == k_identifier_keys);
            ++identifiers;
        }
        for (const auto& f : r["files"]) {
            CHECK(keys_of(f) == k_file_keys);
            ++files;
        }
        if (!r["host"].is_null()) {
            CHECK(keys_of(r["host"]) == k_host_keys);
            ++hosts;
        }
        if (r["deleted"].get<bool>()) {
            ++deleted;
            // A tombstone never seen live: the header only, every other key still there.
            CHECK(r["title"].is_null());
            CHECK(r["names"].empty());
            CHECK(r["mets"].is_null());
        } else {
            REQUIRE(r["mets"].is_object());
            CHECK(keys_of(r["mets"]) == k_mets_keys);
        }
    }
    CHECK(deleted == 8);
    // The nested shapes were all seen, so the checks above were not vacuous.
    CHECK(hosts == 1);
    CHECK(identifiers >= 1);
    CHECK(files > 0);
    auto record_4 = std::find_if(records.begin(), records.end(),
                                 [](const auto& r) { return r["identifier"] == sample_id(4); });
    REQUIRE(record_4 != records.end());
    CHECK((*record_4)["host"]["title"] == "Journal of Central Asian Studies");
    CHECK((*record_4)["host"]["issn"] == "2181-2586");
    CHECK((*record_4)["host"]["volume"] == "4");
    CHECK((*record_4)["host"]["pages"].is_null());
}

TEST_CASE("the CSV export is RFC 4180: a header, one row per record, lists joined by semicolons",
          "[integration][catalogue]") {
    sample::GenerateOptions options;
    options.records = 120;
    Harness h(options);
    // A title with a quote, a comma and a line break, so that every quoting rule is used.
    auto repo = sample::make_sample_repository(options);
    auto& odd = repo.records[3];  // record 4
    auto at = odd.mets.find("</mods:title>");
    REQUIRE(at != std::string::npos);
    odd.mets.insert(at, ": the \"new\" way, revisited");
    h.server.set_repository(std::move(repo));
    REQUIRE(h.harvest().exit_code == 0);

    for (bool include_deleted : {false, true}) {
        INFO("include_deleted " << include_deleted);
        std::vector<std::string> args{"export", "--format", "csv"};
        std::vector<std::string> json_args{"export", "--format", "jsonl"};
        if (include_deleted) {
            args.push_back("--include-deleted");
            json_args.push_back("--include-deleted");
        }
        auto result = h.run(args);
        REQUIRE(result.exit_code == 0);
        Csv csv = parse_csv(result.out);
        auto records = json_lines(h.run(json_args).out);
        CHECK(records.size() == (include_deleted ? 120u : 117u));
        REQUIRE(csv.rows.size() == records.size() + 1);
        CHECK(csv.rows[0] == k_csv_header);
        CHECK(csv.quoted_with_comma > 0);
        CHECK(csv.quoted_with_quote >= 1);
        CHECK(csv.quoted_with_newline > 0);  // the seed's rights: two paragraphs

        std::map<std::string, const nlohmann::ordered_json*> by_id;
        for (const auto& r : records) {
            by_id[r["identifier"].get<std::string>()] = &r;
        }
        for (std::size_t i = 1; i < csv.rows.size(); ++i) {
            const auto& row = csv.rows[i];
            REQUIRE(row.size() == k_csv_header.size());
            INFO(row[1]);
            REQUIRE(by_id.contains(row[1]));
            const auto& r = *by_id[row[1]];
            CHECK(row[0] == "sample");
            CHECK(row[2] == r["datestamp"]);
            CHECK(row[3] == (r["deleted"].get<bool>() ? "true" : "false"));
            CHECK(row[5] == joined(r["sets"]));
            CHECK(row[6] == text_or_empty(r["title"]));
            CHECK(row[8] == joined(r["names"], "display"));
            CHECK(row[9] == text_or_empty(r["abstract"]));
            CHECK(row[10] == joined(r["subjects"]));
            CHECK(row[23] == joined(r["files"], "href"));
            CHECK(row[24] == text_or_empty(r["rights"]));
            CHECK(row[25] == (r["mets"].is_null() ? "" : r["mets"]["objid"].get<std::string>()));
        }
    }
    auto rows = parse_csv(h.run({"export", "--format", "csv"}).out).rows;
    auto odd_row = std::find_if(rows.begin(), rows.end(),
                                [](const auto& row) { return row[1] == sample_id(4); });
    REQUIRE(odd_row != rows.end());
    CHECK((*odd_row)[6].ends_with(": the \"new\" way, revisited"));
}

TEST_CASE("the XML export is well-formed OAI-PMH holding each record's header and metadata",
          "[integration][catalogue]") {
    Harness h;
    REQUIRE(h.harvest().exit_code == 0);
    for (bool include_deleted : {false, true}) {
        INFO("include_deleted " << include_deleted);
        std::vector<std::string> args{"export", "--format", "xml"};
        if (include_deleted) {
            args.push_back("--include-deleted");
        }
        auto result = h.run(args);
        REQUIRE(result.exit_code == 0);
        XmlDocPtr doc(xmlReadMemory(result.out.data(), static_cast<int>(result.out.size()), nullptr,
                                    "UTF-8",
                                    XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING));
        REQUIRE(doc);
        xmlNode* root = xmlDocGetRootElement(doc.get());
        REQUIRE(name_of(root) == "OAI-PMH");
        REQUIRE(root->ns);
        CHECK(std::string(reinterpret_cast<const char*>(root->ns->href)) ==
              "http://www.openarchives.org/OAI/2.0/");
        auto lists = element_children(root, "ListRecords");
        REQUIRE(lists.size() == 1);
        auto records = element_children(lists[0], "record");
        CHECK(records.size() == (include_deleted ? 300u : 292u));

        std::size_t deleted = 0;
        for (xmlNode* record : records) {
            auto header = element_children(record, "header");
            REQUIRE(header.size() == 1);
            auto identifier = element_children(header[0], "identifier");
            REQUIRE(identifier.size() == 1);
            std::string id = content_of(identifier[0]);
            INFO(id);
            auto number = std::stoul(id.substr(id.rfind(':') + 1));
            auto source = sample::make_sample_record(number, h.generate);
            auto datestamp = element_children(header[0], "datestamp");
            REQUIRE(datestamp.size() == 1);
            CHECK(content_of(datestamp[0]) == source.datestamp);
            std::set<std::string> sets;
            for (xmlNode* set : element_children(header[0], "setSpec")) {
                sets.insert(content_of(set));
            }
            // Like EPrints, the sample sends a deleted record's header without its sets.
            CHECK(sets == (source.deleted
                               ? std::set<std::string>{}
                               : std::set<std::string>(source.sets.begin(), source.sets.end())));
            xmlChar* status = xmlGetProp(header[0], reinterpret_cast<const xmlChar*>("status"));
            CHECK((status != nullptr) == source.deleted);
            xmlFree(status);

            auto metadata = element_children(record, "metadata");
            if (source.deleted) {
                ++deleted;
                CHECK(metadata.empty());
                continue;
            }
            REQUIRE(metadata.size() == 1);
            auto content = element_children(metadata[0]);
            REQUIRE(content.size() == 1);
            CHECK(canonical_subtree(doc.get(), content[0]) ==
                  test::canonical_xml(test::standalone(source.mets)));
        }
        CHECK(deleted == (include_deleted ? 8u : 0u));
    }
}

TEST_CASE(
    "export --since gives what changed in the mirror since then, and --include-deleted "
    "adds the deletions",
    "[integration][catalogue]") {
    sample::GenerateOptions options;
    options.records = 120;
    Harness h(options);
    REQUIRE(h.harvest().exit_code == 0);
    backdate_mirror(h.db);

    // Record 5 changes, 6 is withdrawn, 121 is new.
    auto repo = sample::make_sample_repository(options);
    auto later = util::format_utc_seconds(util::now_utc() + std::chrono::hours(1));
    for (auto& r : repo.records) {
        if (r.identifier == sample_id(5)) {
            r.datestamp = later;
            r.mets.insert(r.mets.find("</mods:title>"), " (revised)");
        } else if (r.identifier == sample_id(6)) {
            r.datestamp = later;
            r.deleted = true;
        }
    }
    auto added = sample::make_sample_record(121, options);
    added.datestamp = later;
    repo.records.push_back(added);
    h.server.set_repository(std::move(repo));

    const std::string before_second = util::format_utc_seconds(util::now_utc());
    REQUIRE(h.harvest().exit_code == 0);

    auto exported = [&](std::vector<std::string> extra) {
        std::vector<std::string> args{"export", "--format", "jsonl"};
        args.insert(args.end(), extra.begin(), extra.end());
        auto result = h.run(args);
        INFO(result.err);
        REQUIRE(result.exit_code == 0);
        return json_lines(result.out);
    };
    CHECK(identifiers_of(exported({"--since", before_second})) ==
          std::vector<std::string>{sample_id(121), sample_id(5)});
    auto with_deleted = exported({"--since", before_second, "--include-deleted"});
    CHECK(identifiers_of(with_deleted) ==
          std::vector<std::string>{sample_id(121), sample_id(5), sample_id(6)});
    for (const auto& r : with_deleted) {
        CHECK(r["deleted"] == (r["identifier"] == sample_id(6)));
    }
    // A date alone is midnight UTC; the rest of the mirror last changed on 2020-01-01.
    CHECK(exported({"--since", "2020-01-02"}).size() == 2);
    CHECK(exported({"--since", "2020-01-01"}).size() == 117);  // 121 less 4 deleted
    CHECK(exported({"--since", "2020-01-01", "--include-deleted"}).size() == 121);
    CHECK(exported({"--since", "2020-01-01T00:00:01Z"}).size() == 2);
    auto unknown = h.run({"export", "--endpoint", "elsewhere"});
    CHECK(unknown.exit_code == 2);
    CHECK_THAT(unknown.err, Catch::Contains("no endpoint named \"elsewhere\""));
    CHECK(exported({"--endpoint", "sample"}).size() == 117);

    // --output writes the same to a file.
    auto file = h.dir.file("changes.jsonl");
    REQUIRE(h.run({"export", "--since", before_second, "--include-deleted", "--output", file})
                .exit_code == 0);
    std::ifstream in(file, std::ios::binary);
    std::stringstream written;
    written << in.rdbuf();
    CHECK(json_lines(written.str()) == with_deleted);

    auto bad = h.run({"export", "--since", "last week"});
    CHECK(bad.exit_code == 2);
    CHECK(bad.err.find("--since \"last week\" is not a date") != std::string::npos);
}

TEST_CASE("an unreadable search query is explained without the SQL behind it",
          "[integration][catalogue]") {
    Harness h;
    REQUIRE(h.harvest().exit_code == 0);
    for (const std::string query : {"\"unbalanced", "title:", "AND"}) {
        INFO(query);
        auto result = h.run({"search", "--fts5", query});
        INFO(result.err);
        CHECK(result.exit_code == 2);
        CHECK(result.err.find("is not a valid FTS5 query") != std::string::npos);
        CHECK(result.err.find("SELECT") == std::string::npos);
        CHECK(result.err.find(h.db) == std::string::npos);
        // The same text as plain words is no error (issue 17).
        CHECK(h.run({"search", query}).exit_code == 0);
    }
}
