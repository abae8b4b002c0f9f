#pragma once
// What the web page tests start from: a mirror holding real EPrints records and hostile ones,
// opened read-only as `oaiharvest serve` opens it, and the pages' HTML parsed by libxml2's HTML
// parser so that tests look at elements and text as a browser would, not at bytes.
//
// The mirror: endpoint "eprints" with the 258 records of the EPrints 3.4 fixture's three mets
// pages (5 of them deleted) and the first oai_dc page again in oai_dc (a record in two
// formats is one record), and endpoint "hostile" with the two mods records below: one hostile,
// one in Cyrillic with a name that has no family part (UNESCO).

#include <libxml/HTMLparser.h>
#include <libxml/xpath.h>

#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "harvest/normalize.hpp"
#include "oai/reader.hpp"
#include "serve/web/web.hpp"
#include "store/document_text.hpp"
#include "store/documents.hpp"
#include "store/store.hpp"
#include "support/fixture_records.hpp"
#include "support/fixtures.hpp"
#include "support/temp_dir.hpp"
#include "util/time.hpp"

namespace oaiharvest::test {

using Query = std::vector<std::pair<std::string, std::string>>;

// Hostile record content: markup in a title, a name that would close an attribute, links that
// would run script, and a Cyrillic title with Uzbek Latin in its subject, each as a repository
// could send it (escaped in the XML, so the normalized text holds the characters).
inline const std::string k_hostile_title = "<script>alert(1)</script>";
inline const std::string k_hostile_family = "\" onmouseover=\"x";
inline const std::string k_quote_url = "https://example.org/a?b=1&c=\"onmouseover=\"alert(7)";
inline const std::string k_cyrillic_title = "Ўзбекистон тарихи: O‘zbekiston";

inline std::string hostile_mods() {
    return "<mods:mods xmlns:mods=\"http://www.loc.gov/mods/v3\">"
           "<mods:titleInfo><mods:title>&lt;script&gt;alert(1)&lt;/script&gt;</mods:title>"
           "</mods:titleInfo>"
           "<mods:name type=\"personal\"><mods:namePart type=\"family\">\" onmouseover=\"x"
           "</mods:namePart><mods:namePart type=\"given\">Eve</mods:namePart>"
           "<mods:role><mods:roleTerm type=\"text\">author</mods:roleTerm></mods:role>"
           "</mods:name>"
           "<mods:abstract>&lt;b onclick=\"alert(2)\"&gt;bold&lt;/b&gt;</mods:abstract>"
           "<mods:location><mods:url>javascript:alert(3)</mods:url>"
           "<mods:url>data:text/html,&lt;script&gt;alert(4)&lt;/script&gt;</mods:url>"
           "<mods:url> javascript:alert(5)</mods:url>"
           "<mods:url>https://example.org/a?b=1&amp;c=\"onmouseover=\"alert(7)</mods:url>"
           "</mods:location>"
           "<mods:identifier type=\"uri\">javascript:alert(6)</mods:identifier>"
           "<mods:originInfo><mods:dateIssued>2024</mods:dateIssued></mods:originInfo>"
           "</mods:mods>";
}

inline std::string cyrillic_mods() {
    return "<mods:mods xmlns:mods=\"http://www.loc.gov/mods/v3\">"
           "<mods:titleInfo><mods:title>Ўзбекистон тарихи: O‘zbekiston</mods:title>"
           "</mods:titleInfo>"
           "<mods:name type=\"corporate\"><mods:namePart>UNESCO</mods:namePart></mods:name>"
           "<mods:name type=\"personal\"><mods:namePart type=\"family\">Ўринбоев"
           "</mods:namePart><mods:namePart type=\"given\">Азиз</mods:namePart></mods:name>"
           "<mods:language><mods:languageTerm type=\"code\" "
           "authority=\"iso639-2b\">uzb</mods:languageTerm></mods:language>"
           "<mods:originInfo><mods:dateIssued>1999</mods:dateIssued></mods:originInfo>"
           "</mods:mods>";
}

class WebMirror {
public:
    WebMirror() {
        {
            auto db = store::Store::open(m_dir.file("mirror.db"));
            auto eprints = db->endpoint("eprints", "http://127.0.0.1:18180/cgi/oai2");
            for (const char* page : {"page1", "page2", "page3_last"}) {
                put(*db, eprints, "mets",
                    response_records(std::string("eprints-3.4/ListRecords_mets_") + page + ".xml"));
            }
            put(*db, eprints, "oai_dc",
                response_records("eprints-3.4/ListRecords_oai_dc_page1.xml"));
            add_document_text(*db, eprints.id);
            auto hostile = db->endpoint("hostile", "javascript:alert(8)");
            oai::Record script;
            script.header = {"oai:hostile:1", "2026-01-01T00:00:00Z", {"\"><script>x</script>"}};
            script.metadata = hostile_mods();
            oai::Record cyrillic;
            cyrillic.header = {"oai:hostile:ў/2 &x", "2026-01-02T00:00:00Z", {}};
            cyrillic.metadata = cyrillic_mods();
            std::vector<oai::Record> records;
            records.push_back(std::move(script));
            records.push_back(std::move(cyrillic));
            put(*db, hostile, "mods", std::move(records));
        }
        m_store = store::Store::open_read_only(m_dir.file("mirror.db"));
    }

