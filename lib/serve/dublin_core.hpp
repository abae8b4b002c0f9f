#pragma once
// oai_dc made from a normalized record (issue 14): what the data provider serves as oai_dc for a
// record that was not harvested in oai_dc. Pure; thread-safe.
//
// The record JSON's fields as Dublin Core 1.1 (each value once, in the record's order):
//   title (": " subtitle)        dc:title        names[].display (else "family, given")
//   role author, creator or none dc:creator      any other role: dc:contributor
//   subjects[]                   dc:subject      abstract: dc:description
//   publisher                    dc:publisher    date_issued: dc:date
//   genre, type                  dc:type         files[].mimetype: dc:format
//   identifiers[] (a DOI as https://doi.org/..., "ISBN ...", "ISSN ..."), urls[],
//   files[].href                 dc:identifier
//   host: "Title; Vol. V, No. I; pp. P" and "ISSN ..."                   dc:source
//   language                     dc:language     rights: dc:rights
// So that our own oai_dc reader (lib/metadata) reads these fields back from it. Null, empty and
// non-string values are left out. Every value is escaped by libxml2's xmlTextWriter; characters
// XML 1.0 forbids (C0 controls but tab, LF and CR; U+FFFE, U+FFFF) and bytes that are not UTF-8
// become U+FFFD.

#include <string>
#include <string_view>

namespace oaiharvest::serve {

// `record_json`: the record's normalized JSON (the contract's record JSON, as store::StoredRecord
// holds it). Returns one <oai_dc:dc> element with its namespaces declared, valid against
// oai_dc.xsd. Throws std::invalid_argument when the text is not a record JSON object.
std::string oai_dc_from_record_json(std::string_view record_json);

}  // namespace oaiharvest::serve
