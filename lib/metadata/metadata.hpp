#pragma once
// Normalization: one record's metadata XML (EPrints METS, MODS 3.x or oai_dc) turned into the
// normalized fields of the contract's record JSON. Pure functions of their input; thread-safe
// (libxml2 is used per call, with no DTD, no entity substitution and no network).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

struct _xmlNode;

namespace oaiharvest::metadata {

struct Name {
    std::optional<std::string> given;
    std::optional<std::string> family;
    std::optional<std::string> display;  // displayForm, else "family, given", else the parts
    std::optional<std::string> role;     // roleTerm text; a code (aut, edt, ths ...) spelled out
    std::optional<std::string> affiliation;
    std::optional<std::string> orcid;
};

struct Host {
    std::optional<std::string> title;
    std::optional<std::string> issn;
    std::optional<std::string> volume;
    std::optional<std::string> issue;
    std::optional<std::string> pages;
};

struct Identifier {
    std::string type;  // doi, uri, isbn, issn, local, ... (lower-case)
    std::string value;
};

struct File {
    std::string href;
    std::optional<std::string> mimetype;
    std::optional<std::int64_t> size;
    std::optional<std::string> use;            // the file's USE, else its fileGrp's
    std::optional<std::string> checksum;       // not in the record JSON
    std::optional<std::string> checksum_type;  // CHECKSUMTYPE (MD5, SHA-256 ...)
};

struct MetsInfo {
    std::optional<std::string> objid;
    std::optional<std::string> created;
    std::optional<std::string> custodian;
    std::optional<std::string> last_modified;  // metsHdr LASTMODDATE; not in the record JSON
};

// The metadata-derived fields of a record; the header fields come from OAI-PMH.
struct Description {
    std::optional<std::string> title;
    std::optional<std::string> subtitle;
    std::vector<Name> names;
    std::optional<std::string> abstract;
    std::vector<std::string> subjects;
    std::optional<std::string> genre;
    std::optional<std::string> type;
    std::optional<std::string> language;
    std::optional<std::string> date_issued;  // ISO 8601 where it could be read, else as given
    std::optional<std::string> publisher;
    std::optional<std::string> place;  // originInfo place; not in the record JSON
    std::optional<Host> host;
    std::vector<Identifier> identifiers;
    std::vector<std::string> urls;
    std::vector<File> files;
    std::optional<std::string> rights;
    std::optional<MetsInfo> mets;            // only for a record wrapped in METS
    std::optional<std::string> parse_error;  // set when the metadata could not be read
};

// Reads metadata XML as stored (the child of <metadata>, standalone). The format is told by the
// root element (mets:mets, mods:mods or mods:modsCollection, oai_dc:dc), not by the prefix.
// Never throws for bad input: a record it cannot read comes back with parse_error set.
Description describe(std::string_view metadata_xml);

// The same from the metadata as a libxml2 tree, the root element being the child of <metadata>
// (the OAI reader builds one while the record streams in): no second parse.
Description describe(const _xmlNode& metadata_root);

// The OAI-PMH header fields of the record JSON.
struct Envelope {
    std::string endpoint;
    std::string identifier;
    std::string datestamp;
    bool deleted = false;
    std::string metadata_prefix;
    std::vector<std::string> sets;
};

// The contract's record JSON as compact text, every key present (null or [] when empty), in the
// contract's key order, written straight into a string (the store's hot path; a caller that
// wants a tree parses it with nlohmann::ordered_json). Strings are escaped as nlohmann's dump()
// escapes them, and a byte that is not valid UTF-8 becomes U+FFFD.
std::string to_json_text(const Envelope& envelope, const Description& description);

}  // namespace oaiharvest::metadata
