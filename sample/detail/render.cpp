#include "sample/detail/render.hpp"

#include "sample/detail/text.hpp"

namespace oaiharvest::sample::detail {
namespace {

// EPrints' default deposit agreement, which its METS export puts in rightsMD.
void append_rights(std::string& out, const std::string& custodian) {
    const std::string name = escaped(custodian);
    out += "<mods:useAndReproduction>\n";
    out +=
        "<p xmlns=\"http://www.w3.org/1999/xhtml\"><strong>For work being deposited by its own "
        "author:</strong>\nIn self-archiving this collection of files and associated "
        "bibliographic\nmetadata, I grant ";
    out += name;
    out +=
        " the right to store\nthem and to make them permanently available publicly for free "
        "on-line.\nI declare that this material is my own intellectual property and I\n"
        "understand that ";
    out += name;
    out +=
        " does not assume any\nresponsibility if there is any breach of copyright in "
        "distributing these\nfiles or metadata. (All authors are urged to prominently assert "
        "their\ncopyright on the title page of their work.)</p>\n\n";
    out +=
        "<p xmlns=\"http://www.w3.org/1999/xhtml\"><strong>For work being deposited by someone "
        "other than its\nauthor:</strong> I hereby declare that the collection of files and\n"
        "associated bibliographic metadata that I am archiving at\n";
    out += name;
    out +=
        " is in the public domain. If this is\nnot the case, I accept full responsibility for "
        "any breach of copyright\nthat distributing these files or metadata may entail.</p>\n\n";
    out +=
        "<p xmlns=\"http://www.w3.org/1999/xhtml\">Clicking on the <em>Deposit Item Now</em> "
        "button indicates your agreement to these\nterms.</p>\n    "
        "</mods:useAndReproduction>";
}

void append_element(std::string& out, std::string_view open, std::string_view text,
                    std::string_view close) {
    out += open;
    append_escaped(out, text);
    out += close;
}

// The MODS elements EPrints writes, shared by the mods format and METS' dmdSec.
void append_mods_elements(std::string& out, const Work& work) {
    append_element(out, "<mods:titleInfo><mods:title>", work.title,
                   "</mods:title></mods:titleInfo>");
    for (const auto& author : work.authors) {
        append_element(out, "<mods:name type=\"personal\"><mods:namePart type=\"given\">",
                       author.given, "</mods:namePart>");
        append_element(out, "<mods:namePart type=\"family\">", author.family,
                       "</mods:namePart><mods:role><mods:roleTerm type=\"text\">author"
                       "</mods:roleTerm></mods:role></mods:name>");
    }
    append_element(out, "<mods:abstract>", work.abstract, "</mods:abstract>");
    for (const auto& subject : work.subjects) {
        append_element(out, "<mods:classification authority=\"lcc\">", subject,
                       "</mods:classification>");
    }
    append_element(out, "<mods:originInfo><mods:dateIssued encoding=\"iso8601\">", work.date_issued,
                   "</mods:dateIssued></mods:originInfo>");
    append_element(out, "<mods:originInfo><mods:publisher>", work.publisher,
                   "</mods:publisher></mods:originInfo>");
    append_element(out, "<mods:genre>", work.genre, "</mods:genre>");
}

std::string citation_names(const Work& work) {
    std::string names;
    for (const auto& author : work.authors) {
        if (!names.empty()) {
            names += " and ";
        }
        names += author.family + ", " + author.given;
    }
    return names;
}

void append_dc(std::string& out, std::string_view element, std::string_view text) {
    out += "\n        <dc:";
    out += element;
    out += '>';
    append_escaped(out, text);
    out += "</dc:";
    out += element;
    out += '>';
}

}  // namespace

std::string render_mets(const Work& work) {
    const std::string id = "eprint_" + std::to_string(work.number);
    std::string out;
    out.reserve(4096 + work.abstract.size());
    out +=
        "<mets:mets xmlns:mets=\"http://www.loc.gov/METS/\" "
        "xmlns:mods=\"http://www.loc.gov/mods/v3\" xmlns:xlink=\"http://www.w3.org/1999/xlink\" "
        "OBJID=\"" +
        id +
        "\" LABEL=\"Eprints Item\" xsi:schemaLocation=\"http://www.loc.gov/METS/ "
        "http://www.loc.gov/standards/mets/mets.xsd http://www.loc.gov/mods/v3 "
        "http://www.loc.gov/standards/mods/v3/mods-3-3.xsd\">";
    out += "<mets:metsHdr CREATEDATE=\"" + work.created + "\">";
    append_element(out, "<mets:agent ROLE=\"CUSTODIAN\" TYPE=\"ORGANIZATION\"><mets:name>",
                   work.custodian, "</mets:name></mets:agent></mets:metsHdr>");
    out += "<mets:dmdSec ID=\"DMD_" + id + "_mods\"><mets:mdWrap MDTYPE=\"MODS\"><mets:xmlData>";
    append_mods_elements(out, work);
    out += "</mets:xmlData></mets:mdWrap></mets:dmdSec>";
    out += "<mets:amdSec ID=\"TMD_" + id + "\"><mets:rightsMD ID=\"rights_" + id +
           "_mods\"><mets:mdWrap MDTYPE=\"MODS\"><mets:xmlData>";
    append_rights(out, work.custodian);
    out += "</mets:xmlData></mets:mdWrap></mets:rightsMD></mets:amdSec>";
    const std::string div = "<mets:div DMDID=\"DMD_" + id + "_mods\" ADMID=\"TMD_" + id + "\"";
    if (work.file) {
        const std::string href = escaped(work.file->url);
        out += "<mets:fileSec><mets:fileGrp USE=\"reference\"><mets:file ID=\"" + id +
               "_1_1\" SIZE=\"" + std::to_string(work.file->size) + "\" OWNERID=\"" + href +
               "\" MIMETYPE=\"" + work.file->mimetype +
               "\"><mets:FLocat LOCTYPE=\"URL\" xlink:type=\"simple\" xlink:href=\"" + href +
               "\"/></mets:file></mets:fileGrp></mets:fileSec>";
        // EPrints' fptr names the document, not the file: the IDs never match.
        out += "<mets:structMap>" + div + "><mets:fptr FILEID=\"" + id +
               "_document_1_1\"/></mets:div></mets:structMap>";
    } else {
        out += "<mets:fileSec/><mets:structMap>" + div + "/></mets:structMap>";
    }
    out += "</mets:mets>";
    return out;
}

std::string render_mods(const Work& work) {
    std::string out;
    out.reserve(2048 + work.abstract.size());
    out +=
        "<mods:mods xmlns:mods=\"http://www.loc.gov/mods/v3\" version=\"3.3\" "
        "xsi:schemaLocation=\"http://www.loc.gov/mods/v3 "
        "http://www.loc.gov/standards/mods/v3/mods-3-3.xsd\">";
    append_mods_elements(out, work);
    out += "</mods:mods>";
    return out;
}

std::string render_oai_dc(const Work& work) {
    std::string out;
    out.reserve(2048 + work.abstract.size());
    out +=
        "<oai_dc:dc xmlns:oai_dc=\"http://www.openarchives.org/OAI/2.0/oai_dc/\" "
        "xmlns:dc=\"http://purl.org/dc/elements/1.1/\" "
        "xsi:schemaLocation=\"http://www.openarchives.org/OAI/2.0/oai_dc/ "
        "http://www.openarchives.org/OAI/2.0/oai_dc.xsd\">";
    append_dc(out, "relation", work.site_url + "/id/eprint/" + std::to_string(work.number) + "/");
    append_dc(out, "title", work.title);
    for (const auto& author : work.authors) {
        append_dc(out, "creator", author.family + ", " + author.given);
    }
    for (const auto& subject : work.subjects) {
        append_dc(out, "subject", subject);
    }
    append_dc(out, "description", work.abstract);
    append_dc(out, "publisher", work.publisher);
    append_dc(out, "date", work.date_issued);
    append_dc(out, "type", work.genre);
    append_dc(out, "type", work.peer_reviewed ? "PeerReviewed" : "NonPeerReviewed");
    if (work.file) {
        append_dc(out, "format", "text");
        append_dc(out, "language", "en");
        append_dc(out, "identifier", work.file->url);
    }
    // EPrints' citation keeps the padding of its template's empty slots.
    append_dc(out, "identifier",
              "  " + citation_names(work) + "  (" + work.date_issued.substr(0, 4) + ") " +
                  work.title + ".  " + work.venue + "     ");
    if (!work.doi.empty()) {
        append_dc(out, "relation", work.doi);
        append_dc(out, "identifier", work.doi);
    }
    out += "</oai_dc:dc>";
    return out;
}

}  // namespace oaiharvest::sample::detail
