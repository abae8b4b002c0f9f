// Record::metadata and Record::about: the payload serialized back to XML so that it stands alone.
#include <libxml/c14n.h>
#include <libxml/parser.h>
#include <libxml/tree.h>

#include <catch2/catch.hpp>
#include <memory>
#include <set>

#include "reader_support.hpp"
#include "support/fixtures.hpp"

using namespace oaiharvest;
using namespace oaiharvest::oai;
using test::read_fixture;
using test::read_response;

namespace {

struct DocDeleter {
    void operator()(xmlDoc* doc) const { xmlFreeDoc(doc); }
};
using DocPtr = std::unique_ptr<xmlDoc, DocDeleter>;

constexpr const char* k_oai = "http://www.openarchives.org/OAI/2.0/";

// Parses xml on its own, with no network. Null unless it is well-formed and namespace-well-formed
// (every prefix declared).
DocPtr parse_alone(std::string_view xml) {
    xmlParserCtxtPtr ctxt = xmlNewParserCtxt();
    DocPtr doc(xmlCtxtReadMemory(ctxt, xml.data(), static_cast<int>(xml.size()), nullptr, nullptr,
                                 XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING));
    const bool ok = doc && ctxt->wellFormed && ctxt->nsWellFormed;
    xmlFreeParserCtxt(ctxt);
    return ok ? std::move(doc) : nullptr;
}

int in_subtree(void* apex, xmlNodePtr node, xmlNodePtr parent) {
    // A namespace node comes with its element as parent; an attribute has its element as parent.
    xmlNodePtr at = node->type == XML_NAMESPACE_DECL ? parent : node;
    for (; at != nullptr; at = at->parent) {
        if (at == apex) {
            return 1;
        }
    }
    return 0;
}

// Exclusive canonical XML (with comments) of the subtree at apex: equal for two subtrees that
// say the same, wherever their namespace declarations sit.
std::string canonical(xmlDoc* doc, xmlNode* apex) {
    xmlOutputBufferPtr buffer = xmlAllocOutputBuffer(nullptr);
    REQUIRE(xmlC14NExecute(doc, in_subtree, apex, XML_C14N_EXCLUSIVE_1_0, nullptr, 1, buffer) >= 0);
    std::string out(reinterpret_cast<const char*>(xmlOutputBufferGetContent(buffer)),
                    xmlOutputBufferGetSize(buffer));
    xmlOutputBufferClose(buffer);
    return out;
}

bool is_oai(xmlNode* node, const char* name) {
    return node->type == XML_ELEMENT_NODE && xmlStrEqual(node->name, BAD_CAST name) &&
           node->ns != nullptr && xmlStrEqual(node->ns->href, BAD_CAST k_oai);
}

xmlNode* first_element(xmlNode* node) {
    for (; node != nullptr; node = node->next) {
        if (node->type == XML_ELEMENT_NODE) {
            return node;
        }
    }
    return nullptr;
}

// The child of each record's <metadata>, in document order (null for a record without one).
void collect_metadata(xmlNode* node, std::vector<xmlNode*>& out) {
    for (; node != nullptr; node = node->next) {
        if (is_oai(node, "record")) {
            xmlNode* payload = nullptr;
            for (xmlNode* child = node->children; child != nullptr; child = child->next) {
                if (is_oai(child, "metadata")) {
                    payload = first_element(child->children);
                }
            }
            out.push_back(payload);
        } else if (node->type == XML_ELEMENT_NODE) {
            collect_metadata(node->children, out);
        }
    }
}

// The namespace declarations a subtree uses that are made outside it.
void used_from_outside(xmlNode* apex, xmlNode* node, std::set<xmlNs*>& out) {
    auto declared_inside = [apex](xmlNode* at, xmlNs* ns) {
        for (; at != nullptr; at = at->parent) {
            for (xmlNs* declared = at->nsDef; declared != nullptr; declared = declared->next) {
                if (declared == ns) {
                    return true;
                }
            }
            if (at == apex) {
                return false;
            }
        }
        return false;
    };
    for (; node != nullptr; node = node == apex ? nullptr : node->next) {
        if (node->type != XML_ELEMENT_NODE) {
            continue;
        }
        if (node->ns != nullptr && !declared_inside(node, node->ns) &&
            !xmlStrEqual(node->ns->prefix, BAD_CAST "xml")) {
            out.insert(node->ns);
        }
        for (xmlAttr* attribute = node->properties; attribute != nullptr;
             attribute = attribute->next) {
            if (attribute->ns != nullptr && !declared_inside(node, attribute->ns) &&
                !xmlStrEqual(attribute->ns->prefix, BAD_CAST "xml")) {
                out.insert(attribute->ns);
            }
        }
        used_from_outside(apex, node->children, out);
    }
}

int count_declarations(xmlNode* element) {
    int count = 0;
    for (xmlNs* ns = element->nsDef; ns != nullptr; ns = ns->next) {
        ++count;
    }
    return count;
}

// Every record of the file: its metadata parses alone, says canonically what the original
// subtree says, and its root declares exactly its own namespaces plus those it used from outside.
void check_standalone(const std::string& file) {
    INFO(file);
    const std::string body = read_fixture(file);
    auto reading = read_response(body);
    DocPtr original = parse_alone(body);
    REQUIRE(original);
    std::vector<xmlNode*> payloads;
    collect_metadata(xmlDocGetRootElement(original.get()), payloads);
    REQUIRE(payloads.size() == reading.events.records.size());
    for (std::size_t i = 0; i < payloads.size(); ++i) {
        const auto& record = reading.events.records[i];
        INFO(record.header.identifier);
        if (payloads[i] == nullptr) {
            CHECK(record.metadata.empty());
            continue;
        }
        DocPtr alone = parse_alone(record.metadata);
        REQUIRE(alone);
        xmlNode* root = xmlDocGetRootElement(alone.get());
        CHECK(canonical(alone.get(), root) == canonical(original.get(), payloads[i]));
        std::set<xmlNs*> outside;
        used_from_outside(payloads[i], payloads[i], outside);
        CHECK(count_declarations(root) ==
              count_declarations(payloads[i]) + static_cast<int>(outside.size()));
    }
}

std::string get_record(const std::string& payload, const std::string& root_attributes = "",
                       const std::string& record_attributes = "") {
    return "<?xml version='1.0' encoding='UTF-8'?>\n<OAI-PMH xmlns=\"" + std::string(k_oai) +
           "\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"" + root_attributes +
           "><GetRecord><record" + record_attributes +
           "><header><identifier>i</identifier><datestamp>d</datestamp></header>"
           "<metadata>" +
           payload + "</metadata></record></GetRecord></OAI-PMH>";
}

std::string metadata_of(const std::string& response) {
    auto reading = read_response(response);
    REQUIRE(reading.events.records.size() == 1);
    return reading.events.records[0].metadata;
}

}  // namespace

