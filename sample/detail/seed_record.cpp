// The seed record (tests/fixtures/seeds/000_* and 001_*), byte for byte: record 1 of every
// sample repository, so a harvest of the sample yields the contract's example record.
// Generated from the fixtures; unit_sample checks that the bytes still match them.

#include "sample/detail/seed_record.hpp"

namespace oaiharvest::sample::detail {

// clang-format off
const std::string_view k_seed_mods = R"seed(<mods:mods version="3.3" xsi:schemaLocation="http://www.loc.gov/mods/v3 http://www.loc.gov/standards/mods/v3/mods-3-3.xsd" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:mods="http://www.loc.gov/mods/v3"><mods:titleInfo><mods:title>MECHANISMS FOR DEVELOPING CULTURAL DIPLOMACY  BETWEEN THE REPUBLICS OF KYRGYZSTAN AND TAJIKISTAN</mods:title></mods:titleInfo><mods:name type="personal"><mods:namePart type="given">Feruza</mods:namePart><mods:namePart type="family">Nazarova</mods:namePart><mods:role><mods:roleTerm type="text">author</mods:roleTerm></mods:role></mods:name><mods:abstract>&amp;nbsp;In this article, author examines the mechanisms for developing cultural diplomacy between the Kyrgyzstan and Tajikistan as a strategic instrument for enhancing bilateral relations, fostering social cohesion, and mitigating conflict risks in a historically sensitive border context. Methodologically, the article employs qualitative analysis of policy documents, bilateral agreements, and regional cooperation frameworks, complemented by comparative insights from Central Asian diplomatic practice. The findings identify key institutional, societal, and discursive mechanisms shaping Kyrgyz–Tajik cultural diplomacy, including intergovernmental cultural commissions, educational and academic exchanges, joint heritage and language initiatives, people-to-people diplomacy, and the role of civil society and local communities in border regions. Particular attention is given to the integrative potential&amp;nbsp;of shared historical narratives, cross-border cultural events, and youth-oriented programs in counteracting securitization and politicization of identity. The article argues that effective cultural diplomacy requires institutional continuity, depoliticization of cultural cooperation, and alignment with broader regional confidence-building measures. &amp;nbsp;</mods:abstract><mods:originInfo><mods:dateIssued encoding="iso8601">2026-01-01</mods:dateIssued></mods:originInfo><mods:originInfo><mods:publisher>FAN, TA’LIM, TEXNOLOGIYA VA ISHLAB CHIQARISH INTEGRATSIYASI ASOSIDA RIVOJLANISH ISTIQBOLLARI</mods:publisher></mods:originInfo><mods:genre>Maqola</mods:genre></mods:mods>)seed";

const std::string_view k_seed_mets = R"seed(<mets:mets OBJID="eprint_85694" LABEL="Eprints Item" xsi:schemaLocation="http://www.loc.gov/METS/ http://www.loc.gov/standards/mets/mets.xsd http://www.loc.gov/mods/v3 http://www.loc.gov/standards/mods/v3/mods-3-3.xsd" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:mets="http://www.loc.gov/METS/" xmlns:mods="http://www.loc.gov/mods/v3" xmlns:xlink="http://www.w3.org/1999/xlink"><mets:metsHdr CREATEDATE="2026-06-03T02:27:02Z"><mets:agent TYPE="ORGANIZATION" ROLE="CUSTODIAN"><mets:name>Arxiv Universal Publishings</mets:name></mets:agent></mets:metsHdr><mets:dmdSec ID="DMD_eprint_85694_mods"><mets:mdWrap MDTYPE="MODS"><mets:xmlData><mods:titleInfo><mods:title>MECHANISMS FOR DEVELOPING CULTURAL DIPLOMACY  BETWEEN THE REPUBLICS OF KYRGYZSTAN AND TAJIKISTAN</mods:title></mods:titleInfo><mods:name type="personal"><mods:namePart type="given">Feruza</mods:namePart><mods:namePart type="family">Nazarova</mods:namePart><mods:role><mods:roleTerm type="text">author</mods:roleTerm></mods:role></mods:name><mods:abstract>&amp;nbsp;In this article, author examines the mechanisms for developing cultural diplomacy between the Kyrgyzstan and Tajikistan as a strategic instrument for enhancing bilateral relations, fostering social cohesion, and mitigating conflict risks in a historically sensitive border context. Methodologically, the article employs qualitative analysis of policy documents, bilateral agreements, and regional cooperation frameworks, complemented by comparative insights from Central Asian diplomatic practice. The findings identify key institutional, societal, and discursive mechanisms shaping Kyrgyz–Tajik cultural diplomacy, including intergovernmental cultural commissions, educational and academic exchanges, joint heritage and language initiatives, people-to-people diplomacy, and the role of civil society and local communities in border regions. Particular attention is given to the integrative potential&amp;nbsp;of shared historical narratives, cross-border cultural events, and youth-oriented programs in counteracting securitization and politicization of identity. The article argues that effective cultural diplomacy requires institutional continuity, depoliticization of cultural cooperation, and alignment with broader regional confidence-building measures. &amp;nbsp;</mods:abstract><mods:originInfo><mods:dateIssued encoding="iso8601">2026-01-01</mods:dateIssued></mods:originInfo><mods:originInfo><mods:publisher>FAN, TA’LIM, TEXNOLOGIYA VA ISHLAB CHIQARISH INTEGRATSIYASI ASOSIDA RIVOJLANISH ISTIQBOLLARI</mods:publisher></mods:originInfo><mods:genre>Maqola</mods:genre></mets:xmlData></mets:mdWrap></mets:dmdSec><mets:amdSec ID="TMD_eprint_85694"><mets:rightsMD ID="rights_eprint_85694_mods"><mets:mdWrap MDTYPE="MODS"><mets:xmlData><mods:useAndReproduction>
<p xmlns="http://www.w3.org/1999/xhtml"><strong>For work being deposited by its own author:</strong>
In self-archiving this collection of files and associated bibliographic
metadata, I grant Arxiv Universal Publishings the right to store
them and to make them permanently available publicly for free on-line.
I declare that this material is my own intellectual property and I
understand that Arxiv Universal Publishings does not assume any
responsibility if there is any breach of copyright in distributing these
files or metadata. (All authors are urged to prominently assert their
copyright on the title page of their work.)</p>

<p xmlns="http://www.w3.org/1999/xhtml"><strong>For work being deposited by someone other than its
author:</strong> I hereby declare that the collection of files and
associated bibliographic metadata that I am archiving at
Arxiv Universal Publishings is in the public domain. If this is
not the case, I accept full responsibility for any breach of copyright
that distributing these files or metadata may entail.</p>

<p xmlns="http://www.w3.org/1999/xhtml">Clicking on the <em>Deposit Item Now</em> button indicates your agreement to these
terms.</p>
    </mods:useAndReproduction></mets:xmlData></mets:mdWrap></mets:rightsMD></mets:amdSec><mets:fileSec></mets:fileSec><mets:structMap><mets:div DMDID="DMD_eprint_85694_mods" ADMID="TMD_eprint_85694"></mets:div></mets:structMap></mets:mets>)seed";