    store::Store& store() { return *m_store; }

    serve::WebReply get(std::string_view path, const Query& query = {}) {
        return serve::web_page(*m_store, path, query);
    }

    // The word only the one stored document's text holds (see add_document_text).
    static constexpr const char* k_body_word = "quetzalcoatl";

private:
    // The first file the eprints records list, stored with a text of its own, as the documents
    // stage (issue 15) would leave it.
    static void add_document_text(store::Store& db, store::EndpointId endpoint) {
        const std::string sha256(64, 'a');
        store::sync_documents(db, endpoint, {"text/plain"});
        const auto due = store::due_documents(db, endpoint, util::now_utc(), 0, 1);
        store::mark_document_stored(db, due.at(0).id, {sha256, 100, "text/plain", {}, {}},
                                    util::now_utc());
        store::put_text(db, sha256,
                        {fulltext::TextStatus::extracted,
                         std::string("Minutes of the ") + k_body_word + " council",
                         1,
                         {}});
    }

    static void put(store::Store& db, const store::EndpointFacts& endpoint,
                    const std::string& prefix, std::vector<oai::Record> records) {
        auto scope = db.scope(endpoint.id, prefix, "");
        const auto run = db.begin_run(scope, util::now_utc(), std::nullopt, std::nullopt, false);
        auto page = db.begin_page(run, scope);
        for (const auto& record : records) {
            harvest::put(page, record);
        }
        page.commit(scope, store::PageEnd{std::nullopt, "2026-06-01T00:00:00Z"}, {});
        db.finish_run(run, store::Outcome::ok, util::now_utc(), {}, std::nullopt);
    }

    TempDir m_dir;
    std::unique_ptr<store::Store> m_store;
};

// A page's HTML as libxml2's HTML parser reads it (no network, errors not printed: HTML5
// elements it does not know are still elements), queried with XPath.
class HtmlDoc {
public:
    explicit HtmlDoc(const std::string& html)
        : m_doc(htmlReadMemory(html.data(), static_cast<int>(html.size()), "page.html", "UTF-8",
                               HTML_PARSE_NONET | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING)) {
        if (!m_doc) {
            throw std::runtime_error("the page is not HTML libxml2 can read");
        }
    }

    // The text of each node the expression selects (an attribute's value, an element's text
    // with its descendants').
    std::vector<std::string> texts(const char* xpath) const {
        std::vector<std::string> out;
        std::unique_ptr<xmlXPathContext, void (*)(xmlXPathContext*)> context(
            xmlXPathNewContext(m_doc.get()), xmlXPathFreeContext);
        if (!context) {
            throw std::runtime_error("no XPath context");
        }
        std::unique_ptr<xmlXPathObject, void (*)(xmlXPathObject*)> result(
            xmlXPathEvalExpression(reinterpret_cast<const xmlChar*>(xpath), context.get()),
            xmlXPathFreeObject);
        if (!result) {
            throw std::runtime_error(std::string("bad XPath ") + xpath);
        }
        if (result->nodesetval == nullptr) {
            return out;
        }
        for (int i = 0; i < result->nodesetval->nodeNr; ++i) {
            xmlChar* content = xmlNodeGetContent(result->nodesetval->nodeTab[i]);
            out.emplace_back(content ? reinterpret_cast<const char*>(content) : "");
            xmlFree(content);
        }
        return out;
    }

    std::size_t count(const char* xpath) const { return texts(xpath).size(); }

    // The single node's text; throws when the expression selects none or several.
    std::string text(const char* xpath) const {
        auto all = texts(xpath);
        if (all.size() != 1) {
            throw std::runtime_error(std::string(xpath) + " selects " + std::to_string(all.size()) +
                                     " nodes");
        }
        return all.front();
    }

private:
    struct Free {
        void operator()(xmlDoc* doc) const { xmlFreeDoc(doc); }
    };
    std::unique_ptr<xmlDoc, Free> m_doc;
};

// Whether any of the values contains `part`.
inline bool any_contains(const std::vector<std::string>& values, std::string_view part) {
    for (const auto& v : values) {
        if (v.find(part) != std::string::npos) {
            return true;
        }
    }
    return false;
}

}  // namespace oaiharvest::test