TEST_CASE("EPrints METS: the first record stands alone, with xsi declared on mets:mets",
          "[oai][metadata]") {
    auto reading = read_response(read_fixture("eprints-3.4/ListRecords_mets_page1.xml"));
    const std::string& mets = reading.events.records.at(0).metadata;
    const std::string start_tag = mets.substr(0, mets.find('>') + 1);
    CHECK(start_tag ==
          "<mets:mets xmlns:mets=\"http://www.loc.gov/METS/\" "
          "xmlns:mods=\"http://www.loc.gov/mods/v3\" xmlns:xlink=\"http://www.w3.org/1999/xlink\" "
          "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" OBJID=\"eprint_1\" "
          "LABEL=\"Eprints Item\" xsi:schemaLocation=\"http://www.loc.gov/METS/ "
          "http://www.loc.gov/standards/mets/mets.xsd http://www.loc.gov/mods/v3 "
          "http://www.loc.gov/standards/mods/v3/mods-3-3.xsd\">");
    // The OAI default namespace is in scope but unused: not added.
    CHECK(mets.find(k_oai) == std::string::npos);
    // XHTML paragraphs keep their own declaration.
    CHECK(mets.find("<p xmlns=\"http://www.w3.org/1999/xhtml\">") != std::string::npos);
    DocPtr alone = parse_alone(mets);
    REQUIRE(alone);
    CHECK(xmlStrEqual(xmlDocGetRootElement(alone.get())->name, BAD_CAST "mets"));
}

TEST_CASE("every record of every fixture stands alone and is canonically the original",
          "[oai][metadata]") {
    for (const char* file : {
             "eprints-3.4/ListRecords_mets_page1.xml",
             "eprints-3.4/ListRecords_mets_page2.xml",
             "eprints-3.4/ListRecords_mets_page3_last.xml",
             "eprints-3.4/ListRecords_mods_page1.xml",
             "eprints-3.4/ListRecords_oai_dc_page1.xml",
             "eprints-3.4/GetRecord_mets_2_with_file.xml",
             "eprints-3.4/GetRecord_mods_1.xml",
             "eprints-3.4/GetRecord_oai_dc_1.xml",
             "real/cdl_ListRecords_oai_dc_non-oai-identifiers.xml",
             "real/contentdm-usfca_GetRecord_oai_qdc.xml",
             "real/dspace-ucispace_ListRecords_didl.xml",
             "real/eprints-caltechauthors_ListRecords_oai_dc_2015-03.body.xml",
             "real/eprints-cogprints_ListRecords_oai_dc_2015-04.body.xml",
             "real/eprints-lshtm_ListRecords_oai_dc_2015-10_with-deleted.body.xml",
             "real/ojs-udea_ListRecords_oai_dc_deleted-and-token.xml",
             "real/tind-berkeley_ListRecords_marcxml.xml",
         }) {
        check_standalone(file);
    }
}

