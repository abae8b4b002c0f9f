#pragma once
// oai_dc made from a normalized record (issue 14): what the data provider serves as oai_dc for a
// record that was not harvested in oai_dc. Pure; thread-safe.

#include <string>
#include <string_view>

namespace oaiharvest::serve {

// `record_json`: the record's normalized JSON (the contract's record JSON, as store::StoredRecord
// holds it). Returns one <oai_dc:dc> element with its namespaces declared, valid against
// oai_dc.xsd. Throws std::invalid_argument when the text is not a record JSON object.
std::string oai_dc_from_record_json(std::string_view record_json);

}  // namespace oaiharvest::serve
