#pragma once
// The mirror as oaiharvest's OAI-PMH data provider serves it (issue 14; docs/serving.md).
//
// What is served: each record once per format, in (last_changed, row id) order, so that a list
// can be resumed after any row it sent and an incremental harvest from the mirror gets exactly
// what changed in it. Two views of the rows:
// - a harvested format (`mods`, `mets`, ...): the copy harvested in it, as stored;
// - every record's current copy (`Selection::current`): the newest of its copies across formats
//   (ties: the oai_dc copy, then the one stored first), from which the provider makes oai_dc.
// An identifier held by several endpoints is served from the one first harvested (the lowest
// endpoint id) alone: a repository's identifiers are unique, so the others are not served.
// Same threading as Store.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "store/store.hpp"

namespace oaiharvest::store {

struct ServedCopy {
    std::int64_t row_id = 0;
    std::string endpoint;
    std::string identifier;
    std::string metadata_prefix;  // the format the copy was harvested in
    std::string last_changed;     // UTC "YYYY-MM-DDThh:mm:ssZ": the served datestamp
    bool deleted = false;
    // The record's newest copy across formats (ties: oai_dc, then the one stored first).
    bool current = false;
    std::vector<std::string> sets;  // the setSpecs the endpoint gave it, sorted
    // With Content::records only: the harvested XML (nullopt: never seen live) and the
    // normalized record JSON.
    std::optional<std::string> metadata;
    std::optional<std::string> json;
};

struct Selection {
    // A harvested format's copies; nullopt: every record's current copy.
    std::optional<std::string> metadata_prefix;
    std::optional<std::string> endpoint;  // only this endpoint's records
    // Only records the endpoint put in this set or in one beneath it (`a` holds `a:b`).
    std::optional<std::string> set;
    // last_changed bounds, inclusive, as UTC text.
    std::optional<std::string> from;
    std::string until;
};

// Where a list stands: after the row it sent last (empty and 0 before the first).
struct ServedPosition {
    std::string after_changed;
    std::int64_t after_id = 0;
};

enum class Content { headers, records };

// The next `limit` copies of the selection after `position`.
std::vector<ServedCopy> served_page(Store& store, const Selection& selection,
                                    const ServedPosition& position, int limit, Content content);
// How many copies the selection holds.
std::int64_t served_count(Store& store, const Selection& selection);

// The copies of one identifier at the endpoint that serves it, with content; empty when the
// mirror does not hold it.
std::vector<ServedCopy> served_record(Store& store, const std::string& identifier);

struct ServedEndpoint {
    std::string name;
    std::optional<std::string> repository_name;
};
// Every endpoint, by name.
std::vector<ServedEndpoint> served_endpoints(Store& store);
// The endpoint's setSpecs found on its records, sorted (a scan of the endpoint's records).
std::vector<std::string> served_set_specs(Store& store, const std::string& endpoint);
// The formats harvested into the mirror, sorted.
std::vector<std::string> served_prefixes(Store& store);
// One stored document of the format, for what it declares (its namespace and schema).
std::optional<std::string> sample_metadata(Store& store, const std::string& metadata_prefix);
// The oldest last_changed of any record; nullopt for an empty mirror.
std::optional<std::string> earliest_change(Store& store);

}  // namespace oaiharvest::store