TEST_CASE("an unprefixed element in the OAI namespace gets xmlns added", "[oai][metadata]") {
    CHECK(metadata_of(get_record("\n  <dc><title>T</title></dc>\n")) ==
          "<dc xmlns=\"http://www.openarchives.org/OAI/2.0/\"><title>T</title></dc>");
    // With its own default namespace, nothing is added.
    CHECK(metadata_of(get_record("<dc xmlns=\"urn:dc\"><title>T</title></dc>")) ==
          "<dc xmlns=\"urn:dc\"><title>T</title></dc>");
    // Only deeper down: added on the root all the same.
    CHECK(metadata_of(get_record("<x:dc xmlns:x=\"urn:x\"><title>T</title></x:dc>")) ==
          "<x:dc xmlns:x=\"urn:x\" xmlns=\"http://www.openarchives.org/OAI/2.0/\"><title>T</title>"
          "</x:dc>");
}

TEST_CASE("declarations used from outside are added once, unused ones are not", "[oai][metadata]") {
    const std::string response =
        get_record("<a:x xmlns:a=\"urn:a\"><a:y><b:z b:n=\"1\"/><b:z/></a:y></a:x>",
                   " xmlns:unused=\"urn:unused\"", " xmlns:b=\"urn:b\"");
    CHECK(metadata_of(response) ==
          "<a:x xmlns:a=\"urn:a\" xmlns:b=\"urn:b\"><a:y><b:z b:n=\"1\"/><b:z/></a:y></a:x>");
}

TEST_CASE("an inner declaration stays where it was, the outer one is added for the rest",
          "[oai][metadata]") {
    const std::string response =
        get_record("<r xmlns=\"urn:r\"><p:a/><q xmlns:p=\"urn:inner\"><p:b/></q></r>",
                   " xmlns:p=\"urn:outer\"");
    CHECK(metadata_of(response) ==
          "<r xmlns=\"urn:r\" xmlns:p=\"urn:outer\"><p:a/><q xmlns:p=\"urn:inner\"><p:b/></q></r>");
}

TEST_CASE("xml:lang needs no declaration, an attribute's prefix does", "[oai][metadata]") {
    CHECK(metadata_of(get_record("<dc xmlns=\"urn:dc\" xml:lang=\"en\" xsi:type=\"t\"/>")) ==
          "<dc xmlns=\"urn:dc\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" "
          "xml:lang=\"en\" xsi:type=\"t\"/>");
}

TEST_CASE("text and attributes are escaped again so they read back the same", "[oai][metadata]") {
    const std::string payload =
        "<dc xmlns=\"urn:dc\" a=\"&lt;&amp;&gt;&quot;'&#9;&#10;&#13;\" b='\"' c=\"x\ty\nz\">"
        "a &lt; b &amp;&amp; c &gt; d &#13;&#10;é Ўзбек\t "
        "<![CDATA[<x> & ]]]]><!-- note --><?pi some data?><e/><f></f>\n</dc>";
    const std::string metadata = metadata_of(get_record(payload));
    CHECK(metadata ==
          "<dc xmlns=\"urn:dc\" a=\"&lt;&amp;&gt;&quot;'&#9;&#10;&#13;\" b=\"&quot;\" c=\"x y z\">"
          "a &lt; b &amp;&amp; c &gt; d &#13;\né Ўзбек\t &lt;x&gt; &amp; ]]<!-- note -->"
          "<?pi some data?><e/><f/>\n</dc>");
    DocPtr original = parse_alone(payload);
    DocPtr alone = parse_alone(metadata);
    REQUIRE(original);
    REQUIRE(alone);
    CHECK(canonical(alone.get(), xmlDocGetRootElement(alone.get())) ==
          canonical(original.get(), xmlDocGetRootElement(original.get())));
}

TEST_CASE("each about child stands alone too", "[oai][metadata]") {
    const std::string response = get_record(
        "<dc xmlns=\"urn:dc\"/></metadata><about><provenance xmlns=\"urn:p\"><x/>"
        "</provenance></about><about> <rights>r</rights> </about><metadata>");
    // The second <metadata> is not the protocol's, but harmless: its (absent) child adds nothing.
    auto reading = read_response(response);
    REQUIRE(reading.events.records.size() == 1);
    const auto& about = reading.events.records[0].about;
    REQUIRE(about.size() == 2);
    CHECK(about[0] == "<provenance xmlns=\"urn:p\"><x/></provenance>");
    CHECK(about[1] == "<rights xmlns=\"http://www.openarchives.org/OAI/2.0/\">r</rights>");
    CHECK(reading.events.records[0].metadata == "<dc xmlns=\"urn:dc\"/>");
}

namespace {
// Takes each record's buffers away, as a handler that keeps them would.
class TakingHandler : public ResponseHandler {
public:
    std::vector<std::string> taken;
    void on_record(Record& record) override { taken.push_back(std::move(record.metadata)); }
};
}  // namespace

TEST_CASE("a handler may take the record's strings", "[oai][metadata]") {
    const std::string body = read_fixture("eprints-3.4/ListRecords_oai_dc_page1.xml");
    TakingHandler handler;
    ResponseReader reader(handler);
    reader.feed(body);
    reader.finish();
    auto copied = read_response(body);
    REQUIRE(handler.taken.size() == copied.events.records.size());
    for (std::size_t i = 0; i < handler.taken.size(); ++i) {
        CHECK(handler.taken[i] == copied.events.records[i].metadata);
    }
}