// EPrints' oai_dc rendering of the same item; the site URL goes between the two parts.
const std::string_view k_seed_oai_dc_before_site = R"seed(<oai_dc:dc xmlns:oai_dc="http://www.openarchives.org/OAI/2.0/oai_dc/" xmlns:dc="http://purl.org/dc/elements/1.1/" xsi:schemaLocation="http://www.openarchives.org/OAI/2.0/oai_dc/ http://www.openarchives.org/OAI/2.0/oai_dc.xsd">
        <dc:relation>)seed";
const std::string_view k_seed_oai_dc_after_site = R"seed(/id/eprint/1/</dc:relation>
        <dc:title>MECHANISMS FOR DEVELOPING CULTURAL DIPLOMACY  BETWEEN THE REPUBLICS OF KYRGYZSTAN AND TAJIKISTAN</dc:title>
        <dc:creator>Nazarova, Feruza</dc:creator>
        <dc:description>&amp;nbsp;In this article, author examines the mechanisms for developing cultural diplomacy between the Kyrgyzstan and Tajikistan as a strategic instrument for enhancing bilateral relations, fostering social cohesion, and mitigating conflict risks in a historically sensitive border context. Methodologically, the article employs qualitative analysis of policy documents, bilateral agreements, and regional cooperation frameworks, complemented by comparative insights from Central Asian diplomatic practice. The findings identify key institutional, societal, and discursive mechanisms shaping Kyrgyz–Tajik cultural diplomacy, including intergovernmental cultural commissions, educational and academic exchanges, joint heritage and language initiatives, people-to-people diplomacy, and the role of civil society and local communities in border regions. Particular attention is given to the integrative potential&amp;nbsp;of shared historical narratives, cross-border cultural events, and youth-oriented programs in counteracting securitization and politicization of identity. The article argues that effective cultural diplomacy requires institutional continuity, depoliticization of cultural cooperation, and alignment with broader regional confidence-building measures. &amp;nbsp;</dc:description>
        <dc:publisher>FAN, TA’LIM, TEXNOLOGIYA VA ISHLAB CHIQARISH INTEGRATSIYASI ASOSIDA RIVOJLANISH ISTIQBOLLARI</dc:publisher>
        <dc:date>2026-01-01</dc:date>
        <dc:type>Maqola</dc:type>
        <dc:type>NonPeerReviewed</dc:type>
        <dc:identifier>  Nazarova, Feruza  (2026) MECHANISMS FOR DEVELOPING CULTURAL DIPLOMACY BETWEEN THE REPUBLICS OF KYRGYZSTAN AND TAJIKISTAN.         </dc:identifier></oai_dc:dc>)seed";
// clang-format on

}  // namespace oaiharvest::sample::detail
