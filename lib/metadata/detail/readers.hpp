#pragma once
// The readers of the three formats, each from a parsed element into a Description. Within one
// reader the first value of a single-valued field wins and lists collect, without duplicates.
// Pure functions of the document; thread-safe.

#include <libxml/tree.h>

#include <optional>
#include <string>

#include "metadata/metadata.hpp"

namespace oaiharvest::metadata::detail {

// Reads the MODS elements under container: a mods:mods element, a mods:modsCollection (its first
// record), or an EPrints mets:xmlData holding MODS elements directly (a mods:mods wrapper in it
// is read instead). Fields already set in d are kept.
void read_mods(const xmlNode* container, Description& d);

struct ModsTitle {
    std::optional<std::string> title;  // nonSort + title
    std::optional<std::string> subtitle;
};

// The main title under container: the first titleInfo without a type (not abbreviated,
// translated, alternative or uniform) that has a title, else the first that has one.
ModsTitle read_mods_title(const xmlNode* container);

// A relatedItem type="host": its main title, ISSN, and volume, issue and pages from its part.
Host read_mods_host(const xmlNode* related_item);

// A mods:part's volume, issue and pages (extent start-end, or its list), where host has none.
void read_mods_part(const xmlNode* part, Host& host);

// One mods:name: its given and family parts, displayForm, first role (a MARC relator code
// spelled out), affiliation and ORCID. nullopt when it names nobody.
std::optional<Name> read_mods_name(const xmlNode* name);

// Reads a mets:mets element: metsHdr, every dmdSec (the first that has a field gives it), the
// rights of amdSec rightsMD, the fileSec. Sets d.mets.
void read_mets(const xmlNode* root, Description& d);

// Reads Dublin Core: the dc (and dcterms) children of root (oai_dc:dc, a qualified-DC record, or
// a METS xmlData). Fields already set in d are kept.
void read_dc(const xmlNode* root, Description& d);

// Moves into `into` each field of `from` that is empty (null or []) in `into`.
void fill_gaps(Description& into, Description&& from);

}  // namespace oaiharvest::metadata::detail
